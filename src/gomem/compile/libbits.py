"""The standard-library calls of ``math/bits`` and ``encoding/binary``'s byte orders: :class:`BitsLib`, a
mixin of :class:`.lib.Lib`.

Neither allocates, except ``AppendUint16/32/64``: one ``append`` of 2, 4 or 8 bytes to a ``[]byte``
(``growslice`` when it does not fit, as Go's ``append(b, byte(v), ...)``).  ``math/bits``' functions
are :mod:`gomem.std.bits` (``Div*``/``Rem*`` panic with Go's runtime errors); the byte orders read and
write the slice's bytes in model memory, after Go's bounds check (``_ = b[N-1]``: ``index out of range
[N-1] with length len(b)``).  The byte order value itself (``binary.LittleEndian``, an empty struct)
is not evaluated: only the package variables ``binary.LittleEndian`` and ``binary.BigEndian`` (or a
variable of their types) as the receiver are supported; a ``binary.ByteOrder`` interface is not.
"""

from __future__ import annotations

from . import ir
from .check_base import Unsupported

#: math/bits functions taking (x) and the width, by name prefix
_BITS_X_WIDTH = {"LeadingZeros": "leading_zeros", "TrailingZeros": "trailing_zeros", "Reverse": "reverse",
                 "ReverseBytes": "reverse_bytes"}
#: ... taking (x) alone
_BITS_X = {"Len": "len_", "OnesCount": "ones_count"}
#: ... taking their arguments then the width
_BITS_ARGS = {"RotateLeft": "rotate_left", "Mul": "mul", "Add": "add", "Sub": "sub"}
#: ... that may panic (bits_div_ / bits_rem_ of support_bits.py)
_BITS_PANICS = {"Div": "bits_div", "Rem": "bits_rem"}
_WIDTHS = {"": 64, "8": 8, "16": 16, "32": 32, "64": 64}


def _bits_handler(name: str):
    for prefix in sorted({**_BITS_X_WIDTH, **_BITS_X, **_BITS_ARGS, **_BITS_PANICS}, key=len, reverse=True):
        if name.startswith(prefix) and name[len(prefix):] in _WIDTHS:
            width = _WIDTHS[name[len(prefix):]]
            if prefix == "ReverseBytes" and width == 8 or prefix in ("Mul", "Div", "Rem", "Add", "Sub") and width < 32:
                return None
            return prefix, width
    return None


class BitsLib:
    """``call_bits_<Func>`` (through :meth:`__getattr__`) and ``m_encoding_binary_<order>_<Method>``."""

    def __getattr__(self, name: str):
        if name.startswith("call_bits_"):
            got = _bits_handler(name[10:])
            if got is not None:
                prefix, width = got
                return lambda fg, n: self._bits_call(fg, n, prefix, width)
        if name.startswith(("m_encoding_binary_littleEndian_", "m_encoding_binary_bigEndian_")):
            order, _, meth = name[18:].partition("_")
            h = self._binary_handler(order, meth)
            if h is not None:
                return h
        return super().__getattr__(name)  # StdLib's

    @staticmethod
    def _bits_call(fg, n, prefix: str, width: int) -> str:
        args = [fg.expr(a) for a in n.args or []]
        if prefix in _BITS_X:
            return f"GOBITS.{_BITS_X[prefix]}({args[0]})"
        if prefix in _BITS_X_WIDTH:
            return f"GOBITS.{_BITS_X_WIDTH[prefix]}({args[0]}, {width})"
        if prefix in _BITS_ARGS:
            return f"GOBITS.{_BITS_ARGS[prefix]}({', '.join(args)}, {width})"
        return f"{_BITS_PANICS[prefix]}({', '.join(args)}, {width})"

    @staticmethod
    def _binary_handler(order: str, meth: str):
        little = order == "littleEndian"
        for kind, size in (("Uint16", 2), ("Uint32", 4), ("Uint64", 8)):
            if meth == kind:
                return lambda fg, n: f"bin_get({_order_args(fg, n)[0]}, {size}, {little})"
            if meth == "Put" + kind:
                return lambda fg, n: "bin_put({}, {}, {}, {})".format(*_order_args(fg, n)[:2], size, little)
            if meth == "Append" + kind:
                return lambda fg, n: fg.spill_val("bin_append(g, {}, {}, {}, {})".format(
                    *_order_args(fg, n)[:2], size, little), n.type)
        return None


def _order_args(fg, n) -> list[str]:
    """The arguments after the receiver; the receiver (an empty struct) must have no effects."""
    recv = n.args[0]
    while recv.op in ("CONVNOP", "PAREN", "DEREF") and recv.x is not None:
        recv = recv.x
    if not isinstance(recv, ir.Name):
        raise Unsupported(getattr(n, "pos", None),
                          "gomem cannot run this yet: a byte order other than binary.LittleEndian/BigEndian")
    return [fg.arg_val(a) for a in n.args[1:]]
