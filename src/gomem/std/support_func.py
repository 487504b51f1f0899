"""Runtime helpers of :mod:`gomem.compile.libfunc`: the standard-library functions that call func values, return errors or
take ``any``, each allocating what Go's allocates.

* A helper that calls a func value keeps it in a frame of its own (the library function's parameter on
  its stack) and reads it back for every call, so the collector sees it and a stack copy adjusts it.
* ``sort.Slice``'s ``reflectlite.Swapper``: nothing for fewer than 2 elements (static closures); a
  32-byte closure ``{F, s []T}`` for pointer-sized elements with pointers, strings, and pointer-free
  elements of 1, 2, 4 or 8 bytes; otherwise ``unsafe_New(elem)`` (the swap scratch space, with the
  element's pointer bitmap) and a 48-byte closure ``{F, s *sliceHeader, size, typ, tmp}``, whose swaps
  go through the scratch object with ``typedmemmove``'s barriers.
* ``*strconv.NumError``: ``stringslite.Clone(s)`` (``len(s)`` bytes, noscan; none for "") then the
  48-byte NumError; ``ErrSyntax``/``ErrRange`` are the package's own errors (static: made at start-up in
  Go); a base or bit-size error adds ``errors.New("invalid base " + Itoa(base))``.  Its ``Error()``
  inlines ``Quote``: a ``make([]byte, 0, 3*len/2)`` that does not escape (a 32-byte stack store when it
  fits) grown by append, ``string()`` of it in a 32-byte stack buffer when it fits, then one
  ``concatstrings`` result on the heap.
* ``strconv.Quote``/``FormatFloat``/``Unquote`` from user code (inlined there): the non-escaping
  ``make`` (stack when at most 32 bytes), its growth, and the ``string()`` copy on the heap.
* ``errors.Join``: ``&joinError{make([]error, 0, n)}`` (24 + 16n bytes); its ``Error()`` ``[]byte(first)``
  (a heap copy rounded to its size class), appends that may grow it, no copy at the end (``unsafe.String``).
* ``fmt.Errorf``: a constant format without operands is ``errors.New(format)`` (no printer); otherwise the
  printer, ``p.wrappedErrs`` growing by one ``int`` per ``%w`` (a new printer's first one allocates),
  ``string(p.buf)``, and ``errors.New``, ``&wrapError`` (32 bytes) or, with several ``%w``,
  ``errs = append(errs, e)`` per error operand and ``&wrapErrors`` (40 -> 48 bytes).
* ``errors.As`` allocates nothing (reflectlite's ``Set`` copies into the target); ``errors.Is`` walks
  Unwrap trees (``Unwrap() []error`` too).

Simplifications: ``strings.Map`` calls the mapping for every rune before it builds the result (Go
interleaves calls and appends; the allocations are the same); a growing append buffer is grown a byte at
a time (the same capacities as Go's piecewise appends: no piece exceeds the capacity it grows from).
"""

from __future__ import annotations

import math

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from . import sort as S
from . import strconv as SC
from . import strings as GS
from . import unicode as U
from . import fmt as gofmt
from ..runtime.panics import GoExit, GoPanic, runtime_error
from ..runtime.support import next_slice_cap, roundupsize

_M64 = (1 << 64) - 1
_UP = gotypes.UNSAFE_POINTER
#: a helper's frame: the func value it calls, and pointers it holds while it allocates
FN_FRAME = gotypes.struct_of([("fn", _UP), ("a", _UP), ("b", _UP), ("c", _UP)])
#: reflectlite.Swapper's closures
SWAP_SLICE = gotypes.struct_of([("F", gotypes.UINTPTR), ("s", gotypes.slice_of(_UP))], name="swapperfunc", pkg="reflectlite")
SWAP_GENERIC = gotypes.struct_of([("F", gotypes.UINTPTR), ("s", _UP), ("size", gotypes.UINTPTR), ("typ", _UP),
                                  ("tmp", _UP)], name="swapperfuncg", pkg="reflectlite")
ERROR_STRING = gotypes.struct_of([("s", gotypes.STRING)], name="errorString", pkg="errors")
_IFACE = gotypes.interface_of()
ERROR_SLICE = gotypes.slice_of(_IFACE)
JOIN_ERROR = gotypes.struct_of([("errs", ERROR_SLICE)], name="joinError", pkg="errors")
WRAP_ERROR = gotypes.struct_of([("msg", gotypes.STRING), ("err", _IFACE)], name="wrapError", pkg="fmt")
WRAP_ERRORS = gotypes.struct_of([("msg", gotypes.STRING), ("errs", ERROR_SLICE)], name="wrapErrors", pkg="fmt")
#: the stack store of a variable-size make that does not escape (walk's tryStack)
STACK_STORE = 32


def make_func_helpers(ns: dict, image, std: dict) -> dict:
    """The helpers, closed over the program's namespace and image; *std* is :mod:`.support_std`'s."""
    W = ns["W"]
    U8 = ns["U8"]
    I64 = ns["I64"]
    F64 = ns["F64"]
    mem = U8.obj
    growslice = ns["growslice"]
    newstring = ns["newstring"]
    sub = std["sub"]
    statics: dict[str, int] = {}
    sp_space, _ = image.string(b" ")
    sp_colon, _ = image.string(b": ")
    s_nil_angle = image.string(b"<nil>")

    def sbytes(s) -> bytes:
        return bytes(mem[s[0] - B:s[0] - B + s[1]]) if s[1] else b""

    def code_of(fv: int):
        return ns["CODE"][W[(ns["nilcheck"](fv) - B) >> 3]]

    def slot(f, k: int) -> int:
        return ((f.base - B) >> 3) + k

    def fn_frame(g, fv: int, name: str):
        """A frame holding the func value *fv*; (frame, call) where call(*args) calls it."""
        f = g.runtime_frame(FN_FRAME, name)
        if not isinstance(fv, int):  # a library function named directly (unicode.IsSpace): no funcval
            return f, fv
        W[(f.base - B) >> 3] = fv
        code = None

        def call(*args):
            nonlocal code
            if code is None:
                code = code_of(fv)
            return code(g, W[(f.base - B) >> 3], *args)

        return f, call

    def copy_elem(g, dst: int, src: int, es: int, offs) -> None:
        """``typedmemmove``: the pointer words through the write barrier, then the bytes."""
        for off in offs:
            g.write_slot(dst + off, W[(src + off - B) >> 3])
        U8[dst - B:dst - B + es] = bytes(mem[src - B:src - B + es])

    def swap_elems(g, a: int, b: int, es: int, offs) -> None:
        """``s[i], s[j] = s[j], s[i]`` for elements of *es* bytes (pointer words at *offs*)."""
        da = bytes(mem[a - B:a - B + es])
        db = bytes(mem[b - B:b - B + es])
        for off in offs:
            g.write_slot(a + off, int.from_bytes(db[off:off + 8], "little"))
            g.write_slot(b + off, int.from_bytes(da[off:off + 8], "little"))
        U8[a - B:a - B + es] = db
        U8[b - B:b - B + es] = da

    def index_check(i: int, n: int) -> None:
        if not 0 <= i < n:
            raise runtime_error(f"index out of range [{i}] with length {n}")

    # -- sort ----------------------------------------------------------------------------------------

    def swapper(g, f, d: int, ptr: int, n: int, es: int, rt, offs, string: bool):
        """``reflectlite.Swapper``'s allocations (the closure kept in the frame's slot 2); the swap function."""
        if rt is not None and (es == 8 or string) or rt is None and es in (8, 4, 2, 1):
            clo = g.alloc(32, SWAP_SLICE)
            W[slot(f, 2)] = clo
            g.write_slot(clo + 8, ptr)
            W[((clo - B) >> 3) + 2] = n
            W[((clo - B) >> 3) + 3] = I64[((d - B) >> 3) + 2]
            if rt is None:
                if es == 8:
                    def swap(i, j):
                        a = ((ptr - B) >> 3) + i
                        b = ((ptr - B) >> 3) + j
                        W[a], W[b] = W[b], W[a]
                else:
                    def swap(i, j):
                        a = ptr - B + es * i
                        b = ptr - B + es * j
                        x = bytes(mem[a:a + es])
                        U8[a:a + es] = mem[b:b + es]
                        U8[b:b + es] = x
                return swap
            if string:
                def swap(i, j):
                    a = ptr + 16 * i
                    b = ptr + 16 * j
                    ia, ib = (a - B) >> 3, (b - B) >> 3
                    pa, pb = W[ia], W[ib]
                    g.write_slot(a, pb)
                    g.write_slot(b, pa)
                    W[ia + 1], W[ib + 1] = W[ib + 1], W[ia + 1]
                return swap

            def swap(i, j):
                a = ptr + 8 * i
                b = ptr + 8 * j
                pa, pb = W[(a - B) >> 3], W[(b - B) >> 3]
                g.write_slot(a, pb)
                g.write_slot(b, pa)
            return swap
        tmp = g.alloc(es, rt) if es else ns["ZEROBASE"]
        W[slot(f, 3)] = tmp
        clo = g.alloc(40, SWAP_GENERIC)
        W[slot(f, 2)] = clo
        g.write_slot(clo + 8, d)
        W[((clo - B) >> 3) + 2] = es
        g.write_slot(clo + 32, tmp)

        def swap(i, j):
            if not (0 <= i < n and 0 <= j < n):
                raise GoPanic("reflect: slice index out of range")
            a = ptr + es * i
            b = ptr + es * j
            copy_elem(g, tmp, a, es, offs)
            copy_elem(g, a, b, es, offs)
            copy_elem(g, b, tmp, es, offs)
        return swap

    def sort_slice(g, x, fv: int, es: int, rt, offs, string: bool, stable: bool) -> None:
        """``sort.Slice``/``SliceStable``: *x* the ``any`` holding the slice (its data word the header)."""
        d = x[1]
        ptr = W[(d - B) >> 3]
        n = I64[((d - B) >> 3) + 1]
        if n < 2:
            return None
        f, less = fn_frame(g, fv, "sort.SliceStable" if stable else "sort.Slice")
        try:
            W[slot(f, 1)] = d
            swap = swapper(g, f, d, ptr, n, es, rt, offs, string)
            (S.stable if stable else S.pdqsort)(less, swap, n)
        finally:
            g.pop(f)
        return None

    def rand_Shuffle(g, r: int, n: int, fv: int, v2: bool) -> None:
        """``(*Rand).Shuffle(n, swap)`` of math/rand (``Int63n`` above 2**31-2, then the Lemire ``int31n``
        on ``Uint32``) or math/rand/v2 (``uint64n``), calling *swap* as Go does (Fisher-Yates from the end)."""
        if n < 0:
            raise GoPanic("invalid argument to Shuffle")
        f, swap = fn_frame(g, fv, "math/rand.(*Rand).Shuffle")
        try:
            i = n - 1
            if v2:
                u = std["uint64_of"](r)
                while i > 0:
                    swap(i, std["GORAND"].uint64n(u, i + 1))
                    i -= 1
                return None
            while i > (1 << 31) - 2:
                swap(i, std["rand_Int63n"](r, i + 1))
                i -= 1
            while i > 0:
                m = i + 1
                prod = std["rand_Uint32"](r) * m
                low = prod & 0xFFFFFFFF
                if low < m:
                    thresh = ((-m) & 0xFFFFFFFF) % m
                    while low < thresh:
                        prod = std["rand_Uint32"](r) * m
                        low = prod & 0xFFFFFFFF
                swap(i, prod >> 32)
                i -= 1
        finally:
            g.pop(f)
        return None

    def sort_slice_is_sorted(g, x, fv: int) -> bool:
        d = x[1]
        n = I64[((d - B) >> 3) + 1]
        f, less = fn_frame(g, fv, "sort.SliceIsSorted")
        try:
            for i in range(n - 1, 0, -1):
                if less(i, i - 1):
                    return False
            return True
        finally:
            g.pop(f)

    def iface_frame(g, data, name: str):
        f = g.runtime_frame(FN_FRAME, name)
        W[slot(f, 1)] = data[1]
        fns = ns["ITF"][data[0]]
        return f, fns, (lambda: W[slot(f, 1)])

    def sort_iface(g, data, ks, stable: bool) -> None:
        """``sort.Sort``/``Stable``: Len, Less and Swap through the itab."""
        f, fns, d = iface_frame(g, data, "sort.Stable" if stable else "sort.Sort")
        try:
            ln, lt, sw = (fns[k] for k in ks)
            n = ln(g, d())
            less = lambda i, j: lt(g, d(), i, j)  # noqa: E731
            swap = lambda i, j: sw(g, d(), i, j)  # noqa: E731
            if stable:
                S.stable(less, swap, n)
            elif n > 1:
                S.pdqsort(less, swap, n)
        finally:
            g.pop(f)

    def sort_iface_is_sorted(g, data, ks) -> bool:
        f, fns, d = iface_frame(g, data, "sort.IsSorted")
        try:
            n = fns[ks[0]](g, d())
            for i in range(n - 1, 0, -1):
                if fns[ks[1]](g, d(), i, i - 1):
                    return False
            return True
        finally:
            g.pop(f)

    def sort_reverse(g, data, tab: int, rt):
        """``sort.Reverse``: ``&reverse{data}`` (16 bytes)."""
        p = g.alloc(16, rt)
        W[(p - B) >> 3] = data[0]
        if data[1]:
            g.write_slot(p + 8, data[1])
        return (tab, p)

    def rev_call(g, d: int, k: int, *args):
        i = (ns["nilcheck"](d) - B) >> 3
        return ns["ITF"][W[i]][k](g, W[i + 1], *args)

    def sort_search(g, n: int, fv: int) -> int:
        f, call = fn_frame(g, fv, "sort.Search")
        try:
            return S.search(n, call)
        finally:
            g.pop(f)

    def xs_hdr(d: int):
        i = (d - B) >> 3
        return (W[i], I64[i + 1], I64[i + 2])

    def xs_less(s, i: int, j: int, kind: str) -> bool:
        index_check(i, s[1])
        index_check(j, s[1])
        if kind == "i":
            k = (s[0] - B) >> 3
            return I64[k + i] < I64[k + j]
        if kind == "f":
            k = (s[0] - B) >> 3
            x, y = F64[k + i], F64[k + j]
            return x < y or (math.isnan(x) and not math.isnan(y))
        a = (s[0] - B) >> 3
        return sbytes((W[a + 2 * i], W[a + 2 * i + 1])) < sbytes((W[a + 2 * j], W[a + 2 * j + 1]))

    def xs_swap(g, s, i: int, j: int, kind: str) -> None:
        index_check(i, s[1])
        index_check(j, s[1])
        if kind in ("i", "f"):
            k = (s[0] - B) >> 3
            W[k + i], W[k + j] = W[k + j], W[k + i]
            return None
        swap_elems(g, s[0] + 16 * i, s[0] + 16 * j, 16, (0,))
        return None

    # -- slices --------------------------------------------------------------------------------------

    def slices_sort_func(g, s, fv: int, es: int, offs, ld, stable: bool) -> None:
        n = s[1]
        f, cmp = fn_frame(g, fv, "slices.SortStableFunc" if stable else "slices.SortFunc")
        try:
            W[slot(f, 1)] = s[0]
            base = s[0]

            def less(i, j):
                return cmp(ld(base + es * i), ld(base + es * j)) < 0

            def swap(i, j):
                swap_elems(g, base + es * i, base + es * j, es, offs)

            (S.stable if stable else S.pdqsort)(less, swap, n)
        finally:
            g.pop(f)

    def slices_index_func(g, s, fv: int, es: int, ld) -> int:
        f, call = fn_frame(g, fv, "slices.IndexFunc")
        try:
            W[slot(f, 1)] = s[0]
            for i in range(s[1]):
                if call(ld(s[0] + es * i)):
                    return i
            return -1
        finally:
            g.pop(f)

    # -- strings -------------------------------------------------------------------------------------

    def strings_map(g, fv: int, s):
        f, call = fn_frame(g, fv, "strings.Map")
        try:
            res = GS.map_pieces(call, sbytes(s))
        finally:
            g.pop(f)
        if res is None:
            return s
        return std["run_builder"](g, res, "strings.Map")

    def strings_fields_func(g, s, fv: int):
        f, call = fn_frame(g, fv, "strings.FieldsFunc")
        try:
            spans = GS.fields_func(sbytes(s), call)
        finally:
            g.pop(f)
        return std["fields_func"](g, s, spans, "strings.FieldsFunc")

    def index_func(call, data: bytes, truth: bool) -> int:
        for i, r, _w in GS.runes(data):
            if bool(call(r)) == truth:
                return i
        return -1

    def last_index_func(call, data: bytes, truth: bool) -> int:
        i = len(data)
        while i > 0:
            r, size = U.decode_last(data, i)
            i -= size
            if bool(call(r)) == truth:
                return i
        return -1

    def with_fn(g, fv: int, name: str, body):
        f, call = fn_frame(g, fv, name)
        try:
            return body(call)
        finally:
            g.pop(f)

    def strings_index_func(g, s, fv: int) -> int:
        return with_fn(g, fv, "strings.IndexFunc", lambda call: index_func(call, sbytes(s), True))

    def strings_last_index_func(g, s, fv: int) -> int:
        return with_fn(g, fv, "strings.LastIndexFunc", lambda call: last_index_func(call, sbytes(s), True))

    def trim_left(call, s):
        i = index_func(call, sbytes(s), False)
        if i == -1:
            return (0, 0)
        return sub(s, i, s[1])

    def trim_right(call, s):
        data = sbytes(s)
        i = last_index_func(call, data, False)
        if i >= 0 and data[i] >= 0x80:
            i += U.decode(data, i)[1]
        else:
            i += 1
        return sub(s, 0, i)

    def strings_trim_left_func(g, s, fv: int):
        return with_fn(g, fv, "strings.TrimLeftFunc", lambda call: trim_left(call, s))

    def strings_trim_right_func(g, s, fv: int):
        return with_fn(g, fv, "strings.TrimRightFunc", lambda call: trim_right(call, s))

    def strings_trim_func(g, s, fv: int):
        return with_fn(g, fv, "strings.TrimFunc", lambda call: trim_right(call, trim_left(call, s)))

    # -- strconv -------------------------------------------------------------------------------------

    def static_error(name: str, text: bytes) -> int:
        """A package's ``errors.New`` variable (made at start-up in Go: in the model's data segment)."""
        p = statics.get(name)
        if p is None:
            p = statics[name] = image.data.declare(name, ERROR_STRING).addr
            sp, sn = image.string(text)
            W[(p - B) >> 3] = sp
            W[((p - B) >> 3) + 1] = sn
        return p

    def io_read_at_least(g, r, buf, mn, k: int, es_tab: int):
        """``io.ReadAtLeast(r, buf, min)`` (``ReadFull``: *mn* None, ``len(buf)``): ``r.Read(buf[n:])``
        through the itab (method *k*) until n >= min or an error; then err is nil if n >= min, else
        ErrUnexpectedEOF for a short read ending in EOF (io/io.go).  The Reader's data word and the buffer
        stay in a frame of the helper (roots, adjusted by a stack copy)."""
        ptr, ln, cp = buf
        mn = ln if mn is None else mn
        if ln < mn:
            return (0, (es_tab, static_error("io..errShortBuffer", b"short buffer")))
        if r[0] == 0:
            raise runtime_error("invalid memory address or nil pointer dereference")
        f, fns, d = iface_frame(g, r, "io.ReadAtLeast")
        read = fns[k]
        try:
            W[slot(f, 2)] = ptr
            n, err = 0, (0, 0)
            while n < mn and err[0] == 0:
                base = W[slot(f, 2)]
                sub = (base + n if cp - n > 0 else base, ln - n, cp - n)
                nn, err = read(g, d(), sub)
                n += nn
            eof = (es_tab, static_error("io..errEOF", b"EOF"))
            if n >= mn:
                err = (0, 0)
            elif n > 0 and tuple(err) == eof:
                err = (es_tab, static_error("io..errUnexpectedEOF", b"unexpected EOF"))
            return (n, err)
        finally:
            g.pop(f)

    def net_dial_udp(g, network, op_tab: int, es_tab: int, op_rt, dial):
        """``net.DialUDP(network, nil, nil)``: ``nil, &OpError{Op: "dial", Net: network, Err: errMissingAddress}``
        (an 80-byte object with pointers; errMissingAddress is the package's static errors.New)."""
        if sbytes(network) not in (b"udp", b"udp4", b"udp6"):
            from ..errors import BadInput
            raise BadInput(f"gomem cannot run this yet: net.DialUDP of the network {sbytes(network).decode()!r}")
        p = g.alloc(80, op_rt)
        i = (p - B) >> 3
        g.write_slot(p, dial[0])
        W[i + 1] = dial[1]
        if network[1]:
            g.write_slot(p + 16, network[0])
        W[i + 3] = network[1]
        W[i + 8] = es_tab
        g.write_slot(p + 72, static_error("net.errMissingAddress", b"missing address"))
        return (0, (op_tab, p))

    def net_operror_Error(g, e: int):
        """``(*OpError).Error``: ``s := e.Op; s += " " + e.Net; ...; s += ": " + e.Err.Error()`` (each ``+=`` a
        concatstrings on the heap; Source and Addr are nil in the errors the model makes)."""
        if e == 0:
            return s_nil_angle
        i = (e - B) >> 3
        if W[i + 4] or W[i + 6]:
            from ..errors import BadInput
            raise BadInput("gomem cannot run this yet: a net.OpError with an address")
        f = g.runtime_frame(FN_FRAME, "net.(*OpError).Error")
        try:
            s = (W[i], W[i + 1])
            if W[i + 3]:
                s = ns["concat"](g, 0, (s, (sp_space, 1), (W[i + 2], W[i + 3])))
            W[slot(f, 1)] = s[0]
            et, ed = W[i + 8], W[i + 9]
            es = ns["ITF"][et][0](g, ed)
            W[slot(f, 2)] = es[0]
            s = (W[slot(f, 1)], s[1])
            return ns["concat"](g, 0, (s, (sp_colon, 2), es))
        finally:
            g.pop(f)

    def static_errors_new(es_tab: int, s):
        p = ns["static_new"](ERROR_STRING)
        W[(p - B) >> 3] = s[0]
        W[((p - B) >> 3) + 1] = s[1]
        return (es_tab, p)

    def grow_buf(g, cap: int, total: int, stack: bool) -> None:
        """A ``make([]byte, 0, cap)`` (a stack store if *stack* and it fits) appended to *total* bytes."""
        if cap and not (stack and cap <= STACK_STORE):
            g.alloc(cap)
        while total > cap:
            cap = roundupsize(next_slice_cap(cap + 1, cap), True)
            g.alloc(cap)

    def clone(g, s):
        """``stringslite.Clone``."""
        if not s[1]:
            return (0, 0)
        return newstring(g, sbytes(s), 0)

    def strings_Clone(g, s):
        """``strings.Clone`` (stringslite.Clone): "" for an empty string, else a new noscan copy of len(s) bytes."""
        return clone(g, s)

    def errors_new(g, es_tab: int, s):
        p = g.alloc(16, ERROR_STRING)
        if s[0]:
            g.write_slot(p, s[0])
        W[((p - B) >> 3) + 1] = s[1]
        return (es_tab, p)

    def num_error(g, fn: str, s, err, base: int, bits: int, ne_tab: int, es_tab: int, ne_rt):
        f = g.runtime_frame(FN_FRAME, "strconv.syntaxError")
        try:
            num = clone(g, s)
            W[slot(f, 1)] = num[0]
            if err.err is SC.ErrSyntax:
                e = (es_tab, static_error("strconv.ErrSyntax", b"invalid syntax"))
            elif err.err is SC.ErrRange:
                e = (es_tab, static_error("strconv.ErrRange", b"value out of range"))
            else:
                k = base if str(err.err).startswith("invalid base") else bits
                if not 0 <= k < 100:
                    g.alloc(len(str(k)))  # Itoa's string
                text = str(err.err).encode()
                t = newstring(g, text, 0)  # the concatenation
                W[slot(f, 2)] = t[0]
                e = errors_new(g, es_tab, t)
            W[slot(f, 3)] = e[1]
            p = g.alloc(48, ne_rt)
            fp, fln = image.string(fn.encode())
            i = (p - B) >> 3
            W[i] = fp
            W[i + 1] = fln
            if num[0]:
                g.write_slot(p + 16, num[0])
            W[i + 3] = num[1]
            W[i + 4] = e[0]
            g.write_slot(p + 40, e[1])
            return p
        finally:
            g.pop(f)

    def strconv_parse(g, fn: str, args, ne_tab: int, es_tab: int, ne_rt):
        s = args[0]
        data = sbytes(s)
        base = bits = 0
        if fn == "Atoi":
            v, err = SC.Atoi(data)
        elif fn == "ParseInt":
            base, bits = args[1], args[2]
            v, err = SC.ParseInt(data, base, bits)
        elif fn == "ParseUint":
            base, bits = args[1], args[2]
            v, err = SC.ParseUint(data, base, bits)
            v &= _M64
        elif fn == "ParseFloat":
            bits = args[1]
            v, err = SC.ParseFloat(data, bits)
        else:
            v, err = SC.ParseBool(data)
        if err is None:
            return (v, (0, 0))
        return (v, (ne_tab, num_error(g, fn, s, err, base, bits, ne_tab, es_tab, ne_rt)))

    def error_text(g, e):
        """``e.Error()`` of an error value (its method through the itab) as (string, bytes)."""
        r = ns["ITF"][e[0]][0](g, e[1])
        return r, sbytes(r)

    def numerror_Error(g, d: int):
        """``(*NumError).Error``: "strconv." + Func + ": parsing " + Quote(Num) + ": " + Err.Error()."""
        i = (d - B) >> 3
        fn = sbytes((W[i], W[i + 1]))
        num = (W[i + 2], W[i + 3])
        q = SC.Quote(sbytes(num))
        f = g.runtime_frame(FN_FRAME, "strconv.(*NumError).Error")
        try:
            grow_buf(g, 3 * num[1] // 2, len(q), True)
            if len(q) > STACK_STORE:
                qs = newstring(g, q, 0)
                W[slot(f, 1)] = qs[0]
            _, et = error_text(g, (W[i + 4], W[i + 5]))
            return newstring(g, b"strconv." + fn + b": parsing " + q + b": " + et, 0)
        finally:
            g.pop(f)

    def strconv_format_bool(b: bool):
        return image.string(b"true" if b else b"false")

    def strconv_format_uint(g, u: int, base: int):
        if not 2 <= base <= 36:
            raise GoPanic("strconv: illegal AppendInt/FormatInt base")
        u &= _M64
        if base == 10 and u < 100:
            return image.string(str(u).encode())
        return newstring(g, SC.FormatUint(u, base), 0)

    def strconv_format_float(g, x: float, fmt: int, prec: int, bits: int):
        if bits not in (32, 64):
            raise GoPanic("strconv: illegal FormatFloat bitSize")
        out = SC.FormatFloat(x, fmt, prec, bits)
        grow_buf(g, max(prec + 4, 24), len(out), True)
        return newstring(g, out, 0)

    def strconv_quote(g, s, how: str, buf: int):
        """Quote (inlined at the call): *buf* the caller's stack buffer when the result does not escape."""
        if how in ("QuoteRune", "QuoteRuneToASCII"):
            out = getattr(SC, how)(s)
            grow_buf(g, 0, len(out), False)
        else:
            out = getattr(SC, how)(sbytes(s))
            grow_buf(g, 3 * s[1] // 2, len(out), True)
        return newstring(g, out, buf)

    def strconv_unquote(g, s, es_tab: int):
        data = sbytes(s)
        out, err = SC.Unquote(data)
        if err is not None:
            return ((0, 0), (es_tab, static_error("strconv.ErrSyntax", b"invalid syntax")))
        q = data[:1]
        end = data.find(q, 1) + 1
        if q == b"`":
            if b"\r" not in data[:end]:
                return (sub(s, 1, s[1] - 1), (0, 0))
            grow_buf(g, end - 3, len(out), True)
            return (newstring(g, out, 0), (0, 0))
        if b"\\" not in data[:end] and b"\n" not in data[:end] and out == data[1:end - 1]:
            return (sub(s, 1, s[1] - 1), (0, 0))
        grow_buf(g, 3 * end // 2, len(out), True)
        return (newstring(g, out, 0), (0, 0))

    def strconv_append(g, dst, data: bytes):
        """``append(dst, data...)`` of a byte slice (the Append* functions)."""
        n = len(data)
        ln = dst[1]
        if ln + n > dst[2]:
            dst = growslice(g, dst, ln + n, None, 1, True)
        if n:
            U8[dst[0] - B + ln:dst[0] - B + ln + n] = data
        return (dst[0], ln + n, dst[2])

    # -- errors --------------------------------------------------------------------------------------

    def errs_of(a: int):
        i = (a - B) >> 3
        return (W[i], I64[i + 1], I64[i + 2])

    def err_elems(s):
        i = (s[0] - B) >> 3
        return [(W[i + 2 * k], W[i + 2 * k + 1]) for k in range(s[1])]

    def errors_join(g, errs, je_tab: int):
        """``errors.Join``: nil for no non-nil error, else ``&joinError{errs: make([]error, 0, n)}`` filled."""
        es = [e for e in err_elems(errs) if e[0]] if errs[1] else []
        if not es:
            return (0, 0)
        f = g.runtime_frame(FN_FRAME, "errors.Join")
        try:
            p = g.alloc(24, JOIN_ERROR)
            W[slot(f, 1)] = p
            a = g.alloc(16 * len(es), _IFACE)
            g.write_slot(p, a)
            W[((p - B) >> 3) + 1] = len(es)
            W[((p - B) >> 3) + 2] = len(es)
            for k, e in enumerate(es):
                W[((a - B) >> 3) + 2 * k] = e[0]
                g.write_slot(a + 16 * k + 8, e[1])
            return (je_tab, p)
        finally:
            g.pop(f)

    def join_Error(g, d: int):
        """``(*joinError).Error``: the errors' texts joined by newlines."""
        es = err_elems(errs_of(d))
        if len(es) == 1:
            return error_text(g, es[0])[0]
        f = g.runtime_frame(FN_FRAME, "errors.(*joinError).Error")
        try:
            _, first = error_text(g, es[0])
            cap = roundupsize(len(first), True) if first else 0
            p = g.alloc(cap) if cap else 0
            W[slot(f, 1)] = p
            buf = bytearray(first)
            ln = len(buf)
            for e in es[1:]:
                _, t = error_text(g, e)
                for piece in (b"\n", t):
                    if ln + len(piece) > cap:
                        p, _, cap = growslice(g, (p, ln, cap), ln + len(piece), None, 1, True)
                        W[slot(f, 1)] = p
                    ln += len(piece)
                    buf += piece
            U8[p - B:p - B + ln] = bytes(buf)
            return (p, ln)
        finally:
            g.pop(f)

    def method_of(e, name: str):
        ifs = ns["IFACES"]
        return ifs.types[ifs.dyn[e[0]]].methods.get(name)

    def unwrap(g, e):
        """The result of *e*'s Unwrap method: an error (2-tuple), a []error (3-tuple) or None."""
        m = method_of(e, "Unwrap")
        if m is None:
            return None
        return m(g, e[1])

    def errors_is_tree(g, err, target) -> bool:
        """``errors.Is``: *err* or any error in its Unwrap tree equal to *target* (or whose Is says so)."""
        if err[0] == 0 or target[0] == 0:
            return err[0] == target[0]
        ifs = ns["IFACES"]
        comparable = ifs.types[ifs.dyn[target[0]]].t.u.kind not in ("slice", "map", "func")
        return is_(g, err, target, comparable)

    def is_(g, err, target, comparable: bool) -> bool:
        ifs = ns["IFACES"]
        while True:
            if comparable and ifs.equal(err, target, ns["host"]().values_equal):
                return True
            m = method_of(err, "Is")
            if m is not None and m(g, err[1], target):
                return True
            r = unwrap(g, err)
            if r is None:
                return False
            if len(r) == 3:
                return any(e[0] and is_(g, e, target, comparable) for e in err_elems(r))
            err = r
            if not err[0]:
                return False

    def errors_as(g, err, target, want, size: int, offs, direct: bool) -> bool:
        """``errors.As``: the first error in *err*'s tree assignable to ``*target``'s type is stored there."""
        if not err[0]:
            return False
        p = target[1]
        if not p:
            raise GoPanic("errors: target must be a non-nil pointer")
        return as_(g, err, target, p, want, size, offs, direct)

    def as_(g, err, target, p: int, want, size: int, offs, direct: bool) -> bool:
        ifs = ns["IFACES"]
        while True:
            typ = ifs.dyn[err[0]]
            kind, arg = want
            if kind == "e":
                W[(p - B) >> 3] = typ
                g.write_slot(p + 8, err[1])
                return True
            if kind == "i":
                tab = ifs.getitab(arg, typ, True)
                if tab:
                    W[(p - B) >> 3] = tab
                    g.write_slot(p + 8, err[1])
                    return True
            elif typ == arg:
                if direct:
                    g.write_slot(p, err[1])
                elif size:
                    copy_elem(g, p, err[1], size, offs)
                return True
            m = method_of(err, "As")
            if m is not None and m(g, err[1], target):
                return True
            r = unwrap(g, err)
            if r is None:
                return False
            if len(r) == 3:
                return any(e[0] and as_(g, e, target, p, want, size, offs, direct) for e in err_elems(r))
            err = r
            if not err[0]:
                return False

    def fmt_errorf(g, fmt: bytes, args, es_tab: int, we_tab: int, wes_tab: int, error_id: int):
        """``fmt.Errorf`` (see the module docstring)."""
        if not args and b"%" not in fmt:
            return errors_new(g, es_tab, image.string(fmt))
        h = ns["host"]()
        h.g = g
        printers = ns["PROGRAM"].printers
        f = g.runtime_frame(FN_FRAME, "fmt.Errorf")
        try:
            pp = printers.get(g)
            W[slot(f, 0)] = pp
            first = len(h.buffers)
            out, wraps, raw = gofmt.errorf_raw(fmt, ns["operands"](args), h)
            printers.fill(g, pp, out, h.buffers[first].lens)
            del h.buffers[first:]
            we = pp + _WRAPPED_OFF
            wi = (we - B) >> 3
            for _ in range(raw):  # p.wrappedErrs = append(p.wrappedErrs, argNum)
                ln, cap = W[wi + 1], W[wi + 2]
                if ln + 1 > cap:
                    np, _, cap = growslice(g, (W[wi], ln, cap), ln + 1, None, 8, True)
                    g.write_slot(we, np)
                    W[wi + 2] = cap
                W[wi + 1] = ln + 1
            s = newstring(g, out, 0)
            W[slot(f, 1)] = s[0]
            if wraps is None:
                e = errors_new(g, es_tab, s)
            elif not isinstance(wraps, list):
                p = g.alloc(32, WRAP_ERROR)
                W[slot(f, 2)] = p
                g.write_slot(p, s[0])
                W[((p - B) >> 3) + 1] = s[1]
                ev = ns["as_error"](*args[wraps], error_id)
                if ev[0]:
                    W[((p - B) >> 3) + 2] = ev[0]
                    g.write_slot(p + 24, ev[1])
                e = (we_tab, p)
            else:
                errs = (0, 0, 0)
                for k in wraps:
                    ev = ns["as_error"](*args[k], error_id)
                    if not ev[0]:
                        continue
                    ln = errs[1]
                    if ln + 1 > errs[2]:
                        errs = growslice(g, errs, ln + 1, _IFACE, 16, False)
                        W[slot(f, 2)] = errs[0]
                    W[((errs[0] - B) >> 3) + 2 * ln] = ev[0]
                    g.write_slot(errs[0] + 16 * ln + 8, ev[1])
                    errs = (errs[0], ln + 1, errs[2])
                p = g.alloc(40, WRAP_ERRORS)
                g.write_slot(p, s[0])
                i = (p - B) >> 3
                W[i + 1] = s[1]
                if errs[0]:
                    g.write_slot(p + 16, errs[0])
                W[i + 3] = errs[1]
                W[i + 4] = errs[2]
                e = (wes_tab, p)
            # p.free(): a wrappedErrs of more than 8 is dropped, else emptied
            if W[wi + 2] > 8:
                g.write_slot(we, 0)
                W[wi + 2] = 0
            W[wi + 1] = 0
            printers.put(g, pp)
            return e
        finally:
            g.pop(f)

    def cmp_compare_f(x: float, y: float) -> int:
        if x != x:
            return 0 if y != y else -1
        if y != y:
            return 1
        return (x > y) - (x < y)

    def cmp_less_f(x: float, y: float) -> bool:
        return (x != x and y == y) or x < y

    def os_exit(g, code: int):
        raise GoExit(code)

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")}
    for k in ("sbytes", "sub", "errors_new", "clone", "slot"):
        out.pop(k, None)
    out["SC"] = SC
    return out


def _wrapped_off() -> int:
    from .ppfree import PP

    return PP.field("wrapped_errs").offset


_WRAPPED_OFF = _wrapped_off()
