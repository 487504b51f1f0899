"""Code generation for maps: a mixin of :class:`.codegen.FuncGen`.

Maps are pointer-shaped (one word, the ``Map`` header's address; see
:mod:`gomem.runtime.maps`).  This mixin compiles what walk turns into map runtime calls:

* ``make(map[K]V)``, ``make(map[K]V, hint)`` and map literals
  (``walkMakeMap``, ``maplit``): ``makemap_small`` (a constant hint of at
  most 8) or ``makemap`` when the map escapes; when it does not, the header
  is a stack object of the frame, and so is one group when the hint is not
  a constant above 8 (used if the hint is at most 8 at run time).  A
  literal's hint is its number of entries; its constant entries are
  inserted first, then the others in order (``order.go``'s OMAPLIT);
* ``m[k]`` (``mapaccess1``: the zero value when absent, a nil map too),
  ``v, ok := m[k]`` (``mapaccess2``), where a ``string(b)`` key does not
  allocate (``mapKeyReplaceStrConv``); ``m[k] = v`` (``mapassign``, then the
  element stored through the barrier); ``m[k] op= v`` (one ``mapassign``,
  the element read and written through its address, as walk does; ``/``
  and ``%`` read with ``mapaccess1`` first so a division by zero panics
  before the entry is made, as ``order.go`` arranges);
* ``delete``, ``len``, ``clear``, ``for k, v := range m`` (the iterator a
  96-byte object in the frame, ``mapIterStart``/``mapIterNext``), and the
  ``for k := range m { delete(m, k) }`` idiom as ``mapclear``
  (``walk.isMapClear``).

Each map type gets a descriptor (``MT<n> = MapType(...)`` in the generated
module) with the key's hash and equality and the key's and element's loads
and stores generated for its layout.
"""

from __future__ import annotations

from typing import Optional

from . import types as T
from .check_base import Unsupported
from .ir import Name, Node
from . import layout as L
from ..runtime import maps as M

#: expression ops the mixin compiles (LEN only of a map)
MAP_EXPR_OPS = frozenset({"INDEXMAP", "MAKEMAP", "MAPLIT", "LEN"})
#: statement ops it may compile (CLEAR and RANGE only of maps, AS2 only of a comma-ok map read, ASOP only of m[k])
MAP_STMT_OPS = frozenset({"DELETE", "CLEAR", "RANGE", "AS2", "AS2MAPR", "ASOP"})
_M64 = (1 << 64) - 1


class _Raw(Node):
    """Generated code standing for an already evaluated operand (codegen's RAW)."""

    def __init__(self, code: str, t):
        super().__init__("RAW", None, t)
        self.code = code


def _is_map(t) -> bool:
    return t is not None and not isinstance(t, T.Tuple) and t.u.kind == "map"


def _plain_memory(t: T.Type) -> bool:
    """``types.AlgType`` is AMEM: compared and hashed as its bytes (no floats, strings, interfaces, padding)."""
    u = t.u
    k = u.kind
    if k in L.INT_KINDS or k in ("bool", "ptr", "chan", "unsafe.Pointer"):
        return True
    if k == "array":
        return _plain_memory(u.elem_type)
    if k == "struct":
        if any(f.name == "_" for f in u.fields):
            return False
        if sum(f.type.size() for f in u.fields) != u.size():
            return False
        return all(_plain_memory(f.type) for f in u.fields)
    return False


def _need_key_update(t: T.Type) -> bool:
    """``needkeyupdate``: an assignment to an existing key overwrites the key (+0/-0, string data)."""
    u = t.u
    k = u.kind
    if k in ("float32", "float64", "complex64", "complex128", "string", "iface"):
        return True
    if k == "array":
        return _need_key_update(u.elem_type)
    if k == "struct":
        return any(_need_key_update(f.type) for f in u.fields)
    return False


class MapGen:
    """Map operations for :class:`~gomem.compile.codegen.FuncGen` (which provides expr, emit, assign …)."""

    # -- the map type descriptor ----------------------------------------------------------------

    def map_type(self, t: T.Type, where=None) -> str:
        """The name of the generated ``MapType`` of the map type *t*."""
        pg = self.pg
        cache = pg.__dict__.setdefault("_map_types", {})
        key_t, elem_t = t.u.key, t.u.elem_type
        ck = (id(key_t), id(elem_t))
        got = cache.get(ck)
        if got is not None:
            return got[0]
        lay = pg.layouts
        lay._keep.extend((key_t, elem_t))
        kf = self._map_key_form(key_t, where)
        if kf is not None:
            raise Unsupported(getattr(where, "pos", None) or self.fn.pos, f"gomem cannot run this yet: {kf}")
        self.check_type(elem_t)
        key_rt = pg.rtype(key_t, where)
        elem_rt = pg.rtype(elem_t, where)
        n = len(cache)
        if n == 0:
            lay.funcs.append("from gomem.runtime.maps import MapType as _GoMapType\n")
        name = f"MT{n}"
        hl = [f"def MKH{n}(k, h):"]
        self._hash_lines(key_t, "k", hl, 1, [0])
        hl.append("    return h")
        el = [f"def MKE{n}(k, a):"]
        self._eq_lines(key_t, "k", "a", el, 1, [0])
        el.append("    return True")
        lay.funcs.append("\n".join(hl) + "\n")
        lay.funcs.append("\n".join(el) + "\n")
        lay.funcs.append(f"def MLK{n}(a):\n    return {lay.load('a', key_t)}\n")
        lay.funcs.append(f"def MSK{n}(g, a, v):\n    {lay.store('a', key_t, 'v', True)}\n")
        lay.funcs.append(f"def MLE{n}(a):\n    return {lay.load('a', elem_t)}\n")
        lay.funcs.append(f"def MSE{n}(g, a, v):\n    {lay.store('a', elem_t, 'v', True)}\n")
        fast = elem_t.size() <= M.MAX_ELEM_BYTES and (
            key_t.u.kind == "string" or (key_t.size() in (4, 8) and _plain_memory(key_t)))
        lay.funcs.append(
            f"{name} = _GoMapType({str(t)!r}, {pg.type_ref(key_rt)}, {pg.type_ref(elem_rt)}, MKH{n}, MKE{n}, "
            f"MLK{n}, MSK{n}, MLE{n}, MSE{n}, {L.zero(elem_t)}, {fast}, {_need_key_update(key_t)})\n")
        cache[ck] = (name, key_rt, elem_rt)
        return name

    def _map_key_form(self, t: T.Type, where) -> Optional[str]:
        """Why keys of type *t* cannot be run yet, or None."""
        f = L.form(t)
        if f == L.IFACE:
            return "maps with interface keys"
        if f == L.COMPLEX:
            return "maps with complex keys"
        if f in (L.SLICE,):
            return f"map keys of type {t}"
        if f == L.STRUCT:
            for fl in t.u.fields:
                r = self._map_key_form(fl.type, where)
                if r:
                    return r
        if f == L.ARRAY:
            return self._map_key_form(t.u.elem_type, where)
        return None

    def _hash_lines(self, t: T.Type, v: str, out: list, ind: int, depth: list) -> None:
        pad = "    " * ind
        f = L.form(t)
        if f in (L.INT, L.WORD):
            out.append(f"{pad}h = hmix((({v}) & {_M64:#x}) ^ h)")
        elif f == L.BOOL:
            out.append(f"{pad}h = hmix((1 if {v} else 0) ^ h)")
        elif f == L.FLOAT:
            out.append(f"{pad}h = hfloat({v}, h)")
        elif f == L.STRING:
            out.append(f"{pad}h = hstr({v}, h)")
        elif f == L.STRUCT:
            for i, fl in enumerate(t.u.fields):
                if fl.name != "_":
                    self._hash_lines(fl.type, f"{v}[{i}]", out, ind, depth)
        elif f == L.ARRAY:
            if t.u.n:
                depth[0] += 1
                x = f"x{depth[0]}"
                out.append(f"{pad}for {x} in {v}:")
                self._hash_lines(t.u.elem_type, x, out, ind + 1, depth)
        else:
            raise AssertionError(f)

    def _eq_lines(self, t: T.Type, v: str, a: str, out: list, ind: int, depth: list) -> None:
        pad = "    " * ind
        lay = self.pg.layouts
        f = L.form(t)
        if f in (L.INT, L.WORD, L.BOOL, L.FLOAT):
            out.append(f"{pad}if {lay.load(a, t)} != {v}:")
            out.append(f"{pad}    return False")
        elif f == L.STRING:
            out.append(f"{pad}if not streq({v}, {lay.load(a, t)}):")
            out.append(f"{pad}    return False")
        elif f == L.STRUCT:
            for i, (fl, off) in enumerate(zip(t.u.fields, L.field_offsets(t.u))):
                if fl.name != "_":
                    self._eq_lines(fl.type, f"{v}[{i}]", f"{a} + {off}" if off else a, out, ind, depth)
        elif f == L.ARRAY:
            if t.u.n:
                depth[0] += 1
                i = f"i{depth[0]}"
                es = t.u.elem_type.size()
                out.append(f"{pad}for {i} in range({t.u.n}):")
                self._eq_lines(t.u.elem_type, f"{v}[{i}]", f"{a} + {i} * {es}", out, ind + 1, depth)
        else:
            raise AssertionError(f)

    # -- expressions ----------------------------------------------------------------------------

    def map_expr(self, n: Node) -> Optional[str]:
        """The code of a map expression, or None when *n* is not one (LEN of something else)."""
        op = n.op
        if op == "LEN":
            if not _is_map(n.x.type):
                return None
            return f"maplen({self.expr(n.x)})"
        if op == "INDEXMAP":
            mt = self.map_type(n.x.type, n)
            return f"mapget({mt}, {self.expr(n.x)}, {self.map_read_key(n.index)})"
        if op == "MAKEMAP":
            return self.make_map(n, n.type, n.len)
        if op == "MAPLIT":
            return self.map_lit(n)
        return None

    def map_read_key(self, k: Node) -> str:
        """A lookup's key: ``string(b)`` reads the bytes in place (OBYTES2STRTMP)."""
        if k.op == "BYTES2STR":
            return f"{self.expr(k.x)}[:2]"
        return self.expr(k)

    def make_map(self, n: Node, t: T.Type, hint: Optional[Node], const_hint: Optional[int] = None) -> str:
        """``walkMakeMap``: the map, in a frame temporary (a root until the statement ends)."""
        if self.static:
            self.unsupported(n, "a map in a package-level initialiser the linker makes")
        mt = self.map_type(t, n)
        if const_hint is None:
            const_hint = 0 if hint is None else (hint.val if hint.op == "LITERAL" and isinstance(hint.val, int)
                                                 else None)
        h = str(const_hint) if const_hint is not None else self.expr(hint)
        small = const_hint is not None and const_hint <= M.GROUP_SLOTS
        if id(n) in self.pg.heap_allocs:
            code = "makemap_small(g)" if small else f"makemap(g, {mt}, {h}, 0)"
        else:
            hdr = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(M.MAP_RTYPE)}, {M.MAP_RTYPE.size})"
            if const_hint is None or small:
                _, key_rt, elem_rt = self.pg._map_types[(id(t.u.key), id(t.u.elem_type))]
                grt = M.group_rtype(key_rt, elem_rt)
                grp = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(grt)}, {grt.size})"
                code = f"makemap_stack(g, {mt}, {h}, {hdr}, {grp}, {small})"
            else:
                code = f"makemap(g, {mt}, {h}, {hdr})"
        return self.spill(code)

    def map_lit(self, n: Node) -> str:
        """``maplit``: make(map, len(entries)), then each entry assigned, constant ones first."""
        elems = n.list or []
        mt = self.map_type(n.type, n)
        static = [e for e in elems if _static_lit(e.key) and _static_lit(e.value)]
        dynamic = [e for e in elems if not (_static_lit(e.key) and _static_lit(e.value))]
        m = self.make_map(n, n.type, None, len(elems))
        if not elems:
            return m
        slot = self.temp()
        pairs = []
        for e in static + dynamic:
            pairs.append(f"({self.arg_val(e.key)}, {self.arg_val(e.value)})")
        return f"maplit(g, {mt}, f, OFF_{self.fn_id}_{slot}, {m}, ({''.join(p + ', ' for p in pairs)}))"

    # -- statements -----------------------------------------------------------------------------

    def map_stmt(self, n: Node, ind: int) -> bool:
        """Generate *n* if it is a map statement; False if it is not one."""
        op = n.op
        if op == "DELETE":
            m, k = n.args
            self.emit(ind, f"mapdelete(g, {self.map_type(m.type, n)}, {self.expr(m)}, {self.expr(k)})")
            return True
        if op == "CLEAR":
            if not _is_map(n.x.type):
                return False
            self.emit(ind, f"mapclear(g, {self.map_type(n.x.type, n)}, {self.expr(n.x)})")
            return True
        if op == "RANGE":
            if not _is_map(n.x.type):
                return False
            self.map_range(n, ind)
            return True
        if op == "ASOP":
            if n.x.op != "INDEXMAP":
                return False
            self.map_asop(n, ind)
            return True
        if op == "AS2MAPR":
            self.comma_ok(n.rhs[0], n.lhs, ind)
            return True
        if op == "AS2":
            got = _comma_ok_shape(n)
            if got is None:
                return False
            self.comma_ok(got, n.lhs, ind)
            return True
        return False

    def comma_ok(self, x: Node, lhs: list, ind: int) -> None:
        """``v, ok = m[k]``."""
        mt = self.map_type(x.x.type, x)
        r = self.pytmp()
        self.emit(ind, f"{r} = mapget2({mt}, {self.expr(x.x)}, {self.map_read_key(x.index)})")
        for i, dst in enumerate(lhs):
            if isinstance(dst, Name) and dst.blank:
                continue
            self.assign(dst, f"{r}[{i}]", ind)

    def map_assign(self, lhs: Node, val: str, ind: int) -> None:
        """``m[k] = v``: the key, the value, then mapassign and the element stored through its address."""
        mt = self.map_type(lhs.x.type, lhs)
        k = self.pytmp()
        self.emit(ind, f"{k} = {self.arg_val(lhs.index)}")
        v = self.pytmp()
        self.emit(ind, f"{v} = {val}")
        a = self.pytmp()
        self.emit(ind, f"{a} = mapassign(g, {mt}, {self.expr(lhs.x)}, {k})")
        self.emit(ind, self.pg.layouts.store(a, self.check_type(lhs.type), v, True))

    def map_asop(self, n: Node, ind: int) -> None:
        x = n.x
        et = self.check_type(x.type)
        mt = self.map_type(x.x.type, x)
        k = self.pytmp()
        self.emit(ind, f"{k} = {self.arg_val(x.index)}")
        y = self.pytmp()
        self.emit(ind, f"{y} = {self.expr(n.y)}")
        m = self.pytmp()
        self.emit(ind, f"{m} = {self.expr(x.x)}")
        lay = self.pg.layouts
        a = self.pytmp()
        if et.u.kind == "string":
            if n.asop != "ADD":
                self.unsupported(n, f"the {n.asop} assignment operator on strings")
            self.emit(ind, f"{a} = mapassign(g, {mt}, {m}, {k})")
            self.emit(ind, lay.store(a, et, f"concat(g, 0, ({lay.load(a, et)}, {y}))", True))
            return
        if n.asop in ("DIV", "MOD"):
            cur = self.pytmp()
            self.emit(ind, f"{cur} = mapget({mt}, {m}, {k})")
            nv = self.pytmp()
            self.emit(ind, f"{nv} = {self.expr(Node(n.asop, n.pos, et, x=_Raw(cur, et), y=_Raw(y, n.y.type)))}")
            self.emit(ind, f"{a} = mapassign(g, {mt}, {m}, {k})")
            self.emit(ind, lay.store(a, et, nv, True))
            return
        self.emit(ind, f"{a} = mapassign(g, {mt}, {m}, {k})")
        cur = lay.load(a, et)
        self.emit(ind, lay.store(a, et, self.expr(Node(n.asop, n.pos, et, x=_Raw(cur, et), y=_Raw(y, n.y.type))),
                                 True))

    def map_range(self, n: Node, ind: int) -> None:
        xt = n.x.type
        mt = self.map_type(xt, n)
        key = n.key if n.key is not None and not (isinstance(n.key, Name) and n.key.blank) else None
        val = n.value if n.value is not None and not (isinstance(n.value, Name) and n.value.blank) else None
        if _is_map_clear(n, key, val):
            self.emit(ind, f"mapclear(g, {mt}, {self.expr(n.x)})")
            return
        it = self.add_field(M.ITER_RTYPE)
        ka, ea = self.pytmp(), self.pytmp()
        start = len(self.lines)
        self.emit(ind, f"for {ka}, {ea} in mapiter({mt}, {self.expr(n.x)}, f, OFF_{self.fn_id}_{it}):")
        lay = self.pg.layouts
        if key is not None:
            self.assign(key, lay.load(ka, self.check_type(xt.u.key)), ind + 1)
        if val is not None:
            self.assign(val, lay.load(ea, self.check_type(xt.u.elem_type)), ind + 1)
        ct, self.live_temps = self.live_temps, []
        target = self.push_target("loop", n.label, [], ind)
        target.start = start
        self.branch(n.body or [], ind + 1, [])
        self.pop_target(target, ind)
        # the iterator is dead after the loop: cleared with the statement's temporaries
        self.agg_temps[it] = M.ITER_RTYPE.size
        self.live_temps = ct + [it]


def _static_lit(x: Node) -> bool:
    """``isStaticCompositeLiteral``: a constant, or a struct/array literal of constants."""
    op = x.op
    if op == "LITERAL":
        return True
    if op in ("STRUCTLIT", "ARRAYLIT"):
        return all(_static_lit(e.value if e.op in ("KEY", "STRUCTKEY") else e) for e in x.list or [])
    if op in ("CONVNOP", "CONV") and x.x.op == "LITERAL":
        return True
    return False


def _comma_ok_shape(n: Node) -> Optional[Node]:
    """The ``m[k]`` of ``v, ok = m[k]`` as the front end lowers it (``AS2`` of two temporaries assigned
    by an ``AS2MAPR`` in the first one's init), or None."""
    rhs = n.rhs or []
    if len(rhs) != 2:
        return None
    v0 = rhs[0]
    inits = v0.init or []
    if len(inits) != 1 or inits[0].op != "AS2MAPR":
        return None
    st = inits[0]
    t0, t1 = st.lhs
    inner = v0.x if v0.op == "CONVNOP" else v0
    if inner is not t0 or rhs[1] is not t1:
        return None
    return st.rhs[0]


def _is_map_clear(n: Node, key, val) -> bool:
    """``for k := range m { delete(m, k) }`` (walk's isMapClear): the map expression is a variable."""
    if val is not None or key is None or not getattr(n, "def_", False) or not isinstance(n.x, Name):
        return False
    body = n.body or []
    if len(body) != 1 or body[0].op != "DELETE":
        return False
    m, k = body[0].args
    return (isinstance(m, Name) and m.canonical() is n.x.canonical() and isinstance(k, Name)
            and k.canonical() is key.canonical())


__all__ = ["MapGen", "MAP_EXPR_OPS", "MAP_STMT_OPS"]
