"""Go's ``strings`` functions on Python bytes, as far as their results go.

What a function allocates is the caller's business (:mod:`gomem.std.support_std`
reproduces Go's Builder and ``make`` calls); these give the results: indexes,
the (start, end) offsets of the substrings a function returns (Go's results
share the argument's bytes), and for the functions that build a new string
the pieces in the order Go's Builder receives them.
"""

from __future__ import annotations

from . import unicode as U

#: strings.asciiSpace
ASCII_SPACE = frozenset(b"\t\n\v\f\r ")


def index(s: bytes, sub: bytes) -> int:
    return s.find(sub)


def last_index(s: bytes, sub: bytes) -> int:
    return s.rfind(sub)


def count(s: bytes, sub: bytes) -> int:
    if not sub:
        return U.rune_count(s) + 1
    return s.count(sub)


def index_rune(s: bytes, r: int) -> int:
    if 0 <= r < U.RUNE_SELF:
        return s.find(bytes([r]))
    if r == U.RUNE_ERROR:
        i = 0
        while i < len(s):
            c, w = U.decode(s, i)
            if c == U.RUNE_ERROR:
                return i
            i += w
        return -1
    if not U.valid_rune(r):
        return -1
    return s.find(U.encode(r))


def contains_rune(s: bytes, r: int) -> bool:
    return index_rune(s, r) >= 0


def runes(s: bytes):
    """``for i, r := range s``: (offset, rune, width)."""
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c < 0x80:
            yield i, c, 1
            i += 1
        else:
            r, w = U.decode(s, i)
            yield i, r, w
            i += w


def fields_ascii(s: bytes) -> list[tuple[int, int]] | None:
    """``strings.Fields``' spans when *s* is ASCII (None otherwise: Go calls FieldsFunc(s, unicode.IsSpace))."""
    if any(c >= 0x80 for c in s):
        return None
    out = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in ASCII_SPACE:
            i += 1
        if i >= n:
            break
        j = i
        while j < n and s[j] not in ASCII_SPACE:
            j += 1
        out.append((i, j))
        i = j
    return out


def fields_func(s: bytes, f) -> list[tuple[int, int]]:
    """``strings.FieldsFunc``' spans: maximal runs of runes for which *f* is false."""
    out = []
    start = -1
    for i, r, _ in runes(s):
        if f(r):
            if start >= 0:
                out.append((start, i))
                start = -1
        elif start < 0:
            start = i
    if start >= 0:
        out.append((start, len(s)))
    return out


def gen_split(s: bytes, sep: bytes, sep_save: int, n: int) -> tuple[int, list[tuple[int, int]]]:
    """``genSplit``: (the length of the slice Go makes, the spans of its first elements).

    Go makes ``min(n, len(s)+1)`` elements (``n`` from Count when negative) and returns a prefix;
    with an empty separator it explodes into runes (explode: make of exactly the count)."""
    if n == 0:
        return 0, []
    if not sep:
        runes_ = list(runes(s))
        l = len(runes_)
        if n < 0 or n > l:
            n = l
        spans = [(i, i + w) for i, _, w in runes_[:max(n - 1, 0)]]
        if n > 0:
            spans.append((runes_[n - 1][0], len(s)))
        return n, spans
    if n < 0:
        n = count(s, sep) + 1
    n = min(n, len(s) + 1)
    made = n
    spans = []
    start = 0
    n -= 1
    i = 0
    while i < n:
        m = s.find(sep, start)
        if m < 0:
            break
        spans.append((start, m + sep_save))
        start = m + len(sep)
        i += 1
    spans.append((start, len(s)))
    return made, spans


def trim_left(s: bytes, lo: int, hi: int, cutset: bytes) -> int:
    """``TrimLeft``'s new start in s[lo:hi]."""
    if lo == hi or not cutset:
        return lo
    if all(c < 0x80 for c in cutset):
        cs = set(cutset)
        while lo < hi and s[lo] in cs:
            lo += 1
        return lo
    while lo < hi:
        r, w = U.decode(s[:hi], lo)
        if not contains_rune(cutset, r):
            break
        lo += w
    return lo


def trim_right(s: bytes, lo: int, hi: int, cutset: bytes) -> int:
    """``TrimRight``'s new end of s[lo:hi]."""
    if lo == hi or not cutset:
        return hi
    if all(c < 0x80 for c in cutset):
        cs = set(cutset)
        while hi > lo and s[hi - 1] in cs:
            hi -= 1
        return hi
    while hi > lo:
        r, w = s[hi - 1], 1
        if r >= 0x80:
            r, w = U.decode_last(s[lo:hi])
        if not contains_rune(cutset, r):
            break
        hi -= w
    return hi


def trim(s: bytes, cutset: bytes) -> tuple[int, int]:
    if not s or not cutset:
        return 0, len(s)
    hi = trim_right(s, 0, len(s), cutset)
    return trim_left(s, 0, hi, cutset), hi


def trim_space(s: bytes) -> tuple[int, int]:
    lo, hi = 0, len(s)
    while lo < hi:
        r, w = U.decode(s[:hi], lo) if s[lo] >= 0x80 else (s[lo], 1)
        if not U.is_space(r):
            break
        lo += w
    while hi > lo:
        r, w = U.decode_last(s[lo:hi]) if s[hi - 1] >= 0x80 else (s[hi - 1], 1)
        if not U.is_space(r):
            break
        hi -= w
    return lo, hi


def map_pieces(f, s: bytes):
    """``strings.Map``: None when nothing changes (Go returns s itself), else the Builder calls Go makes:
    ``("grow", n)``, then ``("str", bytes)``, ``("byte", c)`` and ``("rune", r)`` writes in order."""
    ops = None
    pos = None
    for i, c, w in runes(s):
        r = f(c)
        if r == c and c != U.RUNE_ERROR:
            continue
        if c == U.RUNE_ERROR:
            c2, width = U.decode(s, i)
            if width != 1 and r == c2:
                continue
        else:
            width = U.rune_len(c)
        ops = [("grow", len(s) + U.UTF_MAX), ("str", s[:i])]
        if r >= 0:
            ops.append(("rune", r))
        pos = i + width
        break
    if ops is None:
        return None
    for _, c, _ in runes(s[pos:]):
        r = f(c)
        if r >= 0:
            ops.append(("byte", r) if r < U.RUNE_SELF else ("rune", r))
    return ops


def to_upper(s: bytes):
    """``strings.ToUpper``: None (s unchanged, no allocation), ``bytes`` (ASCII: one Builder of len(s)),
    or Map's Builder calls (see :func:`map_pieces`)."""
    if all(c < 0x80 for c in s):
        if not any(0x61 <= c <= 0x7A for c in s):
            return None
        return s.upper()
    return map_pieces(U.to_upper, s)


def to_lower(s: bytes):
    if all(c < 0x80 for c in s):
        if not any(0x41 <= c <= 0x5A for c in s):
            return None
        return s.lower()
    return map_pieces(U.to_lower, s)


def replace(s: bytes, old: bytes, new: bytes, n: int):
    """``strings.Replace``: None when Go returns s itself, else (the Grow size, the result)."""
    if old == new or n == 0:
        return None
    m = count(s, old)
    if m == 0:
        return None
    if n < 0 or m < n:
        n = m
    grow = len(s) + n * (len(new) - len(old))
    out = bytearray()
    start = 0
    if old:
        for _ in range(n):
            j = s.find(old, start)
            out += s[start:j]
            out += new
            start = j + len(old)
    else:
        out += new
        for _ in range(n - 1):
            _, w = U.decode(s, start)
            out += s[start:start + w]
            out += new
            start += w
    out += s[start:]
    return grow, bytes(out)


def equal_fold(s: bytes, t: bytes) -> bool:
    i = 0
    n = min(len(s), len(t))
    while i < n:
        sr, tr = s[i], t[i]
        if sr | tr >= 0x80:
            break
        i += 1
        if tr == sr:
            continue
        if tr < sr:
            tr, sr = sr, tr
        if 0x41 <= sr <= 0x5A and tr == sr + 0x20:
            continue
        return False
    else:
        return len(s) == len(t)
    s, t = s[i:], t[i:]
    j = 0
    for _, sr, _ in runes(s):
        if j >= len(t):
            return False
        tr, size = U.decode(t, j)
        j += size
        if tr == sr:
            continue
        if tr < sr:
            tr, sr = sr, tr
        if tr < 0x80:
            if 0x41 <= sr <= 0x5A and tr == sr + 0x20:
                continue
            return False
        r = U.simple_fold(sr)
        while r != sr and r < tr:
            r = U.simple_fold(r)
        if r == tr:
            continue
        return False
    return j == len(t)


def compare(a: bytes, b: bytes) -> int:
    return (a > b) - (a < b)
