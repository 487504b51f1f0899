"""Runtime helpers of the standard-library calls of :mod:`gomem.compile.libstd`: ``strings`` (Builder and the
functions), ``unicode/utf8``, ``math/rand``, ``math/rand/v2``, ``sort``/``slices``, ``runtime``.

Each allocates what Go's function allocates, with the same sizes and scan/noscan:

* a ``strings.Builder`` lives in model memory with Go's layout (``addr *Builder; buf []byte``);
  its appends are ``growslice`` of a ``[]byte`` and ``Grow`` is ``bytealg.MakeNoZero(2*cap+n)``,
  a noscan ``mallocgc`` of ``roundupsize(2*cap+n)``;
* functions that build a string with a Builder (Join, Repeat, Replace, ToUpper/ToLower on ASCII)
  call ``Grow`` once with the exact length: one noscan object of ``roundupsize(n)``, none for
  an empty result; ``strings.Map`` (ToUpper/ToLower of non-ASCII text) runs its Builder
  (``Grow(len(s)+4)`` at the first changed rune, then appends that may grow) in a frame of its
  own, as Go's Map keeps the Builder on its stack, so every intermediate buffer is a root;
* functions returning substrings (Trim*, Fields' and Split's elements, Cut) return views of
  their argument's bytes and allocate nothing; Split/Fields make one ``[]string`` of Go's
  length (``min(Count+1, len(s)+1)`` for Split; Fields' exact count, FieldsFunc's spans
  first in a 32-element stack array, then grown on the heap);
* ``rand.NewSource`` allocates its ``rngSource`` (4872 bytes, noscan: ``moved to heap: rng``)
  and keeps the generator's state in it: ``tap`` and ``feed`` at offsets 0 and 8, ``vec`` from
  16; ``rand.New`` writes a ``Rand`` (48 bytes, its ``src`` and ``s64`` interfaces pointing at
  the source) on the heap or in the caller's frame (see :meth:`gomem.compile.libstd.StdLib.call_rand_New`);
* ``math/rand``'s package initialisation allocates 3 objects (176 bytes: its godebug
  settings) before main in Go; the model makes them at the program's first ``math/rand`` call
  (simplification: the same objects, later).
"""

from __future__ import annotations

import array
import operator
import sys

from ..runtime import types as gotypes
from ..runtime.proc import switch_out
from ..runtime.arena import ARENA_BASE_ADDR as B
from . import fmt as gofmt
from . import gomath as GM
from . import rand as R
from . import sort as S
from . import strconv
from . import strings as GS
from . import unicode as U
from ..runtime.sched import G_DEAD, G_WAITING
from ..runtime.panics import GoPanic, runtime_error
from ..runtime.support import decoderunes, f32, next_slice_cap, roundupsize

_M64 = (1 << 64) - 1
_M63 = (1 << 63) - 1
STRING_RT = gotypes.STRING
#: the frame of a library function that keeps a Builder and one more pointer on its stack
#: (strings.Map's b; FieldsFunc's spans array once it moved to the heap)
STD_FRAME = gotypes.struct_of([("addr", gotypes.UNSAFE_POINTER), ("buf", gotypes.slice_of(gotypes.UINT8)),
                               ("extra", gotypes.UNSAFE_POINTER)])
#: FieldsFunc's spans := make([]span, 0, 32): on the stack, 16-byte elements
SPANS_STACK = 32
SPAN_SIZE = 16
#: rngSource: tap, feed, vec [607]int64
RNG_SOURCE_SIZE = 16 + 8 * R.RNG_LEN
#: math/rand's package init, which links internal/godebug: its init's two ``new(func...)`` (runtime's
#: godebug_setUpdate and godebug_setNewIncNonDefault) and a 160-byte HashTrieMap node (sync.Map.Range
#: in godebug.update); 3 objects, 176 bytes, all with pointers, as measured against the start-up program
_PTR = gotypes.pointer_to(gotypes.UINT8)
RAND_INIT_ALLOCS = ((8, _PTR), (8, _PTR), (160, gotypes.array_of(_PTR, 20)))
_PTR6 = gotypes.array_of(_PTR, 6)
#: the Rand of math/rand (src Source; s64 Source64; readVal int64; readPos int8) and v2's (src Source)
RAND_RT = gotypes.struct_of([("src", gotypes.interface_of()), ("s64", gotypes.interface_of()),
                             ("readVal", gotypes.INT64), ("readPos", gotypes.INT8)])
RAND2_RT = gotypes.struct_of([("src", gotypes.interface_of())])
PCG_SIZE = 16


class _MemRng:
    """An rngSource's state read and written in model memory (``vec`` as a slice of the int64 view)."""

    __slots__ = ("i64", "i")

    def __init__(self, i64, addr: int):
        self.i64 = i64
        self.i = (addr - B) >> 3

    @property
    def tap(self):
        return self.i64[self.i]

    @tap.setter
    def tap(self, v):
        self.i64[self.i] = v

    @property
    def feed(self):
        return self.i64[self.i + 1]

    @feed.setter
    def feed(self, v):
        self.i64[self.i + 1] = v

    @property
    def vec(self):
        return _Vec(self.i64, self.i + 2)


class _Vec:
    __slots__ = ("i64", "i")

    def __init__(self, i64, i):
        self.i64 = i64
        self.i = i

    def __getitem__(self, k):
        return self.i64[self.i + k]

    def __setitem__(self, k, v):
        self.i64[self.i + k] = v


def make_std_helpers(ns: dict, image) -> dict:
    """The helpers, closed over the program's namespace (its memory views and the runtime helpers
    of :func:`gomem.runtime.support.make_helpers`) and its image (read-only data: itabs, constant strings)."""
    W = ns["W"]
    U8 = ns["U8"]
    I64 = ns["I64"]
    mem = U8.obj
    growslice = ns["growslice"]
    #: the itabs of *rngSource as Source and Source64, *PCG as v2's Source: type words of the Rand's interfaces
    ITAB_RNG_SOURCE = image.rodata(bytes(32))
    ITAB_RNG_SOURCE64 = image.rodata(bytes(32))
    ITAB_PCG = image.rodata(bytes(32))
    #: the itabs of *runtimeSource as math/rand's Source and Source64, and of v2's runtimeSource as v2's Source
    ITAB_RUNTIME_SOURCE = image.rodata(bytes(32))
    ITAB_RUNTIME_SOURCE64 = image.rodata(bytes(32))
    ITAB_RUNTIME2 = image.rodata(bytes(32))
    #: math/rand/v2's ``var globalRand = &Rand{src: runtimeSource{}}``: static data (no allocation); the
    #: source is a zero-size struct, its data word &zerobase
    GLOBAL_RAND2 = image.rodata(ITAB_RUNTIME2.to_bytes(8, "little") + bytes(8))
    state = {"rand_init": False, "global_rand": 0, "runtime_rng": None}

    def sbytes(s) -> bytes:
        return bytes(mem[s[0] - B:s[0] - B + s[1]]) if s[1] else b""

    def sub(s, lo: int, hi: int):
        """``s[lo:hi]``: a view of the same bytes."""
        return (s[0] + lo, hi - lo) if hi > lo else (0, 0)

    def nil(p: int) -> int:
        return ns["nilcheck"](p)

    # -- strings.Builder --------------------------------------------------------------------

    def sb_check(g, b: int) -> None:
        """``copyCheck``: the first use records the Builder's address; a copy of a used one panics."""
        a = W[(nil(b) - B) >> 3]
        if a == 0:
            g.write_slot(b, b)
        elif a != b:
            raise GoPanic("strings: illegal use of non-zero Builder copied by value")

    def sb_append(g, b: int, data: bytes) -> None:
        """``b.buf = append(b.buf, data...)``."""
        n = len(data)
        if not n:
            return
        i = (b - B) >> 3
        ptr, ln, cap = W[i + 1], W[i + 2], W[i + 3]
        newlen = ln + n
        if newlen > cap:
            ptr, _, cap = growslice(g, (ptr, ln, cap), newlen, None, 1, True)
            g.write_slot(b + 8, ptr)
            W[i + 3] = cap
        U8[ptr - B + ln:ptr - B + newlen] = data
        W[i + 2] = newlen

    def sb_grow(g, b: int, n: int) -> None:
        """``Builder.grow``: a buffer of ``MakeNoZero(2*cap+n)``, the bytes so far copied."""
        i = (b - B) >> 3
        ptr, ln, cap = W[i + 1], W[i + 2], W[i + 3]
        newcap = roundupsize(2 * cap + n, True)
        p = g.alloc(newcap)
        if ln:
            U8[p - B:p - B + ln] = mem[ptr - B:ptr - B + ln]
        g.write_slot(b + 8, p)
        W[i + 3] = newcap

    def sb_Grow(g, b: int, n: int) -> None:
        sb_check(g, b)
        if n < 0:
            raise GoPanic("strings.Builder.Grow: negative count")
        i = (b - B) >> 3
        if W[i + 3] - W[i + 2] < n:
            sb_grow(g, b, n)

    def sb_WriteString(g, b: int, s):
        sb_check(g, b)
        sb_append(g, b, sbytes(s))
        return (s[1], (0, 0))

    def sb_Write(g, b: int, p):
        sb_check(g, b)
        sb_append(g, b, sbytes(p))
        return (p[1], (0, 0))

    def sb_WriteByte(g, b: int, c: int):
        sb_check(g, b)
        sb_append(g, b, bytes((c & 0xFF,)))
        return (0, 0)

    def sb_WriteRune(g, b: int, r: int):
        sb_check(g, b)
        data = U.encode(r) if r >= 0x80 or r < 0 else bytes((r,))
        sb_append(g, b, data)
        return (len(data), (0, 0))

    def sb_String(b: int):
        i = (nil(b) - B) >> 3
        return (W[i + 1], W[i + 2])

    def sb_Len(b: int) -> int:
        return W[((nil(b) - B) >> 3) + 2]

    def sb_Cap(b: int) -> int:
        return W[((nil(b) - B) >> 3) + 3]

    def sb_Reset(g, b: int) -> None:
        i = (nil(b) - B) >> 3
        g.write_slot(b, 0)
        g.write_slot(b + 8, 0)
        W[i + 2] = 0
        W[i + 3] = 0

    def fprint_(g, w, how: str, fmt, args):
        """``fmt.Fprint*(w, ...)``: formatted in a printer (as Sprint* are), then ``w.Write(p.buf)``."""
        ops = ns["operands"](args)
        h = ns["host"]()
        fn = getattr(gofmt, how)
        out = ns["formatted"](g, fn, fmt, ops, h) if fmt is not None else ns["formatted"](g, fn, ops, h)
        if isinstance(w, tuple):
            sb_check(g, w[1])
            sb_append(g, w[1], out)
        elif w == "stdout":
            ns["write"](g, out)
        elif w == "stderr":
            write_stderr(out)
        return (len(out), (0, 0))

    # -- log -----------------------------------------------------------------------------------------

    def log_output(g, how: str, fmt, args, then: str):
        """The standard Logger's ``output`` (log/log.go, flags ``LstdFlags``, no prefix): the date and time
        of model time (UTC: see support_time's MODEL_EPOCH_UNIX), the text as ``fmt.Append*`` formats it, a
        newline if it has none, written to standard error in one write; *then* ``"fatal"`` exits 1.
        Allocations: ``getBuffer``'s ``new([]byte)`` (24 bytes) and the buffer's growth by ``append``
        piece by piece (the header's fields, then the text, then the newline), the printer as fmt's.
        Simplifications: the buffer pool is taken as empty at every call (as after a GC), and the
        Logger ``std`` of log's init (before main in Go) is not allocated."""
        import time as _pytime

        from .support_time import MODEL_EPOCH_UNIX

        t = g.p.now if g.p is not None else g.rt.now
        tm = _pytime.gmtime(MODEL_EPOCH_UNIX + t // 1_000_000_000)
        ops = ns["operands"](args)
        h = ns["host"]()
        fn = getattr(gofmt, how)
        g.alloc(24, gotypes.slice_of(gotypes.UINT8))  # bufferPool.New: new([]byte)
        header = [b"%04d" % tm.tm_year, b"/", b"%02d" % tm.tm_mon, b"/", b"%02d" % tm.tm_mday, b" ",
                  b"%02d" % tm.tm_hour, b":", b"%02d" % tm.tm_min, b":", b"%02d" % tm.tm_sec, b" "]
        text = ns["formatted"](g, fn, fmt, ops, h) if fmt is not None else ns["formatted"](g, fn, ops, h)
        pieces = header + [bytes(text)]
        if not text.endswith(b"\n"):
            pieces.append(b"\n")
        ln = cap = 0
        for piece in pieces:  # *buf = append(*buf, piece...)
            if ln + len(piece) > cap:
                cap = roundupsize(next_slice_cap(ln + len(piece), cap), True)
                g.alloc(cap)
            ln += len(piece)
        write_stderr(b"".join(pieces))
        if then == "fatal":
            ns["os_exit"](g, 1)
        return None

    # -- strings functions ------------------------------------------------------------------

    def built(g, data: bytes):
        """A Builder that Grows to exactly len(data) and writes it: one noscan object (none if empty)."""
        n = len(data)
        if n == 0:
            return (0, 0)
        p = g.alloc(roundupsize(n, True))
        U8[p - B:p - B + n] = data
        return (p, n)

    def run_builder(g, ops, name: str):
        """Builder calls (``("grow", n)``, ``("str", bytes)``, ``("byte", c)``, ``("rune", r)``) on a Builder in
        a frame of their own (Go's ``var b Builder`` on the library function's stack); its String()."""
        f = g.runtime_frame(STD_FRAME, name)
        b = f.addr("addr")
        for op, v in ops:
            if op == "grow":
                sb_Grow(g, b, v)
            elif op == "str":
                sb_check(g, b)
                sb_append(g, b, v)
            elif op == "byte":
                sb_check(g, b)
                sb_append(g, b, bytes((v,)))
            else:
                sb_check(g, b)
                sb_append(g, b, U.encode(v))
        res = sb_String(b)
        g.pop(f)
        return res

    def string_slice(g, s, spans, made: int):
        """``make([]string, made)`` holding ``s[lo:hi]`` for each span, sliced to len(spans)."""
        if made == 0:
            return (ns["ZEROBASE"], 0, 0)
        a = g.alloc(16 * made, STRING_RT)
        for k, (lo, hi) in enumerate(spans):
            v = sub(s, lo, hi)
            if v[0]:
                g.write_slot(a + 16 * k, v[0])
            W[((a - B) >> 3) + 2 * k + 1] = v[1]
        return (a, len(spans), made)

    def str_elems(sl):
        """The strings of a []string value."""
        i = (sl[0] - B) >> 3
        return [(W[i + 2 * k], W[i + 2 * k + 1]) for k in range(sl[1])]

    def strings_Join(g, elems, sep):
        n = elems[1]
        if n == 0:
            return (0, 0)
        es = str_elems(elems)
        if n == 1:
            return es[0]
        return built(g, sbytes(sep).join(sbytes(e) for e in es))

    def strings_Split(g, s, sep):
        made, spans = GS.gen_split(sbytes(s), sbytes(sep), 0, -1)
        return string_slice(g, s, spans, made)

    def strings_SplitN(g, s, sep, n: int):
        if n == 0:
            return (0, 0, 0)
        made, spans = GS.gen_split(sbytes(s), sbytes(sep), 0, n)
        return string_slice(g, s, spans, made)

    def strings_SplitAfter(g, s, sep):
        made, spans = GS.gen_split(sbytes(s), sbytes(sep), s[1] and sep[1], -1)
        return string_slice(g, s, spans, made)

    def strings_Fields(g, s):
        data = sbytes(s)
        spans = GS.fields_ascii(data)
        if spans is not None:
            return string_slice(g, s, spans, len(spans))
        return fields_func(g, s, GS.fields_func(data, U.is_space), "strings.FieldsFunc")

    def fields_func(g, s, spans, name: str):
        """FieldsFunc's allocations: its spans array (32 on the stack, then growslice on the heap), then the []string."""
        cap = SPANS_STACK
        f = None
        if len(spans) > cap:
            f = g.runtime_frame(STD_FRAME, name)
            ptr = 0
            while len(spans) > cap:
                newcap = next_slice_cap(cap + 1, cap)
                capmem = roundupsize(newcap * SPAN_SIZE, True)
                ptr = g.alloc(capmem)  # growslice of []span (noscan); its old contents are the spans so far
                W[(f.addr("extra") - B) >> 3] = ptr
                cap = capmem // SPAN_SIZE
            for k, (lo, hi) in enumerate(spans):
                I64[((ptr - B) >> 3) + 2 * k] = lo
                I64[((ptr - B) >> 3) + 2 * k + 1] = hi
        out = string_slice(g, s, spans, len(spans))
        if f is not None:
            g.pop(f)
        return out

    def strings_Repeat(g, s, count: int):
        if count == 0:
            return (0, 0)
        if count == 1:
            return s
        if count < 0:
            raise GoPanic("strings: negative Repeat count")
        n = s[1] * count
        if n > (1 << 63) - 1:
            raise GoPanic("strings: Repeat output length overflow")
        if s[1] == 0:
            return (0, 0)
        data = sbytes(s)
        if data[0] in b" -0=\t":
            for ch, size in ((b" ", 128), (b"-", 128), (b"0", 64), (b"=", 128), (b"\t", 64)):
                if n <= size and (ch * size).startswith(data):
                    return image.string(ch * n)
        return built(g, data * count)

    def case_map(g, s, res):
        if res is None:
            return s
        if isinstance(res, bytes):
            return built(g, res)
        return run_builder(g, res, "strings.Map")

    def strings_ToUpper(g, s):
        return case_map(g, s, GS.to_upper(sbytes(s)))

    def strings_ToLower(g, s):
        return case_map(g, s, GS.to_lower(sbytes(s)))

    def strings_Replace(g, s, old, new, n: int):
        res = GS.replace(sbytes(s), sbytes(old), sbytes(new), n)
        if res is None:
            return s
        return built(g, res[1])

    def strings_TrimSpace(s):
        lo, hi = GS.trim_space(sbytes(s))
        return sub(s, lo, hi)

    def strings_Trim(s, cutset):
        lo, hi = GS.trim(sbytes(s), sbytes(cutset))
        return sub(s, lo, hi)

    def strings_TrimLeft(s, cutset):
        data = sbytes(s)
        return sub(s, GS.trim_left(data, 0, len(data), sbytes(cutset)), len(data))

    def strings_TrimRight(s, cutset):
        data = sbytes(s)
        return sub(s, 0, GS.trim_right(data, 0, len(data), sbytes(cutset)))

    def strings_TrimPrefix(s, prefix):
        if sbytes(s).startswith(sbytes(prefix)):
            return sub(s, prefix[1], s[1])
        return s

    def strings_TrimSuffix(s, suffix):
        if sbytes(s).endswith(sbytes(suffix)):
            return sub(s, 0, s[1] - suffix[1])
        return s

    def strings_Cut(s, sep):
        i = sbytes(s).find(sbytes(sep))
        if i >= 0:
            return (sub(s, 0, i), sub(s, i + sep[1], s[1]), True)
        return (s, (0, 0), False)

    # -- unicode/utf8 on model memory -------------------------------------------------------

    def utf8_append(g, p, r: int):
        """``utf8.AppendRune``: one append of the rune's encoding."""
        data = bytes((r,)) if 0 <= r < 0x80 else U.encode(r)
        ptr, ln, cap = p
        newlen = ln + len(data)
        if newlen > cap:
            ptr, _, cap = growslice(g, p, newlen, None, 1, True)
        U8[ptr - B + ln:ptr - B + newlen] = data
        return (ptr, newlen, cap)

    def utf8_encode(p, r: int) -> int:
        """``utf8.EncodeRune(p, r)``: writes into p (index out of range if it does not fit)."""
        data = bytes((r,)) if 0 <= r < 0x80 else U.encode(r)
        if len(data) > p[1]:
            raise runtime_error(f"index out of range [{len(data) - 1}] with length {p[1]}")
        U8[p[0] - B:p[0] - B + len(data)] = data
        return len(data)

    # -- math/rand ----------------------------------------------------------------------------

    def rand_pkg_init(g) -> None:
        if not state["rand_init"]:
            state["rand_init"] = True
            for size, rt in RAND_INIT_ALLOCS:
                g.alloc(size, rt)

    def rand_new_source(g, seed: int) -> int:
        """``rand.NewSource(seed)``'s rngSource: heap, noscan, seeded in model memory."""
        rand_pkg_init(g)
        p = g.alloc(RNG_SOURCE_SIZE)
        tap, feed, vec = R.seed_rng(seed)
        i = (p - B) >> 3
        I64[i] = tap
        I64[i + 1] = feed
        I64[i + 2:i + 2 + R.RNG_LEN] = _pack_i64(vec)
        return p

    def rand_new(g, src: int, obj: int) -> int:
        """``&Rand{src: src, s64: src}`` in *obj* (a heap object or a frame slot)."""
        i = (obj - B) >> 3
        W[i] = ITAB_RNG_SOURCE
        g.write_slot(obj + 8, src)
        W[i + 2] = ITAB_RNG_SOURCE64
        g.write_slot(obj + 24, src)
        return obj

    def runtime_rand(g=None):
        """The runtime's ``rand()`` as math/rand's runtimeSource reads it: 64 random bits from a generator
        of the run's seed (Go's is an unseeded per-M ChaCha8: any sequence is faithful; the seed keeps runs
        reproducible), independent of the scheduler's and the maps' draws."""
        rng = state["runtime_rng"]
        if rng is None:
            import random
            seed = getattr(getattr(getattr(g, "rt", None), "sched", None), "seed", 0) or 0
            rng = state["runtime_rng"] = random.Random((seed & _M64) ^ 0x6D617468_72616E64)  # "mathrand"
        return rng.getrandbits(64)

    def godebug_value(g, name: str) -> None:
        """The allocations of a ``godebug.Setting``'s first ``Value()`` (its ``once`` runs ``lookup``):
        ``new(setting)`` (48 bytes), then ``cache.LoadOrStore(name, s)``: the name's ``convTstring``
        (16 bytes) and the HashTrieMap's entry node (48 bytes), all with pointers (internal/godebug).
        Simplification: the two 48-byte objects get an all-pointer bitmap."""
        done = state.setdefault("godebug", set())
        if name in done:
            return
        done.add(name)
        g.alloc(48, _PTR6)
        g.alloc(16, STRING_RT)
        g.alloc(48, _PTR6)

    def rand_Seed(g, seed: int) -> None:
        """math/rand's top-level ``Seed``: a no-op since Go 1.24 (``randseednop``'s default) after reading
        the setting."""
        rand_pkg_init(g)
        godebug_value(g, "randseednop")

    def rand_global(g) -> int:
        """math/rand's ``globalRand()``: at the first top-level call, ``&Rand{src: &runtimeSource{},
        s64: &runtimeSource{}}`` (the Rand, 48 bytes with pointers, then two 8-byte noscan runtimeSources,
        each a sync.Mutex) stored in ``globalRandGenerator`` (a package variable: a root)."""
        r = state["global_rand"]
        if r:
            return r
        rand_pkg_init(g)
        godebug_value(g, "randautoseed")  # randautoseed.Value() == "0"? (no: the runtime source)
        r = g.alloc(RAND_RT.size, RAND_RT)
        gv = ns["static_new"](_PTR)  # math/rand.globalRandGenerator (atomic.Pointer[Rand])
        g.write_slot(gv, r)
        i = (r - B) >> 3
        W[i] = ITAB_RUNTIME_SOURCE
        g.write_slot(r + 8, g.alloc(8))
        W[i + 2] = ITAB_RUNTIME_SOURCE64
        g.write_slot(r + 24, g.alloc(8))
        state["global_rand"] = r
        return r

    def rand2_global(g) -> int:
        return GLOBAL_RAND2

    def rng_of(r: int) -> _MemRng:
        i = (nil(r) - B) >> 3
        if W[i] != ITAB_RNG_SOURCE:
            raise GoPanic("gomem: a math/rand Rand whose source is not rand.NewSource's")
        return _MemRng(I64, W[i + 1])

    def int63_of(r: int):
        if W[(nil(r) - B) >> 3] == ITAB_RUNTIME_SOURCE:
            return lambda: runtime_rand() & _M63  # runtimeSource.Int63
        st = rng_of(r)
        return lambda: R.rng_next(st) & _M63

    def rand_guard(fn, *a):
        try:
            return fn(*a)
        except ValueError as e:
            raise GoPanic(str(e)) from None

    def rand_Int63(r):
        return int63_of(r)()

    def rand_Uint64(r):
        if W[(nil(r) - B) >> 3] == ITAB_RUNTIME_SOURCE:
            return runtime_rand()  # r.s64.Uint64(): runtimeSource.Uint64
        return R.rng_next(rng_of(r))

    def rand_Uint32(r):
        return R.uint32_(int63_of(r))

    def rand_Int31(r):
        return R.int31(int63_of(r))

    def rand_Int(r):
        return int63_of(r)()

    def rand_Intn(r, n):
        return rand_guard(R.intn, int63_of(r), n)

    def rand_Int63n(r, n):
        return rand_guard(R.int63n, int63_of(r), n)

    def rand_Int31n(r, n):
        return rand_guard(R.int31n, int63_of(r), n)

    def rand_Float64(r):
        return R.float64_(int63_of(r))

    def rand_Float32(r):
        """``Rand.Float32``: ``float32(r.Float64())``, resampled while it rounds to 1."""
        while True:
            f = f32(R.float64_(int63_of(r)))
            if f != 1:
                return f

    def rand_Read(r, p):
        """``Rand.Read(p)``: 7 bytes of each Int63, low byte first, the leftover kept in the Rand's
        readVal/readPos (math/rand's ``read``); always ``len(p), nil``."""
        i = (nil(r) - B) >> 3
        int63 = int63_of(r)
        val, pos = I64[i + 4], U8[r + 40 - B]
        out = bytearray(p[1])
        for k in range(p[1]):
            if pos == 0:
                val = int63()
                pos = 7
            out[k] = val & 0xFF
            val >>= 8
            pos -= 1
        if p[1]:
            U8[p[0] - B:p[0] - B + p[1]] = bytes(out)
        I64[i + 4], U8[r + 40 - B] = val, pos
        return (p[1], (0, 0))

    def int_slice(g, vals):
        """``make([]int, n)`` (noscan) holding *vals*."""
        n = len(vals)
        if n == 0:
            return (ns["ZEROBASE"], 0, 0)
        p = g.alloc(8 * n)
        I64[(p - B) >> 3:((p - B) >> 3) + n] = _pack_i64(vals)
        return (p, n, n)

    def rand_Perm(g, r, n):
        if n < 0:
            raise runtime_error("makeslice: len out of range")
        return int_slice(g, R.perm(int63_of(r), n))

    # -- math/rand/v2 ---------------------------------------------------------------------------

    def rand2_new_pcg(g, seed1: int, seed2: int) -> int:
        p = g.alloc(PCG_SIZE)
        W[(p - B) >> 3] = seed1 & _M64
        W[((p - B) >> 3) + 1] = seed2 & _M64
        return p

    def rand2_new(g, src: int, obj: int) -> int:
        W[(obj - B) >> 3] = ITAB_PCG
        g.write_slot(obj + 8, src)
        return obj

    def uint64_of(r: int):
        i = (nil(r) - B) >> 3
        if W[i] == ITAB_RUNTIME2:
            return runtime_rand  # v2's runtimeSource.Uint64
        if W[i] != ITAB_PCG:
            raise GoPanic("gomem: a math/rand/v2 Rand whose source is not rand.NewPCG's")
        j = (W[i + 1] - B) >> 3

        def next_():
            hi, lo, v = R.pcg_next(W[j], W[j + 1])
            W[j], W[j + 1] = hi, lo
            return v
        return next_

    def rand2_Uint64(r):
        return uint64_of(r)()

    def rand2_Uint32(r):
        return uint64_of(r)() >> 32

    def rand2_Int64(r):
        return uint64_of(r)() & _M63

    def rand2_Int32(r):
        return uint64_of(r)() >> 33

    def rand2_Int(r):
        return uint64_of(r)() & _M63

    def rand2_N(r, n: int, what: str):
        if n <= 0:
            raise GoPanic(f"invalid argument to {what}")
        return R.uint64n(uint64_of(r), n)

    def rand2_Float64(r):
        return R.v2_float64(uint64_of(r))

    def rand2_Float32(r):
        return R.v2_float32(uint64_of(r))

    def rand2_Perm(g, r, n):
        if n < 0:
            raise runtime_error("makeslice: len out of range")
        p = list(range(n))
        u = uint64_of(r)
        for i in range(n - 1, 0, -1):
            j = R.uint64n(u, i + 1)
            p[i], p[j] = p[j], p[i]
        return int_slice(g, p)

    # -- sort / slices ----------------------------------------------------------------------------

    def sort_words(s, view, lt, stable: bool = False) -> None:
        """Sort a slice of scalars in place (*view*: the typed view of their kind)."""
        n = s[1]
        if n < 2:
            return
        i = (s[0] - B) // view.itemsize
        xs = list(view[i:i + n])
        (S.stable_list if stable else S.sort_list)(xs, lt)
        view[i:i + n] = _pack(view, xs)

    def sort_strings(g, s) -> None:
        n = s[1]
        if n < 2:
            return
        es = str_elems(s)
        keyed = [(sbytes(e), e) for e in es]
        S.sort_list(keyed, lambda x, y: x[0] < y[0])
        i = (s[0] - B) >> 3
        for k, (_, e) in enumerate(keyed):
            if W[i + 2 * k] != e[0]:
                g.write_slot(s[0] + 16 * k, e[0])
            W[i + 2 * k + 1] = e[1]

    def search_words(s, view, x, lt) -> int:
        i = (s[0] - B) // view.itemsize
        return S.search(s[1], lambda h: not lt(view[i + h], x))

    def search_strings(s, x) -> int:
        es = str_elems(s)
        xb = sbytes(x)
        return S.search(len(es), lambda h: sbytes(es[h]) >= xb)

    def words_of(s, view):
        i = (s[0] - B) // view.itemsize
        return view[i:i + s[1]]

    def slices_Reverse(g, s, es: int, ptr_offs) -> None:
        n = s[1]
        if n < 2:
            return
        a = s[0]
        data = [bytes(mem[a - B + k * es:a - B + (k + 1) * es]) for k in range(n)]
        data.reverse()
        for k, d in enumerate(data):
            o = a + k * es
            for off in ptr_offs:
                g.write_slot(o + off, int.from_bytes(d[off:off + 8], "little"))
            U8[o - B:o - B + es] = d

    def slices_Index_str(s, v) -> int:
        vb = sbytes(v)
        for k, e in enumerate(str_elems(s)):
            if e[1] == v[1] and sbytes(e) == vb:
                return k
        return -1

    def slices_MinMax_str(s, want_max: bool):
        es = str_elems(s)
        if not es:
            raise GoPanic("slices.Max: empty list" if want_max else "slices.Min: empty list")
        best = es[0]
        bb = sbytes(best)
        for e in es[1:]:
            eb = sbytes(e)
            if (eb > bb) if want_max else (eb < bb):
                best, bb = e, eb
        return best

    def slices_MinMax(s, view, want_max: bool, floats: bool):
        xs = words_of(s, view)
        if not len(xs):
            raise GoPanic("slices.Max: empty list" if want_max else "slices.Min: empty list")
        m = xs[0]
        for x in xs[1:]:
            if floats:
                m = ns["fmax"](m, x) if want_max else ns["fmin"](m, x)
            elif (x > m) if want_max else (x < m):
                m = x
        return m

    # -- runtime ----------------------------------------------------------------------------------

    def runtime_GC(g) -> None:
        """``runtime.GC()``: a full cycle and the sweep.  While g waits for the cycle, its P runs the
        program's other goroutines and the collector's workers (the run loop; Go parks g in
        ``gcWaitOnMark``); a program with no other goroutine has the P mark for it inline."""
        rt = g.rt
        for _ in rt.gc.user_gc(g):
            if rt.procs is not None and rt.procs.user > 0:
                switch_out()  # parked until mark termination readies it
            else:
                rt.schedule_inline(g, g.p)

    def runtime_ReadMemStats(g, m: int, fields) -> None:
        """Fill the MemStats at *m*: *fields* are (name, offset, kind) of Go's declaration."""
        from ..cmd.report import memstats

        ms = memstats(g.rt)
        nil(m)
        for name, off, kind in fields:
            if name == "BySize":
                continue
            v = getattr(ms, name)
            a = m + off
            if kind == "u64":
                if isinstance(v, list):
                    for k, x in enumerate(v):
                        W[((a - B) >> 3) + k] = x & _M64
                else:
                    W[(a - B) >> 3] = int(v) & _M64
            elif kind == "u32":
                ns["U32"][(a - B) >> 2] = int(v) & 0xFFFFFFFF
            elif kind == "f64":
                ns["F64"][(a - B) >> 3] = float(v)
            elif kind == "bool":
                U8[a - B] = 1 if v else 0
        by = next((f for f in fields if f[0] == "BySize"), None)
        if by is not None:
            a = m + by[1]
            for k, c in enumerate(ms.BySize[:61]):
                e = a + 24 * k
                ns["U32"][(e - B) >> 2] = c.Size
                W[(e + 8 - B) >> 3] = c.Mallocs & _M64
                W[(e + 16 - B) >> 3] = c.Frees & _M64

    def write_stderr(data: bytes) -> None:
        """Bytes to the program's standard error, unbuffered as Go's fd 2 (and in order with what gomem printed)."""
        sys.stdout.flush()
        err = sys.stderr
        err.flush()
        buf = getattr(err, "buffer", None)
        if buf is not None:
            buf.write(bytes(data))
        else:
            err.write(bytes(data).decode("utf-8", "surrogateescape"))
        err.flush()

    def gprint(g, parts, nl: bool) -> None:
        """The ``print``/``println`` builtins (``runtime/print.go``): each argument formatted as the compiler's
        walkPrint picks the printer for its type, with spaces between and a newline for ``println``, written to
        standard error in one piece (printlock); nothing is allocated.  *parts* are ``(kind, value)``."""
        out = []
        for kind, v in parts:
            if kind == "s":
                out.append(bytes(sbytes(v)))
            elif kind == "i" or kind == "u":
                out.append(str(v).encode())
            elif kind == "b":
                out.append(b"true" if v else b"false")
            elif kind == "f64" or kind == "f32":
                out.append(strconv.FormatFloat(v, "g", -1, 64 if kind == "f64" else 32))
            elif kind == "c128" or kind == "c64":
                bits = 64 if kind == "c128" else 32
                im = strconv.FormatFloat(v.imag, "g", -1, bits)
                sign = b"" if im[:1] in (b"+", b"-") else b"+"
                out.append(b"(" + strconv.FormatFloat(v.real, "g", -1, bits) + sign + im + b"i)")
            elif kind == "p":
                out.append(b"0x%x" % v)
            elif kind == "sl":
                out.append(b"[%d/%d]0x%x" % (v[1], v[2], v[0]))
            else:  # an interface: (type word, data word)
                out.append(b"(0x%x,0x%x)" % (v[0], v[1]))
        data = (b" " if nl else b"").join(out) + (b"\n" if nl else b"")
        write_stderr(data)

    def runtime_NumGoroutine(g) -> int:
        return sum(1 for x in g.rt.sched.allgs if x.status != G_DEAD)

    def runtime_GOMAXPROCS(g, n: int) -> int:
        """The number of Ps (the model's is fixed when the runtime starts: a change is refused)."""
        procs = len(g.rt.sched.ps)
        if n > 0 and n != procs:
            raise GoPanic("gomem: runtime.GOMAXPROCS cannot change the number of Ps of a running model")
        return procs

    def debug_SetGCPercent(g, percent: int) -> int:
        old = g.set_gc_percent(percent)
        if g.status == G_WAITING:  # turning the GC off waits for the mark phase in progress
            g.rt.schedule_inline(g, g.p)
        return old

    def debug_FreeOSMemory(g) -> None:
        runtime_GC(g)
        g.rt.gc.scavenger.scavenge_all()

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")}
    out.update(GOU=U, GOSTR=GS, GOSORT=S, GOMATH=GM, GORAND=R, lt_ordered=operator.lt)
    # ``for i, r := range s`` (codegen's range over a string) needs support's decoder in the namespace
    out.setdefault("decoderunes", ns.get("decoderunes", decoderunes))
    from .support_func import make_func_helpers  # the func-calling, error-returning functions (libfunc.py)

    out.update(make_func_helpers(ns, image, out))
    from .support_bits import make_bits_helpers  # encoding/binary, math/bits (libbits.py)

    out.update(make_bits_helpers(ns))
    from .support_metrics import make_metrics_helpers  # runtime/metrics (libmetrics.py)

    out.update(make_metrics_helpers(ns, image))
    return out


def _pack_i64(vals):
    return memoryview(array.array("q", vals))


def _pack(view, xs):
    return memoryview(array.array(view.format, xs))
