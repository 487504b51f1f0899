"""The standard-library calls of ``strings``, ``unicode``, ``unicode/utf8``, ``math``, ``math/rand``,
``math/rand/v2``, ``sort``, ``slices``, ``runtime`` and ``runtime/debug``: :class:`StdLib`, a mixin of
:class:`.lib.Lib`.

Each ``call_<pkg>_<Func>(fg, n)`` returns the Python expression of one call (``n.args`` its
arguments); ``m_<pkg>_<Type>_<Method>(fg, n)`` one method call (the receiver ``n.args[0]``),
reached from codegen through :meth:`StdLib.call_method`; ``g_<pkg>_<Func>(fg, n, args)`` one call of
an instance of a generic function (``slices.Sort[...]``: the dictionary argument dropped), through
:meth:`StdLib.call_generic`.  The runtime side (allocations, model memory) is
:mod:`gomem.std.support_std`, the algorithms :mod:`gomem.std`.  A function not here stays one line:
``gomem cannot run this yet: the function strings.X``.

Simplifications (each with the reason):

* Functions taking funcs (``strings.Map``, ``FieldsFunc``, ``sort.Slice``, ``slices.SortFunc`` ...)
  and those returning ``error`` or taking ``any`` are :class:`.libfunc.FuncLib`'s (this class's base).
* ``rand.New`` is inlined by Go, so its ``&Rand{}`` is on the caller's stack unless the result
  escapes; gomem's inliner has no standard-library bodies to inline, so :func:`_rand_escapes` decides:
  a ``Rand`` held in a local used only as the receiver of ``*rand.Rand`` methods stays in the
  frame (Go's verdict for that shape); any other use (a global, an argument, a field, a return)
  puts it on the heap, which Go may not do when the callee does not leak it.
"""

from __future__ import annotations

from . import ir
from . import types as T
from .check_base import Unsupported
from . import layout as L
from .libfunc import FuncLib

#: the typed view and index shift of each 1-, 2-, 4- and 8-byte scalar kind (sorting in memory)
_VIEWS = {"int": ("I64", 3), "int64": ("I64", 3), "uint": ("W", 3), "uint64": ("W", 3), "uintptr": ("W", 3),
          "float64": ("F64", 3), "int32": ("I32", 2), "uint32": ("U32", 2), "int16": ("I16", 1),
          "uint16": ("U16", 1), "int8": ("I8", 0), "uint8": ("U8", 0)}

_UNICODE = {"IsUpper": "is_upper", "IsLower": "is_lower", "IsLetter": "is_letter", "IsDigit": "is_digit",
            "IsSpace": "is_space", "IsPunct": "is_punct", "ToUpper": "to_upper", "ToLower": "to_lower",
            "ToTitle": "to_title", "SimpleFold": "simple_fold"}
_MATH = {"Round": "round_", "RoundToEven": "round_to_even", "Mod": "mod", "Hypot": "hypot", "Log2": "log2",
         "Log10": "log10", "Sin": "sin", "Cos": "cos", "Float64bits": "f64bits",
         "Float64frombits": "f64frombits", "Signbit": "signbit", "Copysign": "copysign", "IsInf": "is_inf",
         "NaN": "nan", "Modf": "modf", "Cbrt": "cbrt"}
_RAND = {"Int63": "rand_Int63", "Uint32": "rand_Uint32", "Uint64": "rand_Uint64", "Int31": "rand_Int31",
         "Int": "rand_Int", "Intn": "rand_Intn", "Int63n": "rand_Int63n", "Int31n": "rand_Int31n",
         "Float64": "rand_Float64"}
_RAND2 = {"Uint64": "rand2_Uint64", "Uint32": "rand2_Uint32", "Int64": "rand2_Int64", "Int32": "rand2_Int32",
          "Int": "rand2_Int", "Uint": "rand2_Uint64", "Float64": "rand2_Float64", "Float32": "rand2_Float32"}


#: io's ``discard`` (the dynamic type of io.Discard)
DISCARD = T.Named("discard", "io", "io", False)
DISCARD.under = T.Struct([])


def _unsupported(n, what: str):
    raise Unsupported(getattr(n, "pos", None), f"gomem cannot run this yet: {what}")


class StdLib(FuncLib):
    """The handlers (see the module docstring); mixed into :class:`.lib.Lib`."""

    # -- dispatch -------------------------------------------------------------------------------

    def call_method(self, fg, n, target) -> str:
        """A method of a standard-library type: ``m_<pkg>_<Type>_<Method>``."""
        rt = target.recv_type
        base = rt.elem() if rt.u.kind == "ptr" else rt
        pkg = (target.pkg or "").replace("/", "_")
        tname = getattr(base, "name", str(base)).split("[", 1)[0]  # atomic.Pointer[T]: m_sync_atomic_Pointer_*
        h = getattr(self, f"m_{pkg}_{tname}_{target.name}", None)
        if h is None:
            star = "*" if rt.u.kind == "ptr" else ""
            _unsupported(n, f"the method ({star}{getattr(base, 'pkgname', '')}.{tname}).{target.name}")
        return h(fg, n)

    def call_generic(self, fg, n, target) -> str:
        """An instance of a generic standard-library function (``slices.Sort[go.shape...]``)."""
        base = target.name.split("[", 1)[0]
        pkg, _, name = base.rpartition(".")
        pkg = target.pkg or pkg
        args = list(n.args or [])
        if args and args[0].op == "ADDR" and "..dict." in ir.fmt_node(args[0]):
            args = args[1:]
        h = getattr(self, f"g_{pkg.replace('/', '_')}_{name}", None)
        if h is None:
            _unsupported(n, f"the function {pkg}.{name}")
        return h(fg, n, args)

    @staticmethod
    def _args(fg, n) -> list[str]:
        return fg.arg_list(n.args or [])

    @staticmethod
    def _pkg(n) -> str:
        fn = getattr(n.fun, "fn", None)
        return getattr(fn, "pkg", "") or ""

    # -- strings.Builder ----------------------------------------------------------------------

    def m_strings_Builder_WriteString(self, fg, n) -> str:
        b, s = self._args(fg, n)
        return f"sb_WriteString(g, {b}, {s})"

    def m_strings_Builder_Write(self, fg, n) -> str:
        b, p = self._args(fg, n)
        return f"sb_Write(g, {b}, {p})"

    def m_strings_Builder_WriteByte(self, fg, n) -> str:
        b, c = self._args(fg, n)
        return f"sb_WriteByte(g, {b}, {c})"

    def m_strings_Builder_WriteRune(self, fg, n) -> str:
        b, r = self._args(fg, n)
        return f"sb_WriteRune(g, {b}, {r})"

    def m_strings_Builder_Grow(self, fg, n) -> str:
        b, k = self._args(fg, n)
        return f"sb_Grow(g, {b}, {k})"

    def m_strings_Builder_Reset(self, fg, n) -> str:
        (b,) = self._args(fg, n)
        return f"sb_Reset(g, {b})"

    def m_strings_Builder_String(self, fg, n) -> str:
        (b,) = self._args(fg, n)
        return fg.spill_val(f"sb_String({b})", n.type)

    def m_strings_Builder_Len(self, fg, n) -> str:
        (b,) = self._args(fg, n)
        return f"sb_Len({b})"

    def m_strings_Builder_Cap(self, fg, n) -> str:
        (b,) = self._args(fg, n)
        return f"sb_Cap({b})"

    # -- strings: allocating ----------------------------------------------------------------------

    def _alloc_call(self, fg, n, helper: str) -> str:
        return fg.spill_val(f"{helper}(g, {', '.join(self._args(fg, n))})", n.type)

    def call_strings_Join(self, fg, n):
        return self._alloc_call(fg, n, "strings_Join")

    def call_strings_Split(self, fg, n):
        return self._alloc_call(fg, n, "strings_Split")

    def call_strings_SplitN(self, fg, n):
        return self._alloc_call(fg, n, "strings_SplitN")

    def call_strings_SplitAfter(self, fg, n):
        return self._alloc_call(fg, n, "strings_SplitAfter")

    def call_strings_Fields(self, fg, n):
        return self._alloc_call(fg, n, "strings_Fields")

    def call_strings_Repeat(self, fg, n):
        return self._alloc_call(fg, n, "strings_Repeat")

    def call_strings_ToUpper(self, fg, n):
        return self._alloc_call(fg, n, "strings_ToUpper")

    def call_strings_ToLower(self, fg, n):
        return self._alloc_call(fg, n, "strings_ToLower")

    def call_strings_Replace(self, fg, n):
        return self._alloc_call(fg, n, "strings_Replace")

    def call_strings_Clone(self, fg, n):
        return self._alloc_call(fg, n, "strings_Clone")

    def call_strings_ReplaceAll(self, fg, n):
        s, old, new = self._args(fg, n)
        return fg.spill_val(f"strings_Replace(g, {s}, {old}, {new}, -1)", n.type)

    # -- strings: views and scalars ------------------------------------------------------------

    def _view_call(self, fg, n, helper: str) -> str:
        return f"{helper}({', '.join(self._args(fg, n))})"

    def call_strings_TrimSpace(self, fg, n):
        return self._view_call(fg, n, "strings_TrimSpace")

    def call_strings_Trim(self, fg, n):
        return self._view_call(fg, n, "strings_Trim")

    def call_strings_TrimLeft(self, fg, n):
        return self._view_call(fg, n, "strings_TrimLeft")

    def call_strings_TrimRight(self, fg, n):
        return self._view_call(fg, n, "strings_TrimRight")

    def call_strings_TrimPrefix(self, fg, n):
        return self._view_call(fg, n, "strings_TrimPrefix")

    def call_strings_TrimSuffix(self, fg, n):
        return self._view_call(fg, n, "strings_TrimSuffix")

    def call_strings_Cut(self, fg, n):
        return self._view_call(fg, n, "strings_Cut")

    def _bytes2(self, fg, n, expr: str) -> str:
        a, b = self._args(fg, n)
        return expr.format(a=f"gostr({a})", b=f"gostr({b})")

    def call_strings_Contains(self, fg, n):
        return self._bytes2(fg, n, "({a}.find({b}) >= 0)")

    def call_strings_Index(self, fg, n):
        return self._bytes2(fg, n, "{a}.find({b})")

    def call_strings_LastIndex(self, fg, n):
        return self._bytes2(fg, n, "{a}.rfind({b})")

    def call_strings_HasPrefix(self, fg, n):
        return self._bytes2(fg, n, "{a}.startswith({b})")

    def call_strings_HasSuffix(self, fg, n):
        return self._bytes2(fg, n, "{a}.endswith({b})")

    def call_strings_Count(self, fg, n):
        return self._bytes2(fg, n, "GOSTR.count({a}, {b})")

    def call_strings_EqualFold(self, fg, n):
        return self._bytes2(fg, n, "GOSTR.equal_fold({a}, {b})")

    def call_strings_Compare(self, fg, n):
        return self._bytes2(fg, n, "GOSTR.compare({a}, {b})")

    def call_strings_IndexByte(self, fg, n):
        s, c = self._args(fg, n)
        return f"gostr({s}).find(bytes(({c},)))"

    def call_strings_LastIndexByte(self, fg, n):
        s, c = self._args(fg, n)
        return f"gostr({s}).rfind(bytes(({c},)))"

    def call_strings_IndexRune(self, fg, n):
        s, r = self._args(fg, n)
        return f"GOSTR.index_rune(gostr({s}), {r})"

    def call_strings_ContainsRune(self, fg, n):
        s, r = self._args(fg, n)
        return f"GOSTR.contains_rune(gostr({s}), {r})"

    # -- unicode, unicode/utf8 ------------------------------------------------------------------

    def __getattr__(self, name: str):
        # call_unicode_<Func>: one function of gomem.std.unicode each
        if name.startswith("call_unicode_") and name[13:] in _UNICODE:
            fn = _UNICODE[name[13:]]
            return lambda fg, n: f"GOU.{fn}({self._args(fg, n)[0]})"
        if name.startswith("call_math_") and name[10:] in _MATH:
            fn = _MATH[name[10:]]
            if name[10:] == "Modf":
                return lambda fg, n: f"GOMATH.modf({', '.join(self._args(fg, n))})"
            return lambda fg, n: f"GOMATH.{fn}({', '.join(self._args(fg, n))})"
        raise AttributeError(name)

    def call_utf8_RuneLen(self, fg, n):
        return f"GOU.rune_len({self._args(fg, n)[0]})"

    def call_utf8_ValidRune(self, fg, n):
        return f"GOU.valid_rune({self._args(fg, n)[0]})"

    def call_utf8_RuneStart(self, fg, n):
        return f"(({self._args(fg, n)[0]}) & 0xC0 != 0x80)"

    def call_utf8_RuneCountInString(self, fg, n):
        return f"GOU.rune_count(gostr({self._args(fg, n)[0]}))"

    call_utf8_RuneCount = call_utf8_RuneCountInString

    def call_utf8_ValidString(self, fg, n):
        return f"GOU.valid(gostr({self._args(fg, n)[0]}))"

    call_utf8_Valid = call_utf8_ValidString

    def call_utf8_FullRuneInString(self, fg, n):
        return f"GOU.full_rune(gostr({self._args(fg, n)[0]}))"

    call_utf8_FullRune = call_utf8_FullRuneInString

    def call_utf8_DecodeRuneInString(self, fg, n):
        return f"GOU.decode(gostr({self._args(fg, n)[0]}))"

    call_utf8_DecodeRune = call_utf8_DecodeRuneInString

    def call_utf8_DecodeLastRuneInString(self, fg, n):
        return f"GOU.decode_last(gostr({self._args(fg, n)[0]}))"

    call_utf8_DecodeLastRune = call_utf8_DecodeLastRuneInString

    def call_utf8_EncodeRune(self, fg, n):
        p, r = self._args(fg, n)
        return f"utf8_encode({p}, {r})"

    def call_utf8_AppendRune(self, fg, n):
        p, r = self._args(fg, n)
        return fg.spill_val(f"utf8_append(g, {p}, {r})", n.type)

    # -- math/rand, math/rand/v2 ----------------------------------------------------------------

    def call_rand_New(self, fg, n):
        v2 = self._pkg(n) == "math/rand/v2"
        arg = n.args[0]
        while arg.op in ("CONVIFACE", "CONVNOP", "PAREN"):
            arg = arg.x
        want = "NewPCG" if v2 else "NewSource"
        if not (arg.op == "CALLFUNC" and isinstance(arg.fun, ir.Name) and arg.fun.sym == want
                and self._pkg(arg) == self._pkg(n)):
            _unsupported(n, f"rand.New of a source other than rand.{want}(...)")
        seeds = ", ".join(fg.expr(a) for a in arg.args)
        src = fg.spill(f"{'rand2_new_pcg' if v2 else 'rand_new_source'}(g, {seeds})")
        t = n.type.elem()
        gt = fg.pg.rtype(t, n)
        if _rand_escapes(fg, n):
            obj = f"g.new({fg.pg.type_ref(gt)})"
        else:
            obj = f"stackobj(f, OFF_{fg.fn_id}_{fg.add_field(gt)}, {gt.size})"
        return fg.spill(f"{'rand2_new' if v2 else 'rand_new'}(g, {src}, {obj})")

    def _rand_top(self, fg, n):
        """A top-level function of math/rand or math/rand/v2: the method of the package's global Rand
        (``globalRand()``, made at the first call in math/rand; v2's is static data)."""
        v2 = self._pkg(n) == "math/rand/v2"
        name = n.fun.sym
        args = self._args(fg, n)
        r = f"{'rand2_global' if v2 else 'rand_global'}(g)"
        if name == "Perm":
            return fg.spill_val(f"{'rand2_Perm' if v2 else 'rand_Perm'}(g, {r}, {', '.join(args)})", n.type)
        if name == "Shuffle":
            return f"rand_Shuffle(g, {r}, {args[0]}, {self._fv(fg, n.args[1])}, {v2})"
        if v2:
            if name in ("IntN", "Int64N", "Int32N", "UintN", "Uint64N", "Uint32N"):
                return f"rand2_N({r}, {args[0]}, {name!r})"
            if name in _RAND2:
                return f"{_RAND2[name]}({r})"
        else:
            if name == "Seed":  # a no-op since Go 1.24 (GODEBUG randseednop=1)
                return f"rand_Seed(g, {args[0]})"
            if name == "Read":
                return f"rand_Read({r}, {args[0]})"
            if name in _RAND or name == "Float32":
                return f"{_RAND.get(name, 'rand_Float32')}({', '.join([r] + args)})"
        _unsupported(n, f"the function {self._pkg(n)}.{name}")

    def call_rand_NewSource(self, fg, n):
        _unsupported(n, "rand.NewSource outside rand.New(rand.NewSource(seed)) (an interface value)")

    def _rand_method(self, fg, n, table):
        name = n.fun.method.name
        args = self._args(fg, n)
        if name in table:
            return f"{table[name]}({', '.join(args)})"
        _unsupported(n, f"the method (*rand.Rand).{name}")

    def _rand_dispatch(self, fg, n):
        m = n.fun.method
        v2 = m.pkg == "math/rand/v2"
        name = m.name
        args = self._args(fg, n)
        if name == "Perm":
            return fg.spill_val(f"{'rand2_Perm' if v2 else 'rand_Perm'}(g, {', '.join(args)})", n.type)
        if name == "Shuffle":
            return f"rand_Shuffle(g, {args[0]}, {args[1]}, {self._fv(fg, n.args[2])}, {v2})"
        if not v2 and name == "Float32":
            return f"rand_Float32({args[0]})"
        if not v2 and name == "Read":
            return f"rand_Read({args[0]}, {args[1]})"
        if v2:
            if name in ("IntN", "Int64N", "Int32N", "UintN", "Uint64N", "Uint32N"):
                return f"rand2_N({args[0]}, {args[1]}, {name!r})"
            return self._rand_method(fg, n, _RAND2)
        return self._rand_method(fg, n, _RAND)

    # -- sort, slices ---------------------------------------------------------------------------

    def _sort(self, fg, n, s_node, s: str, stable: bool = False) -> str:
        et = s_node.type.u.elem_type
        k = et.u.kind
        if k == "string":
            if stable:
                _unsupported(n, "a stable sort of strings")
            return f"sort_strings(g, {s})"
        if k not in _VIEWS:
            _unsupported(n, f"sorting a slice of {et}")
        view, _ = _VIEWS[k]
        lt = "GOSORT.float_less" if k == "float64" else "lt_ordered"
        return f"sort_words({s}, {view}, {lt}, {stable})"

    def call_sort_Ints(self, fg, n):
        return self._sort(fg, n, n.args[0], self._args(fg, n)[0])

    call_sort_Strings = call_sort_Ints
    call_sort_Float64s = call_sort_Ints

    def g_slices_Sort(self, fg, n, args):
        return self._sort(fg, n, args[0], fg.arg_val(args[0]))

    def _sorted_check(self, fg, n, s_node, s: str) -> str:
        et = s_node.type.u.elem_type
        k = et.u.kind
        if k == "string":
            return f"all(gostr(a) <= gostr(b) for a, b in zip(str_elems({s}), str_elems({s})[1:]))"
        if k not in _VIEWS:
            _unsupported(n, f"a sorted check of a slice of {et}")
        view, _ = _VIEWS[k]
        lt = "GOSORT.float_less" if k == "float64" else "lt_ordered"
        return f"not any({lt}(b, a) for a, b in zip(words_of({s}, {view}), words_of({s}, {view})[1:]))"

    def call_sort_IntsAreSorted(self, fg, n):
        return self._sorted_check(fg, n, n.args[0], self._args(fg, n)[0])

    call_sort_StringsAreSorted = call_sort_IntsAreSorted
    call_sort_Float64sAreSorted = call_sort_IntsAreSorted

    def g_slices_IsSorted(self, fg, n, args):
        return self._sorted_check(fg, n, args[0], fg.arg_val(args[0]))

    def _search(self, fg, n, s_node, s: str, x: str) -> str:
        k = s_node.type.u.elem_type.u.kind
        if k == "string":
            return f"search_strings({s}, {x})"
        view, _ = _VIEWS[k]
        lt = "GOSORT.float_less" if k == "float64" else "lt_ordered"
        return f"search_words({s}, {view}, {x}, {lt})"

    def call_sort_SearchInts(self, fg, n):
        s, x = self._args(fg, n)
        return self._search(fg, n, n.args[0], s, x)

    call_sort_SearchStrings = call_sort_SearchInts
    call_sort_SearchFloat64s = call_sort_SearchInts

    def g_slices_BinarySearch(self, fg, n, args):
        s, x = fg.arg_val(args[0]), fg.arg_val(args[1])
        k = args[0].type.u.elem_type.u.kind
        i = self._search(fg, n, args[0], s, x)
        if k == "string":
            return f"(lambda i, s, x: (i, i < s[1] and streq(str_elems(s)[i], x)))({i}, {s}, {x})"
        view, _ = _VIEWS[k]
        return f"(lambda i, s, x: (i, i < s[1] and words_of(s, {view})[i] == x))({i}, {s}, {x})"

    def g_slices_Index(self, fg, n, args):
        s, v = fg.arg_val(args[0]), fg.arg_val(args[1])
        et = args[0].type.u.elem_type
        k = et.u.kind
        if k == "string":
            return f"slices_Index_str({s}, {v})"
        if k not in _VIEWS:
            _unsupported(n, f"slices.Index of a slice of {et}")
        return f"next((i for i, x in enumerate(words_of({s}, {_VIEWS[k][0]})) if x == {v}), -1)"

    def g_slices_Contains(self, fg, n, args):
        return f"({self.g_slices_Index(fg, n, args)} >= 0)"

    def _minmax(self, fg, n, args, want_max: bool) -> str:
        s = fg.arg_val(args[0])
        et = args[0].type.u.elem_type
        k = et.u.kind
        if k == "string":
            return fg.spill_val(f"slices_MinMax_str({s}, {want_max})", n.type)
        if k not in _VIEWS:
            _unsupported(n, f"slices.Max of a slice of {et}")
        return f"slices_MinMax({s}, {_VIEWS[k][0]}, {want_max}, {k == 'float64'})"

    def g_slices_Max(self, fg, n, args):
        return self._minmax(fg, n, args, True)

    def g_slices_Min(self, fg, n, args):
        return self._minmax(fg, n, args, False)

    def g_slices_Reverse(self, fg, n, args):
        s = fg.arg_val(args[0])
        et = args[0].type.u.elem_type
        gt = fg.pg.rtype(et, n)
        offs = tuple(gt.pointer_offsets()) if gt.ptrdata else ()
        return f"slices_Reverse(g, {s}, {gt.size}, {offs!r})"

    # -- fmt.Fprint* to a *strings.Builder, os.Stdout or os.Stderr ----------------------------------

    def _writer(self, fg, n, k: int = 0, what: str = "fmt.Fprint") -> str:
        """The destination of an ``fmt.Fprint*`` (the io.Writer argument *k* of a call): ``("sb", addr)``,
        ``"stdout"``, ``"stderr"`` or ``"discard"``, as Python source."""
        w = n.args[k]
        if isinstance(w, ir.Name) and w.cls == ir.PEXTERN and w.pkgname == "io" and w.sym == "Discard":
            return "'discard'"
        if w.op == "CONVIFACE":
            x = w.x
            t = x.type
            if t.u.kind == "ptr" and getattr(t.elem(), "name", None) == "Builder" \
                    and getattr(t.elem(), "pkg", None) == "strings":
                return f"('sb', {fg.arg_val(x)})"
            if isinstance(x, ir.Name) and x.cls == ir.PEXTERN and x.pkgname == "os" and x.sym in ("Stdout", "Stderr"):
                return repr(x.sym.lower())
        _unsupported(n, f"{what} to a writer other than a *strings.Builder, os.Stdout, os.Stderr or io.Discard")

    def call_fmt_Fprintf(self, fg, n):
        fmtarg = n.args[1]
        if fmtarg.op != "LITERAL":
            _unsupported(n, "a format that is not a constant")
        f = fmtarg.val.encode("utf-8", "surrogateescape")
        return f"fprint_(g, {self._writer(fg, n)}, 'sprintf', {f!r}, {self._operands(fg, n, 2)})"

    def call_fmt_Fprintln(self, fg, n):
        return f"fprint_(g, {self._writer(fg, n)}, 'sprintln', None, {self._operands(fg, n, 1)})"

    def call_fmt_Fprint(self, fg, n):
        return f"fprint_(g, {self._writer(fg, n)}, 'sprint', None, {self._operands(fg, n, 1)})"

    # -- io.Discard ---------------------------------------------------------------------------------

    def init_io_Discard(self, pg, gv: str, t: T.Type) -> None:
        """``var Discard Writer = discard{}`` (io/io.go): a zero-size struct in an io.Writer, its data word
        ``&zerobase``; its methods native: ``Write(p)`` and ``WriteString(s)`` return ``len, nil`` (no
        allocation).  ``ReadFrom`` (which reads through a pooled 8 KiB buffer) is not modelled."""
        tables = pg.ifaces
        tables.native_method(DISCARD, "Write", ["return (a0[1], (0, 0))"], ["return (a0[1], (0, 0))"], 1)
        tables.native_method(DISCARD, "WriteString", ["return (a0[1], (0, 0))"], ["return (a0[1], (0, 0))"], 1)
        pg.std_init_lines.append(pg.layouts.store(gv, t, f"({tables.tab(t, DISCARD)}, ZEROBASE)", True))

    def _io_error_init(self, pg, gv: str, t: T.Type, name: str, text: str) -> None:
        """``var EOF = errors.New("EOF")`` and its kind: the errorString is static data (the compiler's
        static init of the inlined errors.New), the same object io's own functions return."""
        import types as _pytypes

        es, _ = self._error_tabs(_pytypes.SimpleNamespace(pg=pg))
        pg.std_init_lines.append(pg.layouts.store(gv, t, f"({es}, static_error({name!r}, {text.encode()!r}))", True))

    def init_io_EOF(self, pg, gv, t):
        self._io_error_init(pg, gv, t, "io..errEOF", "EOF")

    def init_io_ErrUnexpectedEOF(self, pg, gv, t):
        self._io_error_init(pg, gv, t, "io..errUnexpectedEOF", "unexpected EOF")

    def init_io_ErrShortBuffer(self, pg, gv, t):
        self._io_error_init(pg, gv, t, "io..errShortBuffer", "short buffer")

    def call_io_ReadAtLeast(self, fg, n):
        """``io.ReadAtLeast(r, buf, min)`` / ``io.ReadFull(r, buf)``: r.Read through the Reader's itab until
        *min* bytes or an error (support_func.py ``io_read_at_least``)."""
        r = n.args[0]
        from .libfunc import _method_index

        es, _ = self._error_tabs(fg)
        k = _method_index(r.type, "Read")
        args = fg.arg_list(n.args)
        mn = args[2] if len(args) > 2 else "None"
        return f"io_read_at_least(g, {args[0]}, {args[1]}, {mn}, {k}, {es})"

    call_io_ReadFull = call_io_ReadAtLeast

    # -- log (the standard Logger) --------------------------------------------------------------------

    def _log(self, fg, n, how: str, then: str) -> str:
        if how == "sprintf":
            fmtarg = n.args[0]
            if fmtarg.op != "LITERAL":
                _unsupported(n, "a format that is not a constant")
            f = fmtarg.val.encode("utf-8", "surrogateescape")
            return f"log_output(g, 'sprintf', {f!r}, {self._operands(fg, n, 1)}, {then!r})"
        return f"log_output(g, {how!r}, None, {self._operands(fg, n, 0)}, {then!r})"

    def call_log_Printf(self, fg, n):
        return self._log(fg, n, "sprintf", "")

    def call_log_Print(self, fg, n):
        return self._log(fg, n, "sprint", "")

    def call_log_Println(self, fg, n):
        return self._log(fg, n, "sprintln", "")

    def call_log_Fatalf(self, fg, n):
        return self._log(fg, n, "sprintf", "fatal")

    def call_log_Fatal(self, fg, n):
        return self._log(fg, n, "sprint", "fatal")

    def call_log_Fatalln(self, fg, n):
        return self._log(fg, n, "sprintln", "fatal")

    # -- runtime/pprof (std/support_pprof.py) -------------------------------------------------------

    def call_pprof_Lookup(self, fg, n):
        (name,) = self._args(fg, n)
        return f"pprof_Lookup(g, {name})"

    def m_runtime_pprof_Profile_WriteTo(self, fg, n):
        prof = fg.arg_val(n.args[0])
        w = self._writer(fg, n, 1, "pprof WriteTo")
        return f"pprof_WriteTo(g, {prof}, {w}, {fg.arg_val(n.args[2])})"

    def call_pprof_WriteHeapProfile(self, fg, n):
        return f"pprof_WriteHeapProfile(g, {self._writer(fg, n, 0, 'pprof.WriteHeapProfile')})"

    # -- runtime, runtime/debug -------------------------------------------------------------------

    def call_runtime_GC(self, fg, n):
        return "runtime_GC(g)"

    def call_runtime_KeepAlive(self, fg, n):
        x = n.args[0]
        if x.op == "CONVIFACE" and L.form(x.x.type) == L.WORD:
            return f"(lambda _: None)({fg.expr(x.x)})"
        _unsupported(n, "runtime.KeepAlive of a value that is not a pointer")

    def call_runtime_NumGoroutine(self, fg, n):
        return "runtime_NumGoroutine(g)"

    def call_runtime_GOMAXPROCS(self, fg, n):
        (k,) = self._args(fg, n)
        return f"runtime_GOMAXPROCS(g, {k})"

    def call_runtime_ReadMemStats(self, fg, n):
        (m,) = self._args(fg, n)
        st = n.args[0].type.elem().u
        fields = []
        for f, off in zip(st.fields, L.field_offsets(st)):
            k = f.type.u.kind
            if f.name == "BySize":
                kind = "BySize"
            elif k in ("uint64", "array"):
                kind = "u64"
            elif k == "uint32":
                kind = "u32"
            elif k == "float64":
                kind = "f64"
            elif k == "bool":
                kind = "bool"
            else:
                _unsupported(n, f"the MemStats field {f.name} of type {f.type}")
            fields.append((f.name, off, kind))
        return f"runtime_ReadMemStats(g, {m}, {tuple(fields)!r})"

    def call_debug_SetGCPercent(self, fg, n):
        (p,) = self._args(fg, n)
        return f"debug_SetGCPercent(g, {p})"

    def call_debug_SetMemoryLimit(self, fg, n):
        (lim,) = self._args(fg, n)
        return f"g.set_memory_limit({lim})"

    def call_debug_FreeOSMemory(self, fg, n):
        return "debug_FreeOSMemory(g)"


# top-level math/rand and math/rand/v2 functions (the package's global Rand)
for _m in ("Int63", "Uint32", "Uint64", "Int31", "Int", "Intn", "Int63n", "Int31n", "Float64", "Float32", "Perm",
           "Shuffle", "Seed", "Read", "IntN", "Int64N", "Int32N", "UintN", "Uint64N", "Uint32N", "Int64", "Int32",
           "Uint"):
    setattr(StdLib, f"call_rand_{_m}", StdLib._rand_top)

# *rand.Rand methods: one dispatcher for both packages (the method sets differ)
for _m in ("Int63", "Uint32", "Uint64", "Int31", "Int", "Intn", "Int63n", "Int31n", "Float64", "Perm",
           "Shuffle", "Read", "IntN", "Int64N", "Int32N", "UintN", "Uint64N", "Uint32N", "Int64", "Int32", "Uint", "Float32"):
    setattr(StdLib, f"m_math_rand_Rand_{_m}", StdLib._rand_dispatch)
    setattr(StdLib, f"m_math_rand_v2_Rand_{_m}", StdLib._rand_dispatch)
del _m


def _children(n):
    for k in ("init", "x", "y", "fun", "args", "list", "lhs", "rhs", "body", "els", "cond", "post", "cases",
              "value", "key", "index", "low", "high", "max", "len", "cap"):
        v = getattr(n, k, None)
        if isinstance(v, list):
            for x in v:
                if isinstance(x, ir.Node):
                    yield x
        elif isinstance(v, ir.Node):
            yield v


def _rand_escapes(fg, call) -> bool:
    """Whether Go's inlined ``&Rand{...}`` of this ``rand.New`` call escapes (see the module docstring)."""
    if fg.static:
        return True
    body = fg.fn.body or []
    target = None
    stack = list(body)
    while stack:
        st = stack.pop()
        if st.op == "AS" and st.y is call and isinstance(st.x, ir.Name):
            target = st.x.canonical()
            break
        stack.extend(_children(st))
    if target is None or target.cls == ir.PEXTERN or id(target) in fg.pg.moved:
        return True
    # every use must be the receiver of a *rand.Rand method call (or the definition itself)
    ok_uses = set()
    all_uses = []
    stack = list(body)
    while stack:
        x = stack.pop()
        if x.op in ("CALLFUNC", "CALLMETH") and x.fun is not None and x.fun.op == "METHEXPR" and x.args:
            m = x.fun.method
            a0 = x.args[0]
            if (getattr(m, "pkg", None) in ("math/rand", "math/rand/v2") and isinstance(a0, ir.Name)
                    and a0.canonical() is target):
                ok_uses.add(id(a0))
        if x.op == "AS" and isinstance(x.x, ir.Name) and x.x.canonical() is target:
            if x.y is not call:
                return True  # reassigned: conservatively heap
            ok_uses.add(id(x.x))
        if x.op == "DCL" and isinstance(x.x, ir.Name) and x.x.canonical() is target:
            ok_uses.add(id(x.x))
        if isinstance(x, ir.Name) and x.canonical() is target:
            all_uses.append(x)
        stack.extend(_children(x))
    return any(id(u) not in ok_uses for u in all_uses)
