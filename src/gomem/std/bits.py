"""Go's ``math/bits`` for the model: the functions on unsigned integers, exact (Python's integers are
unbounded, so every result is reduced to the operand's width as Go's is).

Each function takes the width (8, 16, 32 or 64; ``uint`` is 64 bits on amd64) where Go has one
function per width.  ``div`` and ``rem`` panic as Go's do: ``integer divide by zero`` for a zero
divisor, ``integer overflow`` for a quotient that does not fit (``div`` only).
"""

from __future__ import annotations

UINT_SIZE = 64


class BitsError(ArithmeticError):
    """Go's ``panic(divideError)`` / ``panic(overflowError)``: its text is the runtime error's."""


def len_(x: int) -> int:
    """``Len*``: the number of bits needed to represent x (0 for 0)."""
    return x.bit_length()


def leading_zeros(x: int, width: int) -> int:
    return width - x.bit_length()


def trailing_zeros(x: int, width: int) -> int:
    if x == 0:
        return width
    return (x & -x).bit_length() - 1


def ones_count(x: int) -> int:
    return x.bit_count()


def rotate_left(x: int, k: int, width: int) -> int:
    """``RotateLeft*(x, k)``: right by -k for a negative k."""
    s = k & (width - 1)
    mask = (1 << width) - 1
    x &= mask
    return ((x << s) | (x >> (width - s))) & mask


def reverse(x: int, width: int) -> int:
    return int(format(x, f"0{width}b")[::-1], 2)


def reverse_bytes(x: int, width: int) -> int:
    return int.from_bytes(x.to_bytes(width // 8, "little"), "big")


def mul(x: int, y: int, width: int) -> tuple[int, int]:
    """``Mul*``: (hi, lo) of the double-width product."""
    p = x * y
    return p >> width, p & ((1 << width) - 1)


def add(x: int, y: int, carry: int, width: int) -> tuple[int, int]:
    """``Add*``: (sum, carryOut); carry must be 0 or 1 (Go's result is undefined otherwise)."""
    s = x + y + carry
    return s & ((1 << width) - 1), s >> width & 1


def sub(x: int, y: int, borrow: int, width: int) -> tuple[int, int]:
    """``Sub*``: (diff, borrowOut)."""
    d = x - y - borrow
    return d & ((1 << width) - 1), 1 if d < 0 else 0


def div(hi: int, lo: int, y: int, width: int) -> tuple[int, int]:
    """``Div*``: (quo, rem) of (hi, lo) / y."""
    if y == 0:
        raise BitsError("integer divide by zero")
    if y <= hi:
        raise BitsError("integer overflow")
    n = (hi << width) | lo
    return n // y, n % y


def rem(hi: int, lo: int, y: int, width: int) -> int:
    """``Rem*``: (hi, lo) mod y; no overflow panic."""
    if y == 0:
        raise BitsError("integer divide by zero")
    return ((hi << width) | lo) % y
