"""The standard-library calls that take func values, return errors or take ``any``: :class:`FuncLib`, a
mixin of :class:`.libstd.StdLib` (so of :class:`.lib.Lib`); the run-time side is :mod:`gomem.std.support_func`.

* ``sort.Slice``/``SliceStable``: the ``x any`` operand is the program's interface conversion (a
  ``convTslice`` heap header: ``sort.Slice`` leaks it), then ``reflectlite.Swapper`` as Go's makes it
  (see :func:`gomem.std.support_func.swapper_kind`); ``sort.Sort``/``Stable`` call ``Len``/``Less``/``Swap``
  through the itab of the ``sort.Interface`` value; ``sort.IntSlice``/``StringSlice``/
  ``Float64Slice`` and ``sort.Reverse``'s ``*sort.reverse`` get native methods;
  ``slices.SortFunc``/``SortStableFunc``/``IndexFunc``/``ContainsFunc`` call the func on element values.
  All sorting runs :mod:`gomem.std.sort`, which calls less and swap where Go does.
* ``strings.Map``/``FieldsFunc``/``IndexFunc``/``ContainsFunc``/``Trim*Func`` call the func per rune.
* ``strconv.Atoi``/``ParseInt``/``ParseUint``/``ParseFloat``/``ParseBool`` return a ``*strconv.NumError``
  on failure (the stub's type, native ``Error``/``Unwrap``); ``FormatBool``, ``Quote*``,
  ``AppendInt``/``AppendQuote``; ``FormatUint``, ``FormatFloat``.
* ``errors.As``/``Join`` (``*errors.joinError``), ``errors.Is`` over Unwrap trees, ``fmt.Errorf`` with
  several ``%w`` (``*fmt.wrapErrors``); ``os.Exit``.

Simplification: ``sort.Reverse``'s ``&reverse{data}`` is always on the heap (Go inlines Reverse, and the
object escapes whenever it reaches ``sort.Sort``, the common use).
"""

from __future__ import annotations

from . import types as T
from .check_base import Unsupported
from ..runtime import types as gotypes
from . import layout as L


def _unsupported(n, what: str):
    raise Unsupported(getattr(n, "pos", None), f"gomem cannot run this yet: {what}")


def stub_type(pkg: str, name: str) -> T.Type:
    """The standard library's named type *pkg.name* as the type checker knows it (shared stubs)."""
    from .stdlib import LOADER

    pk = LOADER.load(pkg)
    o = pk.scope.names[name]
    LOADER.resolve(pk, o)
    return o.type


def _named(name: str, pkg: str, fields) -> T.Named:
    t = T.Named(name, pkg, pkg.rsplit("/", 1)[-1], False)
    t.under = T.Struct([T.Field(fn, ft, emb) for fn, ft, emb in fields])
    return t


_ERR_SLICE = T.Slice(T.ERROR)
#: *errors.joinError{errs []error} and *fmt.wrapErrors{msg string; errs []error}
JOIN_ERROR = _named("joinError", "errors", [("errs", _ERR_SLICE, False)])
JOIN_ERROR_PTR = T.Pointer(JOIN_ERROR)
WRAP_ERRORS = _named("wrapErrors", "fmt", [("msg", T.STRING, False), ("errs", _ERR_SLICE, False)])
WRAP_ERRORS_PTR = T.Pointer(WRAP_ERRORS)

_SORT_KINDS = {"IntSlice": "i", "StringSlice": "s", "Float64Slice": "f"}


def _children(n):
    from .libstd import _children as ch

    return ch(n)


def _method_index(it: T.Type, name: str) -> int:
    return [m.name for m in it.u.all_methods()].index(name)


class FuncLib:
    """The handlers (see the module docstring)."""

    # -- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _fv(fg, e) -> str:
        """The func argument: a func value, or for ``unicode.IsX``/``ToX`` named directly, the model's own
        function (a Python callable: the helpers call it as the library would)."""
        from . import ir
        from .libstd import _UNICODE

        if isinstance(e, ir.Name) and e.cls == ir.PFUNC and getattr(e, "pkgname", "") == "unicode" \
                and e.sym in _UNICODE:
            return f"GOU.{_UNICODE[e.sym]}"
        return fg.arg_val(e)

    def _elem_info(self, fg, n, st: T.Type):
        """(size, swap kind, runtime type ref or None, pointer offsets) of a slice type's element."""
        et = st.u.elem_type
        fg.check_type(et)
        gt = fg.pg.rtype(et, n)
        offs = tuple(gt.pointer_offsets()) if gt.ptrdata else ()
        return gt.size, (fg.pg.type_ref(gt) if gt.ptrdata else "None"), offs

    def _loader(self, fg, et: T.Type) -> str:
        fg.check_type(et)
        return f"(lambda a: {fg.pg.layouts.load('a', et)})"

    # -- net ----------------------------------------------------------------------------------------

    def call_net_DialUDP(self, fg, n):
        """``net.DialUDP(network, nil, nil)``: no connection, ``&OpError{Op: "dial", Net: network, Err:
        errMissingAddress}`` (net/udpsock.go's dialUDP: raddr nil).  The model has no network: a call with an
        address stays unsupported; so does an unknown network (at run time)."""
        _, laddr, raddr = n.args
        if laddr.op != "NIL" or raddr.op != "NIL":
            _unsupported(n, "net.DialUDP with an address (the model has no network)")
        ot = stub_type("net", "OpError")
        pt = T.Pointer(ot)
        tables = fg.pg.ifaces
        if not getattr(tables, "net_done", False):
            tables.net_done = True
            err_tab = f"W[((nilcheck({{r}}) - B) >> 3) + 8], W[((nilcheck({{r}}) - B) >> 3) + 9]"
            tables.native_method(pt, "Error", ["return net_operror_Error(g, d)"], ["return net_operror_Error(g, v)"])
            tables.native_method(pt, "Unwrap", [f"return ({err_tab.format(r='d')})"],
                                 [f"return ({err_tab.format(r='v')})"])
            tables.native_method(pt, "Timeout", ["return False"], ["return False"])
            tables.native_method(pt, "Temporary", ["return False"], ["return False"])
        es, _ = self._error_tabs(fg)
        gt = fg.pg.rtype(ot, n)
        network = fg.arg_val(n.args[0])
        return (f"net_dial_udp(g, {network}, {tables.tab(T.ERROR, pt)}, {es}, {fg.pg.type_ref(gt)}, "
                f"{fg.pg.string_const('dial')})")

    def m_net_OpError_Error(self, fg, n):
        return fg.spill_val(f"net_operror_Error(g, {fg.arg_val(n.args[0])})", n.type)

    def m_net_OpError_Unwrap(self, fg, n):
        e = fg.arg_val(n.args[0])
        return fg.spill_val(f"(lambda e: (W[((nilcheck(e) - B) >> 3) + 8], W[((e - B) >> 3) + 9]))({e})", n.type)

    def m_net_OpError_Timeout(self, fg, n):
        return f"(nilcheck({fg.arg_val(n.args[0])}) and False)"

    m_net_OpError_Temporary = m_net_OpError_Timeout

    # -- sort ---------------------------------------------------------------------------------------

    def _sort_slice(self, fg, n, stable: bool) -> str:
        x, less = n.args
        if x.op != "CONVIFACE" or x.x.type.u.kind != "slice":
            _unsupported(n, "sort.Slice of an operand that is not a slice converted to any")
        es, rt, offs = self._elem_info(fg, n, x.x.type)
        string = x.x.type.u.elem_type.u.kind == "string"
        xv = fg.arg_val(x)
        lv = self._fv(fg, less)
        return f"sort_slice(g, {xv}, {lv}, {es}, {rt}, {offs!r}, {string}, {stable})"

    def call_sort_Slice(self, fg, n):
        return self._sort_slice(fg, n, False)

    def call_sort_SliceStable(self, fg, n):
        return self._sort_slice(fg, n, True)

    def call_sort_SliceIsSorted(self, fg, n):
        x, less = n.args
        if x.op != "CONVIFACE" or x.x.type.u.kind != "slice":
            _unsupported(n, "sort.SliceIsSorted of an operand that is not a slice converted to any")
        return f"sort_slice_is_sorted(g, {fg.arg_val(x)}, {self._fv(fg, less)})"

    def _sort_natives(self, fg) -> None:
        """Native methods of sort.IntSlice, StringSlice, Float64Slice and *sort.reverse."""
        tables = fg.pg.ifaces
        if getattr(tables, "sort_done", False):
            return
        tables.sort_done = True
        for name, kind in _SORT_KINDS.items():
            t = stub_type("sort", name)
            tables.native_method(t, "Len", ["return xs_hdr(d)[1]"], ["return v[1]"])
            tables.native_method(t, "Less", [f"return xs_less(xs_hdr(d), a0, a1, {kind!r})"],
                                 [f"return xs_less(v, a0, a1, {kind!r})"], 2)
            tables.native_method(t, "Swap", [f"return xs_swap(g, xs_hdr(d), a0, a1, {kind!r})"],
                                 [f"return xs_swap(g, v, a0, a1, {kind!r})"], 2)
        si = stub_type("sort", "Interface")
        rev = self._reverse_type()
        ks = {m: _method_index(si, m) for m in ("Len", "Less", "Swap")}
        tables.native_method(T.Pointer(rev), "Len", [f"return rev_call(g, d, {ks['Len']})"],
                             [f"return rev_call(g, v, {ks['Len']})"])
        tables.native_method(T.Pointer(rev), "Less", [f"return rev_call(g, d, {ks['Less']}, a1, a0)"],
                             [f"return rev_call(g, v, {ks['Less']}, a1, a0)"], 2)
        tables.native_method(T.Pointer(rev), "Swap", [f"return rev_call(g, d, {ks['Swap']}, a0, a1)"],
                             [f"return rev_call(g, v, {ks['Swap']}, a0, a1)"], 2)

    def _reverse_type(self) -> T.Named:
        rev = getattr(FuncLib, "_REVERSE", None)
        if rev is None:
            rev = _named("reverse", "sort", [("Interface", stub_type("sort", "Interface"), True)])
            FuncLib._REVERSE = rev
        return rev

    def _sort_iface(self, fg, n, stable: bool) -> str:
        self._sort_natives(fg)
        d = n.args[0]
        it = d.type
        ks = tuple(_method_index(it, m) for m in ("Len", "Less", "Swap"))
        return f"sort_iface(g, {fg.arg_val(d)}, {ks!r}, {stable})"

    def call_sort_Sort(self, fg, n):
        return self._sort_iface(fg, n, False)

    def call_sort_Stable(self, fg, n):
        return self._sort_iface(fg, n, True)

    def call_sort_IsSorted(self, fg, n):
        self._sort_natives(fg)
        d = n.args[0]
        ks = tuple(_method_index(d.type, m) for m in ("Len", "Less"))
        return f"sort_iface_is_sorted(g, {fg.arg_val(d)}, {ks!r})"

    def call_sort_Reverse(self, fg, n):
        self._sort_natives(fg)
        rev = self._reverse_type()
        rp = T.Pointer(rev)
        tab = fg.pg.ifaces.tab(n.type, rp)
        gt = fg.pg.rtype(rev, n)
        return fg.spill_val(f"sort_reverse(g, {fg.arg_val(n.args[0])}, {tab}, {fg.pg.type_ref(gt)})", n.type)

    def call_sort_Search(self, fg, n):
        k, fn = n.args
        return f"sort_search(g, {fg.arg_val(k)}, {self._fv(fg, fn)})"

    # -- slices ------------------------------------------------------------------------------------

    def _slices_sort(self, fg, n, args, stable: bool) -> str:
        s, cmp = args
        es, rt, offs = self._elem_info(fg, n, s.type)
        ld = self._loader(fg, s.type.u.elem_type)
        return (f"slices_sort_func(g, {fg.arg_val(s)}, {self._fv(fg, cmp)}, {es}, {offs!r}, {ld}, {stable})")

    def g_slices_SortFunc(self, fg, n, args):
        return self._slices_sort(fg, n, args, False)

    def g_slices_SortStableFunc(self, fg, n, args):
        return self._slices_sort(fg, n, args, True)

    def g_slices_IndexFunc(self, fg, n, args):
        s, fn = args
        es = s.type.u.elem_type.size()
        ld = self._loader(fg, s.type.u.elem_type)
        return f"slices_index_func(g, {fg.arg_val(s)}, {self._fv(fg, fn)}, {es}, {ld})"

    def g_slices_ContainsFunc(self, fg, n, args):
        return f"({self.g_slices_IndexFunc(fg, n, args)} >= 0)"

    def _cmp(self, fg, n, args, less: bool) -> str:
        a, b = (fg.arg_val(x) for x in args)
        k = args[0].type.u.kind
        if k == "string":
            return f"(gostr({a}) < gostr({b}))" if less else f"GOSTR.compare(gostr({a}), gostr({b}))"
        if k in ("float32", "float64"):
            return f"cmp_{'less' if less else 'compare'}_f({a}, {b})"
        if L.form(args[0].type) != L.INT:
            _unsupported(n, f"cmp of {args[0].type}")
        return f"(({a}) < ({b}))" if less else f"(lambda x, y: (x > y) - (x < y))({a}, {b})"

    def g_cmp_Compare(self, fg, n, args):
        return self._cmp(fg, n, args, False)

    def g_cmp_Less(self, fg, n, args):
        return self._cmp(fg, n, args, True)

    # -- strings with funcs ---------------------------------------------------------------------------

    def call_strings_Map(self, fg, n):
        fn, s = n.args
        return fg.spill_val(f"strings_map(g, {self._fv(fg, fn)}, {fg.arg_val(s)})", n.type)

    def call_strings_FieldsFunc(self, fg, n):
        s, fn = n.args
        return fg.spill_val(f"strings_fields_func(g, {fg.arg_val(s)}, {self._fv(fg, fn)})", n.type)

    def _str_fn(self, fg, n, helper: str) -> str:
        s, fn = n.args
        return f"{helper}(g, {fg.arg_val(s)}, {self._fv(fg, fn)})"

    def call_strings_IndexFunc(self, fg, n):
        return self._str_fn(fg, n, "strings_index_func")

    def call_strings_LastIndexFunc(self, fg, n):
        return self._str_fn(fg, n, "strings_last_index_func")

    def call_strings_ContainsFunc(self, fg, n):
        return f"({self._str_fn(fg, n, 'strings_index_func')} >= 0)"

    def call_strings_TrimFunc(self, fg, n):
        return self._str_fn(fg, n, "strings_trim_func")

    def call_strings_TrimLeftFunc(self, fg, n):
        return self._str_fn(fg, n, "strings_trim_left_func")

    def call_strings_TrimRightFunc(self, fg, n):
        return self._str_fn(fg, n, "strings_trim_right_func")

    # -- strconv ---------------------------------------------------------------------------------------

    def _num_error(self, fg) -> tuple[str, str]:
        """(itab of error for *strconv.NumError, itab of error for *errors.errorString); natives registered."""
        tables = fg.pg.ifaces
        es, _ = self._error_tabs(fg)
        ne = stub_type("strconv", "NumError")
        nep = T.Pointer(ne)
        if not getattr(tables, "numerror_done", False):
            tables.numerror_done = True
            tables.native_method(nep, "Error", ["return numerror_Error(g, nilcheck(d))"],
                                 ["return numerror_Error(g, nilcheck(v))"])
            load_e = fg.pg.layouts.load("nilcheck(d) + 32", T.ERROR)
            tables.native_method(nep, "Unwrap", [f"return {load_e}"], [f"return {load_e.replace('(d)', '(v)')}"])
        return tables.tab(T.ERROR, nep), es

    def _parse(self, fg, n, fn: str, *extra: str) -> str:
        ne, es = self._num_error(fg)
        gt = fg.pg.rtype(stub_type("strconv", "NumError"), n)
        args = ", ".join(fg.arg_val(a) for a in n.args)
        return f"strconv_parse(g, {fn!r}, ({args},), {ne}, {es}, {fg.pg.type_ref(gt)})"

    def call_strconv_Atoi(self, fg, n):
        return self._parse(fg, n, "Atoi")

    def call_strconv_ParseInt(self, fg, n):
        return self._parse(fg, n, "ParseInt")

    def call_strconv_ParseUint(self, fg, n):
        return self._parse(fg, n, "ParseUint")

    def call_strconv_ParseFloat(self, fg, n):
        return self._parse(fg, n, "ParseFloat")

    def call_strconv_ParseBool(self, fg, n):
        return self._parse(fg, n, "ParseBool")

    def call_strconv_FormatBool(self, fg, n):
        return f"strconv_format_bool({fg.arg_val(n.args[0])})"

    def call_strconv_FormatUint(self, fg, n):
        u, base = (fg.arg_val(a) for a in n.args)
        return fg.spill_val(f"strconv_format_uint(g, {u}, {base})", n.type)

    def call_strconv_FormatFloat(self, fg, n):
        args = ", ".join(fg.arg_val(a) for a in n.args)
        return fg.spill_val(f"strconv_format_float(g, {args})", n.type)

    def _result_buf(self, fg, n) -> str:
        """A 32-byte frame buffer for the ``string()`` of an inlined Quote whose result does not escape (an
        operand of a concatenation or comparison, or the argument of ``Builder.WriteString``); else "0"."""
        uses = getattr(fg, "_local_string_uses", None)
        if uses is None:
            uses = fg._local_string_uses = set()
            stack = list(fg.fn.body or [])
            while stack:
                x = stack.pop()
                if x.op == "ADDSTR" or x.op in ("EQ", "NE", "LT", "LE", "GT", "GE"):
                    uses.update(id(y) for y in ([x.x, x.y] if x.op != "ADDSTR" else x.list or []))
                elif x.op in ("CALLFUNC", "CALLMETH") and x.fun is not None and x.fun.op == "METHEXPR":
                    m = x.fun.method
                    if getattr(m, "pkg", None) == "strings" and m.name in ("WriteString",):
                        uses.update(id(a) for a in (x.args or [])[1:])
                stack.extend(_children(x))
        if id(n) in uses:
            return fg.faddr(fg.add_field(gotypes.array_of(gotypes.UINT8, 32)))
        return "0"

    def _quote(self, fg, n, how: str):
        buf = self._result_buf(fg, n)
        return fg.spill_val(f"strconv_quote(g, {fg.arg_val(n.args[0])}, {how!r}, {buf})", n.type)

    def call_strconv_Quote(self, fg, n):
        return self._quote(fg, n, "Quote")

    def call_strconv_QuoteToASCII(self, fg, n):
        return self._quote(fg, n, "QuoteToASCII")

    def call_strconv_QuoteRune(self, fg, n):
        return self._quote(fg, n, "QuoteRune")

    def call_strconv_QuoteRuneToASCII(self, fg, n):
        return self._quote(fg, n, "QuoteRuneToASCII")

    def call_strconv_Unquote(self, fg, n):
        _, es = self._error_tabs(fg)
        return f"strconv_unquote(g, {fg.arg_val(n.args[0])}, {es})"

    def call_strconv_AppendInt(self, fg, n):
        dst, i, base = (fg.arg_val(a) for a in n.args)
        return fg.spill_val(f"strconv_append(g, {dst}, SC.AppendInt(b'', {i}, {base}))", n.type)

    def call_strconv_AppendQuote(self, fg, n):
        dst, s = (fg.arg_val(a) for a in n.args)
        return fg.spill_val(f"strconv_append(g, {dst}, SC.Quote(gostr({s})))", n.type)

    # -- errors, fmt.Errorf, os ---------------------------------------------------------------------

    def _multi_tabs(self, fg) -> tuple[str, str]:
        """The itabs of error for *errors.joinError and *fmt.wrapErrors (native Error and Unwrap)."""
        tables = fg.pg.ifaces
        if not getattr(tables, "multi_done", False):
            tables.multi_done = True
            tables.native_method(JOIN_ERROR_PTR, "Error", ["return join_Error(g, nilcheck(d))"],
                                 ["return join_Error(g, nilcheck(v))"])
            tables.native_method(JOIN_ERROR_PTR, "Unwrap", ["return errs_of(nilcheck(d))"],
                                 ["return errs_of(nilcheck(v))"])
            load_s = fg.pg.layouts.load("nilcheck(d)", T.STRING)
            tables.native_method(WRAP_ERRORS_PTR, "Error", [f"return {load_s}"],
                                 [f"return {load_s.replace('(d)', '(v)')}"])
            tables.native_method(WRAP_ERRORS_PTR, "Unwrap", ["return errs_of(nilcheck(d) + 16)"],
                                 ["return errs_of(nilcheck(v) + 16)"])
        return tables.tab(T.ERROR, JOIN_ERROR_PTR), tables.tab(T.ERROR, WRAP_ERRORS_PTR)

    def static_errors_new(self, fg, n, es: str) -> str:
        """``var E = errors.New("...")``: the compiler's static init (inlined New) makes the errorString a
        global of the data segment; nothing is allocated."""
        return f"static_errors_new({es}, {fg.arg_val(n.args[0])})"

    def call_errors_Join(self, fg, n):
        je, _ = self._multi_tabs(fg)
        args = n.args or []
        if len(args) == 1 and args[0].op == "SLICELIT" or len(args) == 1 and args[0].type.u.kind == "slice":
            errs = fg.arg_val(args[0])
        elif not args:
            errs = "(0, 0, 0)"
        else:
            _unsupported(n, "errors.Join with these arguments")
        return fg.spill_val(f"errors_join(g, {errs}, {je})", n.type)

    def call_errors_As(self, fg, n):
        err, target = n.args
        if target.op != "CONVIFACE" or target.x.type.u.kind != "ptr":
            _unsupported(n, "errors.As with a target that is not a pointer")
        pt = target.x.type
        et = pt.elem()
        tables = fg.pg.ifaces
        if et.u.kind == "iface":
            want = f"('i', {tables.iface_id(et)})" if not et.u.is_empty() else "('e', 0)"
            size, offs = 16, (8,)
        else:
            fg.check_type(et)
            gt = fg.pg.rtype(et, n)
            want = f"('t', {tables.td(et)})"
            size, offs = gt.size, (tuple(gt.pointer_offsets()) if gt.ptrdata else ())
        direct = T.is_direct_iface(et) if et.u.kind != "iface" else False
        return (f"errors_as(g, {fg.arg_val(err)}, {fg.arg_val(target)}, {want}, {size}, {offs!r}, {direct})")

    def fmt_errorf_call(self, fg, n) -> str:
        """``fmt.Errorf``: its operands converted to ``any`` as the compiler does (real data words, so that a
        ``%w`` operand of any type becomes the wrapped error)."""
        es, we = self._error_tabs(fg)
        wes = self._multi_tabs(fg)[1]
        eid = fg.pg.ifaces.iface_id(T.ERROR)
        args = n.args or []
        if len(args) == 1 or (len(args) == 2 and args[1].op == "NIL"):
            ops = "()"
        elif len(args) != 2 or args[1].op != "SLICELIT":
            _unsupported(n, "passing a slice to fmt with ...")
        else:
            ops = "(" + "".join(f"({fg.pg.ftype_ref(e.type)}, {fg.arg_val(e)}), " for e in args[1].list or []) + ")"
        return fg.spill_val(f"fmt_errorf(g, {self._format_arg(n)!r}, {ops}, {es}, {we}, {wes}, {eid})", n.type)

    def call_os_Exit(self, fg, n):
        return f"os_exit(g, {fg.arg_val(n.args[0])})"
