"""Runtime helpers of :mod:`gomem.compile.libbits`: ``encoding/binary``'s byte orders on a ``[]byte`` in model memory,
``math/bits``' panicking divisions."""

from __future__ import annotations

from ..runtime.arena import ARENA_BASE_ADDR as B
from . import bits as GB
from ..runtime.panics import runtime_error


def make_bits_helpers(ns: dict) -> dict:
    U8 = ns["U8"]
    mem = U8.obj
    growslice = ns["growslice"]

    def bounds(s, size: int) -> None:
        if s[1] < size:  # _ = b[size-1]
            raise runtime_error(f"index out of range [{size - 1}] with length {s[1]}")

    def bin_get(s, size: int, little: bool) -> int:
        """``Uint16/32/64(b)``."""
        bounds(s, size)
        i = s[0] - B
        return int.from_bytes(mem[i:i + size], "little" if little else "big")

    def bin_put(s, v: int, size: int, little: bool) -> None:
        """``PutUint16/32/64(b, v)``."""
        bounds(s, size)
        i = s[0] - B
        U8[i:i + size] = (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little" if little else "big")

    def bin_append(g, s, v: int, size: int, little: bool):
        """``AppendUint16/32/64(b, v)``: ``append(b, byte(v), ...)``."""
        ptr, ln, cap = s
        newlen = ln + size
        if newlen > cap:
            ptr, _, cap = growslice(g, s, newlen, None, 1, True)
        i = ptr - B + ln
        U8[i:i + size] = (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little" if little else "big")
        return (ptr, newlen, cap)

    def bits_div(hi: int, lo: int, y: int, width: int):
        try:
            return GB.div(hi, lo, y, width)
        except GB.BitsError as e:
            raise runtime_error(str(e)) from None

    def bits_rem(hi: int, lo: int, y: int, width: int):
        try:
            return GB.rem(hi, lo, y, width)
        except GB.BitsError as e:
            raise runtime_error(str(e)) from None

    return {"bin_get": bin_get, "bin_put": bin_put, "bin_append": bin_append, "bits_div": bits_div,
            "bits_rem": bits_rem, "GOBITS": GB}
