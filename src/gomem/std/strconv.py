"""Go's ``strconv`` package for the model: the conversions ``fmt`` needs and the ones Go
programs commonly call, with the real package's exact results and error texts.

Go strings are byte strings, so every string argument and result is ``bytes`` (``str``
arguments are accepted and encoded as UTF-8).  Parse functions return ``(value, err)`` like
Go: ``err`` is None or a :class:`NumError` whose :meth:`NumError.error` is Go's text, e.g.
``strconv.ParseInt: parsing "x": invalid syntax``.  Float formatting is correctly rounded
(round half to even on exact ties) and the shortest form (precision -1) is the shortest
decimal that reads back as the same float64 -- or, for bitSize 32, the same float32.
"""

from __future__ import annotations

import bisect
import math
import struct
from fractions import Fraction

__all__ = [
    "IntSize", "NumError", "ErrRange", "ErrSyntax",
    "FormatInt", "FormatUint", "Itoa", "AppendInt", "AppendUint",
    "ParseInt", "ParseUint", "Atoi", "ParseBool", "FormatBool", "AppendBool",
    "FormatFloat", "AppendFloat", "ParseFloat", "FormatComplex", "ParseComplex",
    "Quote", "QuoteToASCII", "QuoteToGraphic", "QuoteRune", "QuoteRuneToASCII", "QuoteRuneToGraphic",
    "AppendQuote", "AppendQuoteToASCII", "AppendQuoteRune", "AppendQuoteRuneToASCII",
    "Unquote", "UnquoteChar", "QuotedPrefix", "CanBackquote", "IsPrint", "IsGraphic",
    "decode_runes", "rune_count", "encode_rune",
]

IntSize = 64
MASK64 = (1 << 64) - 1
RUNE_ERROR = 0xFFFD
MAX_RUNE = 0x10FFFF


def _b(s) -> bytes:
    return s.encode() if isinstance(s, str) else bytes(s)


# -- errors ---------------------------------------------------------------------------------------


class GoError(str):
    """A plain Go error value (errors.New): its text is the string itself."""

    def error(self) -> bytes:
        return self.encode()


ErrRange = GoError("value out of range")
ErrSyntax = GoError("invalid syntax")


class NumError(Exception):
    """strconv.NumError{Func, Num, Err}; ``error()`` is ``(*NumError).Error()`` as bytes."""

    def __init__(self, func: str, num, err):
        super().__init__(func, num, err)
        self.func = func
        self.num = _b(num)
        self.err = err

    def error(self) -> bytes:
        return b"strconv." + self.func.encode() + b": parsing " + Quote(self.num) + b": " + str(self.err).encode()

    def __str__(self) -> str:
        return self.error().decode("utf-8", "replace")

    def __eq__(self, other):
        return isinstance(other, NumError) and (self.func, self.num, str(self.err)) == (other.func, other.num, str(other.err))

    __hash__ = Exception.__hash__


def _syntax(fn, s):
    return NumError(fn, s, ErrSyntax)


def _range(fn, s):
    return NumError(fn, s, ErrRange)


# -- UTF-8, the way Go's unicode/utf8 sees it ---------------------------------------------------------


def decode_runes(b: bytes) -> list[tuple[int, int]]:
    """The (rune, width) pairs ``for range`` yields over the Go string b: each byte that is not
    part of a valid UTF-8 sequence is ``(RuneError, 1)``."""
    out = []
    for ch in b.decode("utf-8", "surrogateescape"):
        c = ord(ch)
        if c < 0x80:
            out.append((c, 1))
        elif 0xDC80 <= c <= 0xDCFF:
            out.append((RUNE_ERROR, 1))
        else:
            out.append((c, 2 if c < 0x800 else 3 if c < 0x10000 else 4))
    return out


def rune_count(b: bytes) -> int:
    """utf8.RuneCount."""
    if b.isascii():
        return len(b)
    return len(b.decode("utf-8", "surrogateescape"))


def valid_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def valid_rune(r: int) -> bool:
    return 0 <= r <= MAX_RUNE and not 0xD800 <= r <= 0xDFFF


def encode_rune(r: int) -> bytes:
    """utf8.AppendRune: invalid runes (surrogates, out of range) encode as U+FFFD."""
    if not valid_rune(r):
        r = RUNE_ERROR
    return chr(r).encode()


# -- IsPrint: the printable runes of Go 1.27's strconv (Unicode 17.0.0) ----------------------------
# Ranges of printable runes, each "gap.length" in base 36: gap from the end of the previous
# range (exclusive), then length-1.  Derived from strconv.IsPrint over every rune.

_PRINT_TABLE = """
w.2m y.b 1.jt 2.5 4.6 1.0 1.j 1.b0 1.11 2.1d 2.2 1.1i 8.q 4.5 h.l 1.5b 1.1b 2.1m 2.2s e.1m 2.1c
2.e 1.r 2.0 1.a 5.v 7.22 1.4g 1.7 2.1 2.l 1.6 1.0 3.3 2.8 2.1 2.3 8.0 4.1 1.4 2.o 2.2 1.5 4.1
2.l 1.6 1.1 1.1 1.1 2.0 1.4 4.1 2.2 3.0 7.3 1.0 7.g a.2 1.8 1.2 1.l 1.6 1.1 1.4 2.9 1.2 1.2 2.0
f.3 2.b 7.6 1.2 1.7 2.1 2.l 1.6 1.1 1.4 2.8 2.1 2.2 7.2 4.1 1.4 2.h a.1 1.5 3.2 1.3 3.1 1.0 1.1
3.1 3.2 3.b 4.4 3.2 1.3 2.0 6.0 e.k 5.c 1.2 1.m 1.f 2.8 1.2 1.3 7.1 1.2 1.1 2.3 2.9 7.l 1.2 1.m
1.9 1.4 2.8 1.2 1.3 7.1 5.2 1.3 2.9 1.2 c.c 1.2 1.1e 1.2 1.5 4.f 2.p 1.2 1.h 3.n 1.8 1.0 2.6 3.0
4.5 1.0 1.7 6.9 2.2 c.1l 4.s 11.1 1.0 1.4 1.n 1.0 1.m 2.4 1.0 1.6 1.9 2.3 w.1z 1.z 4.12 1.z 1.e
1.c 11.5h 1.0 5.0 2.ag 1.3 2.6 1.0 1.3 2.14 1.3 2.w 1.3 2.6 1.0 1.3 2.e 1.1k 1.3 2.1u 2.v 3.p
6.2d 2.5 2.hr 1.r 3.2g 7.l 9.n 9.j c.c 1.2 1.1 c.2l 2.9 6.9 6.d 1.a 6.2g 7.16 5.1x a.u 1.b 4.b
4.0 3.15 2.4 b.17 4.p 6.a 3.1p 2.1s 1.s 2.a 6.9 6.d 2.19 2.b k.24 1.4l 8.1n 3.e 3.1p 5.16 2.a
8.16 5.et 2.5 2.11 2.5 2.7 1.0 1.0 1.0 1.u 2.1g 1.e 1.d 2.5 1.i 2.2 1.8 h.n 8.1a h.1 2.q 1.c 3.x
e.w f.3v 4.ih m.a l.1eb 2.al 5.18 1.0 5.0 2.1j 7.1 e.n 9.6 1.6 1.6 1.6 1.6 1.6 1.6 1.6 1.3h y.p
1.2g c.5x q.f 1.1q 1.2d 2.2u 5.16 1.2l 1.2d 9.1b 1.mlo 3.1i 9.9n k.53 8.64 k.1n 3.9 6.1j 8.1x
8.b 6.37 b.t 3.25 1.a 4.w 1.1i 9.d 2.9 2.2u o.r a.5 2.5 2.5 9.6 1.6 1.1n 4.3h 2.9 6.8mb c.m 4.1c
6is.a5 2.2x 12.6 c.4 5.p 1.4 1.0 1.1 1.1 1.i1 w.15 6.1e 1.i 1.3 4.4 1.3q 4.59 3.5 2.5 2.5 2.2
3.6 1.6 d.1 2.b 1.p 1.i 1.1 1.e 2.d y.3e 5.2 4.18 3.2f 1.c 3.0 1b.19 3m.s 3.1c f.r 4.z 9.t 5.16
5.t 1.10 4.d 16.4d 2.9 6.z 4.z 4.13 8.1f b.b 1.e 1.6 1.1 1.a 1.e 1.6 1.1 3.1f c.8m 9.l a.7 o.5
1.15 1.8 1x.5 2.0 1.17 1.1 3.0 2.m 1.1z 8.8 1c.i 1.1 5.w 3.q 5.q 12.1j 4.j 2.1d 1.1 5.7 1.2 1.s
2.2 4.9 7.8 7.1r w.12 4.b 9.1h 3.s 2.q 5.p 7.3 c.6 28.20 1j.1e d.1e 7.19 8.9 6.11 3.s 8.1 5s.u
1.15 1.2 2.1 g.5 8.8 x.19 8.15 m.p 12.r k.m 9.25 4.z 9.1p 1.4 d.o 7.9 6.1g 1.h 8.12 9.2n 1.j b.h
1.1a 1q.6 1.0 1.3 1.e 1.a 6.1m 5.9 6.3 1.7 2.1 2.l 1.6 1.1 1.4 1.9 2.1 2.2 2.0 6.0 5.6 2.6 3.4
b.9 1.0 2.0 1.11 1.9 1.0 2.0 1.3 1.9 1.1 8.1 t.2j 1.4 u.1z 8.9 4m.1h 2.11 y.1w b.9 6.c j.1l 6.9
6.j s.q 2.e 4.m 55.1n 2s.2a c.7 2.0 2.7 1.1 1.t 1.1 2.b 9.9 1y.7 2.19 2.a r.1z 8.2a d.20 7.9
2e.7 2g.x e.9 6.8 1.18 1.d a.s 3.v 2.l 1.d 21.6 1.1 1.17 3.0 1.1 1.8 8.9 6.5 1.1 1.10 1.1 1.5
7.9 6.17 4.9 6u.o 7.g 1.14 3.s 2d.0 f.1d d.pm 2u.32 1.4 b.5f 218.2q d.tr g.l a.32y 5.g6 5a1.1l
1c6.fs 7.u 1.9 4.28 1.9 6.t 2.5 a.1x a.9 1.6 1.k 5.i c0.1l 5i.2i 5.o 2.o 18.22 4.1k 7.g 1s.4 b.6
9.5p1 15.v 2p.36 6pp.3 1.6 1.1 1.82 f.0 t.2 2.0 e.3 8.az 1s4.2y 5.c 3.8 7.9 2.3 31c.70 3.c3 6.m
f.g f.19 2.m 9.37 1o.6t a.12 2.21 8.33 l.1x 3e.j c.j c.2e 9.o 3r.2c 1.1y 1.1 2.0 2.1 2.3 1.b 1.0
1.6 1.1s 1.3 2.7 1.6 1.r 1.3 1.4 1.0 3.6 1.9f 2.83 2.jh f.4 1.e uo.u 6.5 5x.6 1.g 2.6 1.1 1.4
5.1p x.0 34.18 3.d 2.9 4.1 8w.u h.1l 5.0 cw.15 5y.16 4.0 5c.u 1.l 8.1 68.6 1.3 1.1 1.e 1.5g 2.f
15.23 4.9 4.1 lt.1v 24.1o 5e.3 1.q 1.1 1.0 2.0 1.9 1.3 1.0 1.0 6.0 4.0 1.0 1.0 1.2 1.1 1.0 2.0
1.0 1.0 1.0 1.0 1.1 1.0 2.3 1.6 1.3 1.3 1.0 1.9 1.g 5.2 1.4 1.g 1g.1 7i.17 4.2r c.e 2.e 1.e 1.10
a.4t 1k.s d.17 4.8 7.1 e.5 4a.rc 3.g 3.c 3.61 6.b 4.0 f.b 4.1j 8.9 6.13 8.t 2.b 4.1 e.8 13.9j
8.d 2.c 3.a 3.1k 1.0 4.f 2.b 4.9 7.42 1.2u sl.wyn w.3dp 2.4gd 2.5rk f.h9 1wi.f1 15u.3t6 5.6jt
f62u.6n
"""


def _load_print_table():
    starts, ends = [], []
    prev = 0
    for item in _PRINT_TABLE.split():
        gap, ln = item.split(".")
        a = prev + int(gap, 36)
        b = a + int(ln, 36)
        starts.append(a)
        ends.append(b)
        prev = b + 1
    return starts, ends


_PSTARTS, _PENDS = _load_print_table()
_GRAPHIC_EXTRA = frozenset([0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                            0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000])


def IsPrint(r: int) -> bool:
    if 0x20 <= r <= 0x7E:
        return True
    if r < 0 or r > MAX_RUNE:
        return False
    i = bisect.bisect_right(_PSTARTS, r) - 1
    return i >= 0 and r <= _PENDS[i]


def IsGraphic(r: int) -> bool:
    return IsPrint(r) or r in _GRAPHIC_EXTRA


# -- quoting --------------------------------------------------------------------------------------------

_HEX = "0123456789abcdef"
_ESC = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _escaped_rune(out: list, r: int, quote: int, ascii_only: bool, graphic_only: bool) -> None:
    if r == quote or r == 0x5C:
        out.append("\\" + chr(r))
        return
    if ascii_only:
        if r < 0x80 and IsPrint(r):
            out.append(chr(r))
            return
    elif IsPrint(r) or (graphic_only and r in _GRAPHIC_EXTRA):
        out.append(chr(r))
        return
    e = _ESC.get(r)
    if e is not None:
        out.append(e)
    elif r < 0x20 or r == 0x7F:
        out.append("\\x" + _HEX[r >> 4] + _HEX[r & 0xF])
    else:
        if not valid_rune(r):
            r = RUNE_ERROR
        if r < 0x10000:
            out.append("\\u%04x" % r)
        else:
            out.append("\\U%08x" % r)


def _quote_with(s, quote: int, ascii_only: bool, graphic_only: bool) -> bytes:
    s = _b(s)
    out = [chr(quote)]
    for ch in s.decode("utf-8", "surrogateescape"):
        c = ord(ch)
        if 0x20 <= c < 0x7F and c != quote and c != 0x5C:
            out.append(ch)
        elif 0xDC80 <= c <= 0xDCFF:
            b = c - 0xDC00
            out.append("\\x" + _HEX[b >> 4] + _HEX[b & 0xF])
        else:
            _escaped_rune(out, c, quote, ascii_only, graphic_only)
    out.append(chr(quote))
    return "".join(out).encode()


def _quote_rune_with(r: int, quote: int, ascii_only: bool, graphic_only: bool) -> bytes:
    if not valid_rune(r):
        r = RUNE_ERROR
    out = [chr(quote)]
    _escaped_rune(out, r, quote, ascii_only, graphic_only)
    out.append(chr(quote))
    return "".join(out).encode()


def Quote(s) -> bytes:
    return _quote_with(s, 0x22, False, False)


def QuoteToASCII(s) -> bytes:
    return _quote_with(s, 0x22, True, False)


def QuoteToGraphic(s) -> bytes:
    return _quote_with(s, 0x22, False, True)


def QuoteRune(r: int) -> bytes:
    return _quote_rune_with(r, 0x27, False, False)


def QuoteRuneToASCII(r: int) -> bytes:
    return _quote_rune_with(r, 0x27, True, False)


def QuoteRuneToGraphic(r: int) -> bytes:
    return _quote_rune_with(r, 0x27, False, True)


def AppendQuote(dst, s) -> bytes:
    return _b(dst) + Quote(s)


def AppendQuoteToASCII(dst, s) -> bytes:
    return _b(dst) + QuoteToASCII(s)


def AppendQuoteRune(dst, r: int) -> bytes:
    return _b(dst) + QuoteRune(r)


def AppendQuoteRuneToASCII(dst, r: int) -> bytes:
    return _b(dst) + QuoteRuneToASCII(r)


def CanBackquote(s) -> bool:
    s = _b(s)
    for ch in s.decode("utf-8", "surrogateescape"):
        c = ord(ch)
        if c >= 0x80:
            if c == 0xFEFF or 0xDC80 <= c <= 0xDCFF:
                return False
            continue
        if (c < 0x20 and c != 9) or c == 0x60 or c == 0x7F:
            return False
    return True


def _unhex(c: int):
    if 0x30 <= c <= 0x39:
        return c - 0x30
    if 0x61 <= c <= 0x66:
        return c - 0x61 + 10
    if 0x41 <= c <= 0x46:
        return c - 0x41 + 10
    return None


def UnquoteChar(s, quote: int):
    """(value, multibyte, tail, err) as Go's UnquoteChar; quote is a byte value (or a 1-char str)."""
    s = _b(s)
    if isinstance(quote, (str, bytes)):
        quote = ord(quote)
    if not s:
        return 0, False, b"", ErrSyntax
    c = s[0]
    if c == quote and quote in (0x27, 0x22):
        return 0, False, b"", ErrSyntax
    if c >= 0x80:
        r, size = decode_runes(s[:4])[0]
        return r, True, s[size:], None
    if c != 0x5C:
        return c, False, s[1:], None
    if len(s) <= 1:
        return 0, False, b"", ErrSyntax
    c = s[1]
    s = s[2:]
    simple = {0x61: 7, 0x62: 8, 0x66: 12, 0x6E: 10, 0x72: 13, 0x74: 9, 0x76: 11, 0x5C: 0x5C}
    if c in simple:
        return simple[c], False, s, None
    if c in (0x78, 0x75, 0x55):
        n = {0x78: 2, 0x75: 4, 0x55: 8}[c]
        if len(s) < n:
            return 0, False, b"", ErrSyntax
        v = 0
        for j in range(n):
            x = _unhex(s[j])
            if x is None:
                return 0, False, b"", ErrSyntax
            v = v << 4 | x
        s = s[n:]
        if c == 0x78:
            return v, False, s, None
        if not valid_rune(v):
            return 0, False, b"", ErrSyntax
        return v, True, s, None
    if 0x30 <= c <= 0x37:
        v = c - 0x30
        if len(s) < 2:
            return 0, False, b"", ErrSyntax
        for j in range(2):
            x = s[j] - 0x30
            if x < 0 or x > 7:
                return 0, False, b"", ErrSyntax
            v = (v << 3) | x
        s = s[2:]
        if v > 255:
            return 0, False, b"", ErrSyntax
        return v, False, s, None
    if c in (0x27, 0x22):
        if c != quote:
            return 0, False, b"", ErrSyntax
        return c, False, s, None
    return 0, False, b"", ErrSyntax


def _unquote(inp: bytes, unescape: bool):
    if len(inp) < 2:
        return b"", inp, ErrSyntax
    quote = inp[0]
    end = inp.find(bytes([quote]), 1)
    if end < 0:
        return b"", inp, ErrSyntax
    end += 1
    if quote == 0x60:
        if not unescape:
            out = inp[:end]
        else:
            out = inp[1:end - 1].replace(b"\r", b"")
        return out, inp[end:], None
    if quote not in (0x22, 0x27):
        return b"", inp, ErrSyntax
    head = inp[:end]
    if b"\\" not in head and b"\n" not in head:
        body = inp[1:end - 1]
        if quote == 0x22:
            valid = valid_utf8(body)
        else:
            r, n = decode_runes(body[:4])[0] if body else (RUNE_ERROR, 0)
            valid = 2 + n == end and (r != RUNE_ERROR or n != 1)
        if valid:
            return (body if unescape else head), inp[end:], None
    buf = bytearray()
    in0 = inp
    rest = inp[1:]
    while rest and rest[0] != quote:
        r, multibyte, rem, err = UnquoteChar(rest, quote)
        if rest[0] == 0x0A or err is not None:
            return b"", in0, ErrSyntax
        rest = rem
        if unescape:
            if r < 0x80 or not multibyte:
                buf.append(r & 0xFF)
            else:
                buf += encode_rune(r)
        if quote == 0x27:
            break
    if not (rest and rest[0] == quote):
        return b"", in0, ErrSyntax
    rest = rest[1:]
    if unescape:
        return bytes(buf), rest, None
    return in0[:len(in0) - len(rest)], rest, None


def Unquote(s):
    """(value, err); err is ErrSyntax (a bare error, as Go returns) or None."""
    out, rem, err = _unquote(_b(s), True)
    if rem:
        return b"", ErrSyntax
    return out, err


def QuotedPrefix(s):
    out, _rem, err = _unquote(_b(s), False)
    return out, err


# -- integers ------------------------------------------------------------------------------------------

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def FormatUint(i: int, base: int = 10) -> bytes:
    if base < 2 or base > 36:
        raise ValueError("strconv: illegal AppendInt/FormatInt base")
    i &= MASK64
    if base == 10:
        return str(i).encode()
    if i == 0:
        return b"0"
    out = []
    while i:
        i, d = divmod(i, base)
        out.append(_DIGITS[d])
    return "".join(reversed(out)).encode()


def FormatInt(i: int, base: int = 10) -> bytes:
    if i < 0:
        return b"-" + FormatUint(-i, base)
    return FormatUint(i, base)


def Itoa(i: int) -> bytes:
    return str(i).encode()


def AppendInt(dst, i: int, base: int = 10) -> bytes:
    return _b(dst) + FormatInt(i, base)


def AppendUint(dst, i: int, base: int = 10) -> bytes:
    return _b(dst) + FormatUint(i, base)


def _underscore_ok(s: bytes) -> bool:
    saw = "^"
    i = 0
    if s[:1] in (b"-", b"+"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == 0x30 and (s[1] | 0x20) in (0x62, 0x6F, 0x78):
        i = 2
        saw = "0"
        hexa = (s[1] | 0x20) == 0x78
    while i < len(s):
        c = s[i]
        if 0x30 <= c <= 0x39 or (hexa and 0x61 <= (c | 0x20) <= 0x66):
            saw = "0"
        elif c == 0x5F:
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


_ERR_BASE = "base"
_ERR_BITSIZE = "bitsize"


def _parse_uint(s: bytes, base: int, bit_size: int):
    """(value, err) with err None, ErrSyntax, ErrRange, _ERR_BASE or _ERR_BITSIZE."""
    if not s:
        return 0, ErrSyntax
    base0 = base == 0
    s0 = s
    if 2 <= base <= 36:
        pass
    elif base == 0:
        base = 10
        if s[0] == 0x30:
            c1 = (s[1] | 0x20) if len(s) >= 3 else None
            if c1 == 0x62:
                base, s = 2, s[2:]
            elif c1 == 0x6F:
                base, s = 8, s[2:]
            elif c1 == 0x78:
                base, s = 16, s[2:]
            else:
                base, s = 8, s[1:]
    else:
        return 0, _ERR_BASE
    if bit_size == 0:
        bit_size = IntSize
    elif bit_size < 0 or bit_size > 64:
        return 0, _ERR_BITSIZE
    max_val = (1 << bit_size) - 1
    underscores = False
    n = 0
    for c in s:
        if c == 0x5F and base0:
            underscores = True
            continue
        if 0x30 <= c <= 0x39:
            d = c - 0x30
        elif 0x61 <= (c | 0x20) <= 0x7A:
            d = (c | 0x20) - 0x61 + 10
        else:
            return 0, ErrSyntax
        if d >= base:
            return 0, ErrSyntax
        n = n * base + d
        if n > max_val:
            return max_val, ErrRange
    if underscores and not _underscore_ok(s0):
        return 0, ErrSyntax
    return n, None


def _to_error(fn: str, s: bytes, base: int, bit_size: int, err):
    if err is None:
        return None
    if err is _ERR_BASE:
        return NumError(fn, s, GoError("invalid base " + str(base)))
    if err is _ERR_BITSIZE:
        return NumError(fn, s, GoError("invalid bit size " + str(bit_size)))
    return NumError(fn, s, err)


def ParseUint(s, base: int = 10, bit_size: int = 64):
    s = _b(s)
    v, err = _parse_uint(s, base, bit_size)
    return v, _to_error("ParseUint", s, base, bit_size, err)


def _parse_int(s: bytes, base: int, bit_size: int):
    if not s:
        return 0, ErrSyntax
    neg = False
    t = s
    if s[0] == 0x2B:
        t = s[1:]
    elif s[0] == 0x2D:
        t = s[1:]
        neg = True
    un, err = _parse_uint(t, base, bit_size)
    if err is not None and err is not ErrRange:
        return 0, err
    if bit_size == 0:
        bit_size = IntSize
    cutoff = 1 << (bit_size - 1)
    if not neg and un >= cutoff:
        return cutoff - 1, ErrRange
    if neg and un > cutoff:
        return -cutoff, ErrRange
    return (-un if neg else un), None


def ParseInt(s, base: int = 10, bit_size: int = 64):
    s = _b(s)
    v, err = _parse_int(s, base, bit_size)
    return v, _to_error("ParseInt", s, base, bit_size, err)


def Atoi(s):
    s = _b(s)
    if 0 < len(s) < 19:
        t = s[1:] if s[0] in (0x2D, 0x2B) else s
        if not t:
            return 0, _syntax("Atoi", s)
        n = 0
        for c in t:
            c -= 0x30
            if c < 0 or c > 9:
                return 0, _syntax("Atoi", s)
            n = n * 10 + c
        return (-n if s[0] == 0x2D else n), None
    v, err = _parse_int(s, 10, 0)
    return v, _to_error("Atoi", s, 0, 0, err)


def ParseBool(s):
    s = _b(s)
    if s in (b"1", b"t", b"T", b"true", b"TRUE", b"True"):
        return True, None
    if s in (b"0", b"f", b"F", b"false", b"FALSE", b"False"):
        return False, None
    return False, _syntax("ParseBool", s)


def FormatBool(b: bool) -> bytes:
    return b"true" if b else b"false"


def AppendBool(dst, b: bool) -> bytes:
    return _b(dst) + FormatBool(b)


# -- float bits --------------------------------------------------------------------------------------


def float32_round(f: float) -> float:
    """float32(f): the nearest float32 (ties to even), +-Inf when out of range."""
    if math.isnan(f) or math.isinf(f):
        return f
    try:
        return struct.unpack("<f", struct.pack("<f", f))[0]
    except OverflowError:
        return math.copysign(math.inf, f)


def float32_bits(f: float) -> int:
    return struct.unpack("<I", struct.pack("<f", float32_round(f)))[0]


def float64_bits(f: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", f))[0]


def _frombits32(b: int) -> float:
    return struct.unpack("<f", struct.pack("<I", b))[0]


def _frombits64(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b))[0]


_GO_NAN = struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000001))[0]

# (mantBits, expBits, bias)
_F32 = (23, 8, -127)
_F64 = (52, 11, -1023)


# -- float formatting -------------------------------------------------------------------------------


def _split_sci(s: str) -> tuple[str, int]:
    """'d.ddde+XX' (or a repr) -> (significant digits without zeros at either end, dp)."""
    if "e" in s:
        m, e = s.split("e")
        e = int(e)
    else:
        m, e = s, 0
    if "." in m:
        ip, fp = m.split(".")
    else:
        ip, fp = m, ""
    digits = ip + fp
    dp = len(ip) + e
    n = len(digits)
    digits = digits.lstrip("0")
    dp -= n - len(digits)
    digits = digits.rstrip("0")
    return digits, dp


def _shortest32(mant: int, e2: int, lower_half: bool) -> tuple[str, int]:
    """Shortest decimal in the float32 rounding interval of mant*2**e2, nearest on length ties."""
    inclusive = mant % 2 == 0
    x = 4 * mant
    lo, hi, v = x - (1 if lower_half else 2), x + 2, x
    e = e2 - 2
    if e >= 0:
        lo, hi, v, den = lo << e, hi << e, v << e, 1
    else:
        den = 1 << -e
    if hi >= den:
        q = len(str(hi // den)) - 1
    else:
        q = 1 - len(str(den // hi))
    while True:
        if q >= 0:
            unit, sc = den * 10 ** q, 1
        else:
            unit, sc = den, 10 ** -q
        lo_, hi_, v_ = lo * sc, hi * sc, v * sc
        dmin = -(-lo_ // unit)
        if not inclusive and dmin * unit == lo_:
            dmin += 1
        dmax = hi_ // unit
        if not inclusive and dmax * unit == hi_:
            dmax -= 1
        if dmin <= dmax:
            d, r = divmod(v_, unit)
            if 2 * r > unit or (2 * r == unit and d % 2 == 1):
                d += 1
            d = min(max(d, dmin), dmax)
            ds = str(d)
            dp = len(ds) + q
            return ds.rstrip("0"), dp
        q -= 1


def _fmt_efg(neg: bool, s: str, dp: int, prec: int, fmt: str, shortest: bool) -> str:
    nd = len(s)
    if fmt in "gG":
        eprec = prec
        if eprec > nd and nd >= dp:
            eprec = nd
        if shortest:
            eprec = 6
        exp = dp - 1
        if exp < -4 or exp >= eprec:
            if prec > nd:
                prec = nd
            prec -= 1
            fmt = "e" if fmt == "g" else "E"
        else:
            if prec > dp:
                prec = nd
            prec = max(prec - dp, 0)
            fmt = "f"
    out = ["-"] if neg else []
    if fmt in "eE":
        out.append(s[0] if nd else "0")
        if prec > 0:
            out.append(".")
            frac = s[1:prec + 1]
            out.append(frac + "0" * (prec - len(frac)))
        exp = dp - 1 if nd else 0
        out.append(fmt)
        out.append("-" if exp < 0 else "+")
        exp = abs(exp)
        out.append("%02d" % exp)
        return "".join(out)
    if fmt == "f":
        if dp > 0:
            m = min(nd, dp)
            out.append(s[:m] + "0" * (dp - m))
        else:
            out.append("0")
        if prec > 0:
            out.append(".")
            lz = min(prec, max(0, -dp))
            off = dp + lz
            m = min(prec - lz, max(0, nd - off))
            tz = max(0, prec - lz - m)
            out.append("0" * lz + s[off:off + m] + "0" * tz)
        return "".join(out)
    return "%" + fmt


def _fmt_b(neg: bool, mant: int, exp: int) -> str:
    return ("-" if neg else "") + str(mant) + "p" + ("+" if exp >= 0 else "") + str(exp)


def _fmt_x(prec: int, fmt: str, neg: bool, mant: int, exp: int, mant_bits: int) -> str:
    if mant == 0:
        exp = 0
    mant <<= 60 - mant_bits
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexd = "0123456789ABCDEF" if fmt == "X" else "0123456789abcdef"
    out = ["-"] if neg else []
    out.append("0" + fmt + str((mant >> 60) & 1))
    mant = (mant << 4) & MASK64
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & MASK64
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & MASK64
    out.append("P" if fmt == "X" else "p")
    out.append("-" if exp < 0 else "+")
    out.append("%02d" % abs(exp))
    return "".join(out)


def format_float_str(f: float, fmt: str, prec: int, bit_size: int) -> str:
    """FormatFloat as a Python str (the result is always ASCII)."""
    if bit_size == 32:
        f = float32_round(f)
        bits = float32_bits(f)
        mant_bits, exp_bits, bias = _F32
    elif bit_size == 64:
        bits = float64_bits(f)
        mant_bits, exp_bits, bias = _F64
    else:
        raise ValueError("strconv: illegal FormatFloat bitSize")
    neg = bits >> (exp_bits + mant_bits) != 0
    exp = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    mant = bits & ((1 << mant_bits) - 1)
    if exp == (1 << exp_bits) - 1:
        if mant != 0:
            return "NaN"
        return "-Inf" if neg else "+Inf"
    biased = exp
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << mant_bits
    exp += bias
    if fmt == "b":
        return _fmt_b(neg, mant, exp - mant_bits)
    if fmt in "xX":
        return _fmt_x(prec, fmt, neg, mant, exp, mant_bits)
    if fmt not in "eEfgG":
        return "%" + fmt
    if mant == 0:
        return _fmt_efg(neg, "", 0, prec, fmt, prec < 0)
    a = abs(f)
    if prec < 0:
        if bit_size == 64:
            s, dp = _split_sci(repr(a))
        else:
            s, dp = _shortest32(mant, exp - mant_bits, mant == 1 << mant_bits and biased > 1)
        nd = len(s)
        if fmt in "eE":
            prec = max(nd - 1, 0)
        elif fmt == "f":
            prec = max(nd - dp, 0)
        else:
            prec = nd
        return _fmt_efg(neg, s, dp, prec, fmt, True)
    if fmt == "f":
        return ("-" if neg else "") + "%.*f" % (prec, a)
    if fmt in "eE":
        s, dp = _split_sci("%.*e" % (prec, a))
    else:
        if prec == 0:
            prec = 1
        s, dp = _split_sci("%.*e" % (prec - 1, a))
    return _fmt_efg(neg, s, dp, prec, fmt, False)


def _fmt_byte(fmt) -> str:
    if isinstance(fmt, int):
        return chr(fmt)
    if isinstance(fmt, bytes):
        return fmt.decode("latin-1")
    return fmt


def FormatFloat(f: float, fmt, prec: int, bit_size: int = 64) -> bytes:
    """fmt is 'b' 'e' 'E' 'f' 'g' 'G' 'x' 'X' (str, byte value or bytes); prec -1 is shortest."""
    return format_float_str(float(f), _fmt_byte(fmt), prec, bit_size).encode()


def AppendFloat(dst, f: float, fmt, prec: int, bit_size: int = 64) -> bytes:
    return _b(dst) + FormatFloat(f, fmt, prec, bit_size)


def FormatComplex(c: complex, fmt, prec: int, bit_size: int = 128) -> bytes:
    if bit_size not in (64, 128):
        raise ValueError("strconv: illegal FormatComplex bitSize")
    bit_size //= 2
    im = FormatFloat(c.imag, fmt, prec, bit_size)
    if im[:1] not in (b"+", b"-"):
        im = b"+" + im
    return b"(" + FormatFloat(c.real, fmt, prec, bit_size) + im + b"i)"


# -- float parsing -----------------------------------------------------------------------------------


def _special(s: bytes):
    """(value, n, ok): Go's inf/infinity/nan prefix recognition."""
    if not s:
        return 0.0, 0, False
    sign, nsign = 1.0, 0
    c = s[0]
    if c in (0x2B, 0x2D):
        if c == 0x2D:
            sign = -1.0
        nsign = 1
        s = s[1:]
        c = 0x69
    if c in (0x69, 0x49):
        low = s[:8].lower()
        n = 0
        for a, b in zip(low, b"infinity"):
            if a != b:
                break
            n += 1
        if 3 < n < 8:
            n = 3
        if n in (3, 8):
            return sign * math.inf, nsign + n, True
    elif c in (0x6E, 0x4E) and nsign == 0:
        if s[:3].lower() == b"nan":
            return math.nan, 3, True
    return 0.0, 0, False


def _read_float(s: bytes):
    """Go's readFloat: (ok, n, neg, is_hex, exact value as Fraction)."""
    i = 0
    n = len(s)
    underscores = False
    neg = False
    if i >= n:
        return False, i, False, False, None
    if s[i] == 0x2B:
        i += 1
    elif s[i] == 0x2D:
        i += 1
        neg = True
    base = 10
    is_hex = False
    if i + 2 < n and s[i] == 0x30 and (s[i + 1] | 0x20) == 0x78:
        base = 16
        i += 2
        is_hex = True
    sawdot = sawdigits = False
    mant = 0
    nd = 0
    dp = 0
    while i < n:
        c = s[i]
        if c == 0x5F:
            underscores = True
        elif c == 0x2E:
            if sawdot:
                break
            sawdot = True
            dp = nd
        elif 0x30 <= c <= 0x39:
            sawdigits = True
            mant = mant * base + (c - 0x30)
            nd += 1
        elif base == 16 and 0x61 <= (c | 0x20) <= 0x66:
            sawdigits = True
            mant = mant * 16 + ((c | 0x20) - 0x61 + 10)
            nd += 1
        else:
            break
        i += 1
    if not sawdigits:
        return False, i, neg, is_hex, None
    if not sawdot:
        dp = nd
    exp_char = 0x70 if is_hex else 0x65
    e = 0
    if i < n and (s[i] | 0x20) == exp_char:
        i += 1
        if i >= n:
            return False, i, neg, is_hex, None
        esign = 1
        if s[i] == 0x2B:
            i += 1
        elif s[i] == 0x2D:
            i += 1
            esign = -1
        if i >= n or not 0x30 <= s[i] <= 0x39:
            return False, i, neg, is_hex, None
        while i < n and (0x30 <= s[i] <= 0x39 or s[i] == 0x5F):
            if s[i] == 0x5F:
                underscores = True
            elif e < 10000:
                e = e * 10 + s[i] - 0x30
            i += 1
        e *= esign
    elif is_hex:
        return False, i, neg, is_hex, None
    if underscores and not _underscore_ok(s[:i]):
        return False, i, neg, is_hex, None
    # value = mant * base**(dp - nd) * (2**e or 10**e)
    if is_hex:
        p2 = 4 * (dp - nd) + e
        val = Fraction(mant) * (Fraction(2) ** p2) if mant else Fraction(0)
    else:
        p10 = dp - nd + e
        if mant == 0:
            val = Fraction(0)
        elif p10 > 400 + 0 and mant:
            val = None  # certainly out of range
        elif p10 < -800:
            val = Fraction(0) if p10 + len(str(mant)) < -400 else Fraction(mant, 10 ** -p10)
        else:
            val = Fraction(mant) * Fraction(10) ** p10
    return True, i, neg, is_hex, val


def _round_fraction(val: Fraction, info) -> tuple[int, bool]:
    """Round |val| > 0 to the nearest float of the format (ties to even): (bits without sign, overflow)."""
    mant_bits, exp_bits, bias = info
    p, q = val.numerator, val.denominator
    # binary exponent estimate: 2**k <= val < 2**(k+1)
    k = p.bit_length() - q.bit_length()
    if (p << max(0, -k)) < (q << max(0, k)):
        k -= 1
    min_exp = bias + 1  # exponent of the smallest normal
    e = max(k, min_exp) - mant_bits  # scale of the unit in the last place
    if e >= 0:
        num, den = p, q << e
    else:
        num, den = p << -e, q
    m, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and m & 1):
        m += 1
    if m == 1 << (mant_bits + 1):
        m >>= 1
        e += 1
    max_exp = (1 << exp_bits) - 2 + bias
    if m >> mant_bits:  # normal
        ebits = e + mant_bits - bias
        if e + mant_bits > max_exp:
            return ((1 << exp_bits) - 1) << mant_bits, True
        return (ebits << mant_bits) | (m & ((1 << mant_bits) - 1)), False
    return m, False  # subnormal or zero


def _parse_float_prefix(s: bytes, bit_size: int):
    """Go's parseFloatPrefix: (value, bytes consumed, None | ErrSyntax | ErrRange)."""
    val, n, ok = _special(s)
    if ok:
        if val != val and bit_size != 32:
            val = _GO_NAN  # math.NaN()'s bits
        return val, n, None
    ok, n, neg, _is_hex, exact = _read_float(s)
    if not ok:
        return 0.0, n, ErrSyntax
    info = _F32 if bit_size == 32 else _F64
    mant_bits, exp_bits, _bias = info
    if exact is None:
        bits, ovf = ((1 << exp_bits) - 1) << mant_bits, True
    elif exact == 0:
        bits, ovf = 0, False
    else:
        bits, ovf = _round_fraction(exact, info)
    if neg:
        bits |= 1 << (mant_bits + exp_bits)
    f = _frombits32(bits) if bit_size == 32 else _frombits64(bits)
    return f, n, (ErrRange if ovf else None)


def ParseFloat(s, bit_size: int = 64):
    """(value, err) as Go: ErrSyntax -> (0, err); out of range -> (+-Inf, err)."""
    s = _b(s)
    f, n, err = _parse_float_prefix(s, bit_size)
    if n != len(s) or err is ErrSyntax:
        return 0.0, _syntax("ParseFloat", s)
    return f, (None if err is None else _range("ParseFloat", s))


def _parse_complex(s: bytes, bit_size: int):
    size = 32 if bit_size == 64 else 64
    if len(s) >= 2 and s[0] == 0x28 and s[-1] == 0x29:
        s = s[1:-1]
    pending = None
    re, n, err = _parse_float_prefix(s, size)
    if err is ErrSyntax:
        return 0j, err
    pending = err or pending
    s = s[n:]
    if not s:
        return complex(re, 0), pending
    c = s[0]
    if c == 0x2B:
        if len(s) > 1 and s[1] != 0x2B:
            s = s[1:]
    elif c == 0x2D:
        pass
    elif c == 0x69 and len(s) == 1:
        return complex(0, re), pending
    else:
        return 0j, ErrSyntax
    im, n, err = _parse_float_prefix(s, size)
    if err is ErrSyntax:
        return 0j, err
    pending = err or pending
    if s[n:] != b"i":
        return 0j, ErrSyntax
    return complex(re, im), pending


def ParseComplex(s, bit_size: int = 128):
    """(value, err): N, Ni, N+-Ni, optionally parenthesised, as Go's ParseComplex."""
    s = _b(s)
    v, err = _parse_complex(s, bit_size)
    return v, (None if err is None else NumError("ParseComplex", s, err))
