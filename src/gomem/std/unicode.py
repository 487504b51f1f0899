"""Go's ``unicode`` and ``unicode/utf8`` functions on Python ints and bytes.

The properties and case mappings are Go's own tables (``unicode/tables.go``
of the toolchain, Unicode :data:`VERSION`, extracted into
:mod:`gomem.std._gotables` by :mod:`gomem.std.gen_tables`), not Python's
``unicodedata`` (which follows the interpreter's Unicode version).  For
Latin-1 Go answers from a property byte per code point; that table is derived
from the same data, so the range tables give the same answers there.
"""

from __future__ import annotations

from bisect import bisect_right

from . import _gotables as _T

VERSION = _T.UNICODE_VERSION
MAX_RUNE = 0x10FFFF
RUNE_ERROR = 0xFFFD
RUNE_SELF = 0x80
UTF_MAX = 4
MAX_ASCII = 0x7F
UPPER_CASE, LOWER_CASE, TITLE_CASE = 0, 1, 2
_UPPER_LOWER = MAX_RUNE + 1


class _Table:
    __slots__ = ("lo", "ranges")

    def __init__(self, ranges):
        self.ranges = sorted(ranges)
        self.lo = [r[0] for r in self.ranges]

    def __contains__(self, r: int) -> bool:
        i = bisect_right(self.lo, r) - 1
        if i < 0:
            return False
        lo, hi, stride = self.ranges[i]
        return r <= hi and (r - lo) % stride == 0


_TABLES = {name: _Table(rs) for name, rs in _T.RANGES.items()}
UPPER, LOWER, LETTER, DIGIT, PUNCT, WHITE_SPACE = (_TABLES[k] for k in (
    "Upper", "Lower", "Letter", "Digit", "Punct", "White_Space"))
_CASE_LO = [c[0] for c in _T.CASE_RANGES]
_ORBIT = dict(_T.CASE_ORBIT)


def is_upper(r: int) -> bool:
    if 0 <= r <= MAX_ASCII:
        return 0x41 <= r <= 0x5A
    return r in UPPER


def is_lower(r: int) -> bool:
    if 0 <= r <= MAX_ASCII:
        return 0x61 <= r <= 0x7A
    return r in LOWER


def is_letter(r: int) -> bool:
    return r in LETTER


def is_digit(r: int) -> bool:
    if r <= 0xFF:
        return 0x30 <= r <= 0x39
    return r in DIGIT


def is_punct(r: int) -> bool:
    return r in PUNCT


def is_space(r: int) -> bool:
    if 0 <= r <= 0xFF:
        return r in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0)
    return r in WHITE_SPACE


def to(case: int, r: int) -> int:
    """``unicode.To``: the mapping of *r* to upper, lower or title case through CaseRanges."""
    if case < 0 or case > 2:
        return RUNE_ERROR
    i = bisect_right(_CASE_LO, r) - 1
    if i >= 0:
        lo, hi, delta = _T.CASE_RANGES[i]
        if r <= hi:
            d = delta[case]
            if d > MAX_RUNE:
                # an Upper/Lower alternating sequence: even offsets upper, odd lower
                return lo + (((r - lo) & ~1) | (case & 1))
            return r + d
    return r


def to_upper(r: int) -> int:
    if 0 <= r <= MAX_ASCII:
        return r - 32 if 0x61 <= r <= 0x7A else r
    return to(UPPER_CASE, r)


def to_lower(r: int) -> int:
    if 0 <= r <= MAX_ASCII:
        return r + 32 if 0x41 <= r <= 0x5A else r
    return to(LOWER_CASE, r)


def to_title(r: int) -> int:
    if 0 <= r <= MAX_ASCII:
        return r - 32 if 0x61 <= r <= 0x7A else r
    return to(TITLE_CASE, r)


def simple_fold(r: int) -> int:
    """``unicode.SimpleFold``: the next rune of *r*'s case-folding orbit."""
    if r < 0 or r > MAX_RUNE:
        return r
    if r < len(_T.ASCII_FOLD):
        return _T.ASCII_FOLD[r]
    o = _ORBIT.get(r)
    if o is not None:
        return o
    lo = to_lower(r)
    if lo != r:
        return lo
    return to_upper(r)


# -- unicode/utf8 -----------------------------------------------------------------------------

def rune_len(r: int) -> int:
    if r < 0:
        return -1
    if r < 0x80:
        return 1
    if r < 0x800:
        return 2
    if 0xD800 <= r <= 0xDFFF:
        return -1
    if r < 0x10000:
        return 3
    if r <= MAX_RUNE:
        return 4
    return -1


def valid_rune(r: int) -> bool:
    return 0 <= r < 0xD800 or 0xDFFF < r <= MAX_RUNE


def encode(r: int) -> bytes:
    """``utf8.EncodeRune``'s bytes: invalid runes and surrogates as U+FFFD."""
    if not valid_rune(r):
        r = RUNE_ERROR
    return chr(r).encode("utf-8")


def decode(b: bytes, i: int = 0) -> tuple[int, int]:
    """``utf8.DecodeRune(b[i:])``: (rune, width); (RuneError, 1) for an invalid or short encoding, (RuneError, 0) at the end."""
    n = len(b) - i
    if n <= 0:
        return RUNE_ERROR, 0
    c = b[i]
    if c < 0x80:
        return c, 1
    if 0xC2 <= c <= 0xDF:
        w, lo, hi = 2, 0x80, 0xBF
    elif c == 0xE0:
        w, lo, hi = 3, 0xA0, 0xBF
    elif c == 0xED:
        w, lo, hi = 3, 0x80, 0x9F
    elif 0xE1 <= c <= 0xEF:
        w, lo, hi = 3, 0x80, 0xBF
    elif c == 0xF0:
        w, lo, hi = 4, 0x90, 0xBF
    elif c == 0xF4:
        w, lo, hi = 4, 0x80, 0x8F
    elif 0xF1 <= c <= 0xF3:
        w, lo, hi = 4, 0x80, 0xBF
    else:
        return RUNE_ERROR, 1
    if n < w or not lo <= b[i + 1] <= hi:
        return RUNE_ERROR, 1
    for k in range(2, w):
        if not 0x80 <= b[i + k] <= 0xBF:
            return RUNE_ERROR, 1
    if w == 2:
        return ((c & 0x1F) << 6) | (b[i + 1] & 0x3F), 2
    if w == 3:
        return ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F), 3
    return ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F), 4


def decode_last(b: bytes, end: int | None = None) -> tuple[int, int]:
    """``utf8.DecodeLastRune(b[:end])``."""
    if end is None:
        end = len(b)
    if end == 0:
        return RUNE_ERROR, 0
    start = end - 1
    c = b[start]
    if c < 0x80:
        return c, 1
    lim = max(end - UTF_MAX, 0)
    start -= 1
    while start >= lim:
        if b[start] & 0xC0 != 0x80:  # a rune start
            break
        start -= 1
    if start < 0:
        start = 0
    r, size = decode(b[start:end])
    if start + size != end:
        return RUNE_ERROR, 1
    return r, size


def rune_count(b: bytes) -> int:
    n = 0
    i = 0
    ln = len(b)
    while i < ln:
        if b[i] < 0x80:
            i += 1
        else:
            i += decode(b, i)[1]
        n += 1
    return n


def valid(b: bytes) -> bool:
    i = 0
    ln = len(b)
    while i < ln:
        if b[i] < 0x80:
            i += 1
            continue
        r, w = decode(b, i)
        if w == 1:
            return False
        i += w
    return True


def _first(c: int):
    """The width and the accepted range of the second byte of an encoding starting with *c* (width 1: ASCII or invalid)."""
    if c < 0x80 or c < 0xC2 or c > 0xF4:
        return 1, 0x80, 0xBF
    if c <= 0xDF:
        return 2, 0x80, 0xBF
    if c <= 0xEF:
        return 3, (0xA0 if c == 0xE0 else 0x80), (0x9F if c == 0xED else 0xBF)
    return 4, (0x90 if c == 0xF0 else 0x80), (0x8F if c == 0xF4 else 0xBF)


def full_rune(b: bytes) -> bool:
    """``utf8.FullRune``: whether *b* begins with a full encoding (an invalid one counts: it decodes as width 1)."""
    n = len(b)
    if n == 0:
        return False
    w, lo, hi = _first(b[0])
    if n >= w:
        return True
    if n > 1 and not lo <= b[1] <= hi:
        return True
    if n > 2 and not 0x80 <= b[2] <= 0xBF:
        return True
    return False
