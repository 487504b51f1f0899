"""The runtime entry points generated code calls besides mallocgc: Go's ``runtime`` helpers for
strings, slices, interfaces, bounds and panics, each allocating exactly what Go's does.

* ``growslice`` (``runtime/slice.go``): the new capacity doubles below 256
  elements and then grows by ``(newcap + 3*256)/4`` until it fits, and the
  byte size is rounded up to the allocator's size class (``roundupsize``,
  which counts the 8-byte malloc header of a pointerful object above 512
  bytes), so ``cap()`` after appends is what Go gives; the old elements are
  copied, the new backing array is zeroed beyond the length.
* ``concatstrings`` (``runtime/string.go``): one allocation of the total
  length, none when the result is empty, none when only one operand is
  non-empty and the result does not go to a stack buffer, and none when
  the compiler gave a 32-byte stack buffer (the result does not escape)
  and the result fits.  ``slicebytetostring``/``stringtoslicebyte``/
  ``intstring``/``slicerunetostring``/``stringtoslicerune`` likewise.
* ``convT*`` (``runtime/iface.go``): an interface's data word for a value
  that is not pointer-shaped: ``staticuint64s`` for small integers and
  one-byte values, ``zeroVal`` for the empty string and nil slices, else a
  heap copy of the value.
* the panics of the runtime, in Go's words (``runtime/panic.go``,
  ``runtime/error.go``).

Every helper takes the running goroutine ``g`` (whose ``alloc`` is
mallocgc) and works on model memory through the address space views.
"""

from __future__ import annotations

import struct

from .arena import ARENA_BASE_ADDR as B
from .sizeclasses import MAX_SMALL_SIZE, PAGE_SIZE, alloc_path
from .panics import GoPanic, runtime_error

_M64 = (1 << 64) - 1
#: the 32-byte stack buffer the compiler gives a non-escaping string conversion or concatenation (tmpBuf)
TMP_STRING_BUF = 32


def roundupsize(size: int, noscan: bool) -> int:
    """``runtime.roundupsize``: the bytes mallocgc really hands out for a request of *size*."""
    if size <= MAX_SMALL_SIZE - 8:
        p = alloc_path(size, noscan)
        if p.path == "tiny":
            return alloc_path(size, False).elemsize if size > 8 else 8 if size > 0 else 0
        return p.elemsize - (8 if p.header else 0)
    return -(-size // PAGE_SIZE) * PAGE_SIZE


def next_slice_cap(newlen: int, oldcap: int) -> int:
    """``runtime.nextslicecap``: the element capacity growslice aims for."""
    newcap = oldcap
    doublecap = newcap + newcap
    if newlen > doublecap:
        return newlen
    threshold = 256
    if oldcap < threshold:
        return doublecap
    while True:
        newcap += (newcap + 3 * threshold) >> 2
        if newcap >= newlen:
            return newcap


def make_helpers(mem, words, ZEROBASE: int, STATICBYTES: int):
    """The helper functions, closed over the address space (``mem`` bytes, ``words`` 8-byte view) and
    the image's static memory: ``ZEROBASE`` (``runtime.zerobase``, what zero-size allocations point to)
    and ``STATICBYTES`` (``staticuint64s``: 256 words holding 0..255, what one-byte strings point into)."""
    W = words
    U8 = memoryview(mem).cast("B")

    def membytes(p: int, n: int) -> bytes:
        if n == 0:
            return b""
        return mem[p - B:p - B + n]

    def memclr(p: int, n: int) -> None:
        if n:
            U8[p - B:p - B + n] = bytes(n)

    def memmove(dst: int, src: int, n: int) -> None:
        if n:
            U8[dst - B:dst - B + n] = mem[src - B:src - B + n]

    def typedmemmove_ptrs(g, dst: int, src: int, n: int, ptr_offs) -> None:
        """Copy *n* bytes holding pointers at *ptr_offs* (relative, per element repeated by the caller):
        each pointer word through the write barrier, as typedmemmove's bulk barrier does."""
        old = mem[src - B:src - B + n]
        for off in ptr_offs:
            g.write_slot(dst + off, W[(src - B + off) >> 3])
        U8[dst - B:dst - B + n] = old
        # the barrier already stored the pointer words; the raw copy rewrites them with the same values

    def gostr(s) -> bytes:
        return mem[s[0] - B:s[0] - B + s[1]] if s[1] else b""

    def rawstring(g, n: int) -> int:
        return g.alloc(n) if n else 0

    def newstring(g, data: bytes, buf: int):
        """A string of *data*: in the caller's stack buffer when it has one and the string fits, else on the heap."""
        n = len(data)
        if n == 0:
            return (0, 0)
        if buf and n <= TMP_STRING_BUF:
            p = buf
        else:
            p = g.alloc(n)
        U8[p - B:p - B + n] = data
        return (p, n)

    def concat(g, buf: int, parts):
        """``concatstrings``."""
        n = 0
        count = 0
        idx = 0
        for i, s in enumerate(parts):
            if s[1]:
                n += s[1]
                count += 1
                idx = i
        if count == 0:
            return (0, 0)
        if count == 1 and (buf == 0 or not _on_stack(g, parts[idx][0])):
            return parts[idx]
        if buf and n <= TMP_STRING_BUF:
            p = buf
        else:
            p = g.alloc(n)
        o = p - B
        for s in parts:
            if s[1]:
                U8[o:o + s[1]] = mem[s[0] - B:s[0] - B + s[1]]
                o += s[1]
        return (p, n)

    def _on_stack(g, p: int) -> bool:
        st = g.stack
        return st.lo <= p < st.hi

    def streq(a, b) -> bool:
        if a[1] != b[1]:
            return False
        if a[0] == b[0] or a[1] == 0:
            return True
        return mem[a[0] - B:a[0] - B + a[1]] == mem[b[0] - B:b[0] - B + b[1]]

    def strcmp(a, b) -> int:
        x, y = gostr(a), gostr(b)
        return (x > y) - (x < y)

    def sidx(s, i: int) -> int:
        if not 0 <= i < s[1]:
            raise runtime_error(f"index out of range [{i}] with length {s[1]}")
        return U8[s[0] - B + i]

    def ix(i: int, n: int) -> int:
        if not 0 <= i < n:
            raise runtime_error(f"index out of range [{i}] with length {n}")
        return i

    def slice_elem(s, i: int, es: int) -> int:
        """The address of element *i* of slice *s* (bounds checked)."""
        if not 0 <= i < s[1]:
            raise runtime_error(f"index out of range [{i}] with length {s[1]}")
        return s[0] + i * es

    def reslice(s, lo, hi, mx, es: int):
        """``s[lo:hi:max]`` of a slice value; Go's ``slice bounds out of range`` panics."""
        cap = s[2]
        if mx is None:
            mx = cap
        elif not 0 <= mx <= cap:
            raise runtime_error(f"slice bounds out of range [::{mx}] with capacity {cap}")
        if hi is None:
            hi = s[1]
        elif not 0 <= hi <= mx:
            if mx == cap and mx is cap:
                raise runtime_error(f"slice bounds out of range [:{hi}] with capacity {cap}")
            raise runtime_error(f"slice bounds out of range [:{hi}:{mx}]")
        lo = lo or 0
        if not 0 <= lo <= hi:
            raise runtime_error(f"slice bounds out of range [{lo}:{hi}]")
        ptr = s[0] + lo * es if mx - lo > 0 else s[0]
        return (ptr, hi - lo, mx - lo)

    def slicestr(s, lo, hi):
        n = s[1]
        if hi is None:
            hi = n
        elif not 0 <= hi <= n:
            raise runtime_error(f"slice bounds out of range [:{hi}] with length {n}")
        lo = lo or 0
        if not 0 <= lo <= hi:
            raise runtime_error(f"slice bounds out of range [{lo}:{hi}]")
        return (s[0] + lo if hi - lo else 0, hi - lo)

    def strbytes(s):
        """``[]byte(s)`` where the compiler proves the bytes are only read (OSTR2BYTESTMP): the string's own."""
        return (s[0], s[1], s[1])

    def slicearr(a: int, n: int, lo, hi, mx, es: int):
        return reslice((a, n, n), lo, hi, mx, es)

    def makeslice(g, et, es: int, noscan: bool, n: int, cap: int):
        if n < 0:
            raise runtime_error("makeslice: len out of range")
        if cap < n:
            raise runtime_error("makeslice: cap out of range")
        if es * cap == 0:
            return (ZEROBASE, n, cap)
        return (g.alloc(es * cap, None if noscan else et), n, cap)

    def growslice(g, s, newlen: int, et, es: int, noscan: bool):
        """``runtime.growslice``: a new backing array for ``append`` once *newlen* exceeds the capacity."""
        oldptr, oldlen, oldcap = s
        if es == 0:
            return (ZEROBASE, newlen, newlen)
        newcap = next_slice_cap(newlen, oldcap)
        capmem = roundupsize(newcap * es, noscan)
        newcap = capmem // es
        capmem = newcap * es
        p = g.alloc(capmem, None if noscan else et)
        n = oldlen * es
        if n:
            if noscan:
                U8[p - B:p - B + n] = mem[oldptr - B:oldptr - B + n]
            else:
                copy_ptrs(g, p, oldptr, oldlen, et)
        return (p, newlen, newcap)

    def copy_ptrs(g, dst: int, src: int, n: int, et) -> None:
        """Copy *n* elements of the pointerful type *et*: bytes, then every pointer word through the barrier."""
        es = et.size
        nb = n * es
        offs = et.pointer_offsets()
        if dst > src:  # overlapping moves copy from the end, as memmove does
            order = range(n - 1, -1, -1)
        else:
            order = range(n)
        data = mem[src - B:src - B + nb]
        vals = [[W[(src - B + i * es + o) >> 3] for o in offs] for i in range(n)] if g.rt.wb_enabled else None
        if vals is not None:
            for i in order:
                for o, v in zip(offs, vals[i]):
                    g.write_slot(dst + i * es + o, v)
        U8[dst - B:dst - B + nb] = data

    def slicecopy(g, dst, src, et, es: int, noscan: bool) -> int:
        n = min(dst[1], src[1])
        if n and dst[0] != src[0]:
            if noscan:
                U8[dst[0] - B:dst[0] - B + n * es] = mem[src[0] - B:src[0] - B + n * es]
            else:
                copy_ptrs(g, dst[0], src[0], n, et)
        return n

    def bytes_to_string(g, buf: int, s):
        """``slicebytetostring``."""
        n = s[1]
        if n == 0:
            return (0, 0)
        if n == 1:
            return (STATICBYTES + U8[s[0] - B] * 8, 1)
        return newstring(g, mem[s[0] - B:s[0] - B + n], buf)

    def string_to_bytes(g, buf: int, s):
        """``stringtoslicebyte``: a stack buffer of 32 bytes if it fits, else ``rawbyteslice`` (capacity rounded
        up to the size class)."""
        n = s[1]
        if buf and n <= TMP_STRING_BUF:
            p = buf
            memclr(p, TMP_STRING_BUF)
            cap = n
        else:
            cap = roundupsize(n, True)
            p = g.alloc(cap) if cap else ZEROBASE
            if cap > n:
                memclr(p + n, cap - n)
        if n:
            U8[p - B:p - B + n] = mem[s[0] - B:s[0] - B + n]
        return (p, n, cap)

    def intstring(g, buf: int, r: int):
        """``string(rune)``: ``intstring`` encodes into the 4-byte stack buffer, or into ``rawstring(4)`` (a 4-byte
        heap object even for a one-byte result) when the string escapes."""
        data = encoderune(r)
        if buf:
            p = buf
        else:
            p = g.alloc(4)
        U8[p - B:p - B + len(data)] = data
        return (p, len(data))

    def runes_to_string(g, buf: int, s, I32):
        """``string(runes)`` (``slicerunetostring``): the encoded size plus 3 bytes of room from
        ``rawstringtmp`` -- the caller's buffer if it fits, else a heap object of that size, made even
        for no runes."""
        data = b"".join(encoderune(I32[((s[0] - B) >> 2) + i]) for i in range(s[1]))
        n = len(data)
        p = buf if buf and n + 3 <= TMP_STRING_BUF else g.alloc(n + 3)
        U8[p - B:p - B + n] = data
        return (p, n) if n else (0, 0)

    def string_to_runes(g, buf: int, s, I32, rune_et):
        rs = [r for _, r in decoderunes(gostr(s))]
        n = len(rs)
        if buf and n <= TMP_STRING_BUF:
            p = buf
            memclr(p, TMP_STRING_BUF * 4)
            cap = n
        else:
            cap = roundupsize(n * 4, True) // 4
            p = g.alloc(cap * 4) if cap else ZEROBASE
        for i, r in enumerate(rs):
            I32[((p - B) >> 2) + i] = r
        return (p, n, cap)

    return {k: v for k, v in locals().items() if callable(v) and not k.startswith("_") and k not in
            ("make_helpers",)} | {"_on_stack": _on_stack}


def encoderune(r: int) -> bytes:
    """``utf8.EncodeRune``: invalid code points and surrogates become U+FFFD."""
    if r < 0 or r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return chr(r).encode("utf-8")


def decoderunes(b: bytes):
    """``for i, r := range s``: (byte offset, rune) pairs; each invalid byte is U+FFFD of width 1."""
    i = 0
    n = len(b)
    out = []
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append((i, c))
            i += 1
            continue
        r, w = decoderune(b, i)
        out.append((i, r))
        i += w
    return out


def decoderune(b: bytes, i: int) -> tuple[int, int]:
    """``utf8.DecodeRune(b[i:])``: (rune, width); (RuneError, 1) for an invalid or short sequence."""
    c = b[i]
    if c < 0x80:
        return c, 1
    if 0xC2 <= c <= 0xDF:
        w = 2
    elif 0xE0 <= c <= 0xEF:
        w = 3
    elif 0xF0 <= c <= 0xF4:
        w = 4
    else:
        return 0xFFFD, 1
    chunk = b[i:i + w]
    try:
        s = chunk.decode("utf-8")
    except UnicodeDecodeError:
        return 0xFFFD, 1
    return ord(s), w


def f32(x: float) -> float:
    """A float64 rounded to float32, as a conversion or float32 arithmetic does."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def s8(x: int) -> int:
    return ((x + 0x80) & 0xFF) - 0x80


def s16(x: int) -> int:
    return ((x + 0x8000) & 0xFFFF) - 0x8000


def s32(x: int) -> int:
    return ((x + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def s64(x: int) -> int:
    if -0x8000000000000000 <= x <= 0x7FFFFFFFFFFFFFFF:
        return x
    return ((x + 0x8000000000000000) & _M64) - 0x8000000000000000


__all__ = ["GoPanic", "roundupsize", "next_slice_cap", "make_helpers", "encoderune", "decoderunes", "f32",
           "s8", "s16", "s32", "s64"]
