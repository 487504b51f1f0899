"""Shared pieces of the checker: objects, scopes, packages, type-expression resolution.

See :mod:`gomem.compile.check` for the overview.
"""

from __future__ import annotations

from typing import Optional

from ..errors import GomemError
from . import ir
from . import syntax as S
from . import types as T
from .ir import Func, Name, Node

BUILTINS = {"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min",
            "new", "panic", "print", "println", "real", "recover"}


class Unsupported(GomemError):
    """A construct gomem's front end does not model (the program may well be valid Go)."""

    def __init__(self, pos, reason: str):
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


class CheckError(GomemError):
    """A type error in the program (the real compiler would reject it)."""

    def __init__(self, pos, msg: str):
        super().__init__(msg)
        self.pos = pos
        self.msg = msg


class Obj:
    __slots__ = ("kind", "name", "type", "val", "ckind", "node", "pkg", "decl", "state", "pos", "iota", "owner")

    def __init__(self, kind: str, name: str, type=None, val=None, ckind=None, node=None, pkg=None, decl=None, pos=None):
        self.kind = kind  # var const type func pkg builtin nil
        self.name = name
        self.type = type
        self.val = val
        self.ckind = ckind
        self.node = node
        self.pkg = pkg
        self.decl = decl
        self.state = 0  # lazy package-level resolution: 0 todo, 1 in progress, 2 done
        self.pos = pos
        self.iota = None
        self.owner = None

    def __repr__(self):
        return f"<Obj {self.kind} {self.name}>"


class Scope:
    def __init__(self, parent: Optional["Scope"] = None, func: Optional[Func] = None):
        self.parent = parent
        self.names: dict[str, Obj] = {}
        self.func = func

    def lookup(self, name: str) -> Optional[Obj]:
        s = self
        while s is not None:
            o = s.names.get(name)
            if o is not None:
                return o
            s = s.parent
        return None


_ITER_TYPES: dict[str, T.Named] = {}


def iter_type(name: str, targs: list) -> T.Named:
    """iter.Seq[V] / iter.Seq2[K, V]: func(yield func(V) bool) / func(yield func(K, V) bool)."""
    key = f"{name}[{','.join(T.fmt_type(t) for t in targs)}]"
    nt = _ITER_TYPES.get(key)
    if nt is None:
        nt = T.Named(key, "iter", "iter", False)
        nt.under = T.Signature([T.Param("yield", T.Signature([T.Param("", t) for t in targs], [T.Param("", T.BOOL)]))], [])
        origin = _ITER_TYPES.get(name)
        if origin is None:
            origin = _ITER_TYPES[name] = T.Named(name, "iter", "iter", False)
            origin.templates = {}
        nt.origin = origin  # so that type inference can match iter.Seq[E] against iter.Seq[int]
        nt.targs = list(targs)
        _ITER_TYPES[key] = nt
    return nt


def _type_arg(a):
    if a.type == "type_elem":
        kids = S.named_children(a)
        if len(kids) == 1:
            return kids[0]
    return a


def _universe() -> Scope:
    u = Scope()
    for name, t in T.PREDECLARED_TYPES.items():
        u.names[name] = Obj("type", name, type=t)
    u.names["any"] = Obj("type", "any", type=T.ANY)
    u.names["comparable"] = Obj("type", "comparable", type=T.Interface([]))
    for b in BUILTINS:
        u.names[b] = Obj("builtin", b)
    u.names["true"] = Obj("const", "true", type=T.UNTYPED_BOOL, val=True, ckind="bool")
    u.names["false"] = Obj("const", "false", type=T.UNTYPED_BOOL, val=False, ckind="bool")
    u.names["nil"] = Obj("nil", "nil", type=T.UNTYPED_NIL)
    u.names["iota"] = Obj("const", "iota", type=T.UNTYPED_INT, val=0, ckind="int")
    for o in u.names.values():
        o.state = 2
    return u


UNIVERSE = _universe()


class Package:
    def __init__(self, path: str, name: str, local: bool):
        self.path = path
        self.name = name
        self.local = local
        self.scope = Scope(UNIVERSE)
        self.generic: set[str] = set()
        self.complete = True


def lit(pos, val, kind: str, typ: T.Type) -> Node:
    n = Node("LITERAL", pos, typ, val=val, extra="int" if kind == "rune" else kind)
    n.spos = pos
    return n


def is_const(n: Node) -> bool:
    return n is not None and n.op == "LITERAL"


def const_kind_of(n: Node) -> str:
    if n.type is not None and n.type.kind == "untyped rune":
        return "rune"
    return n.extra or ir.const_kind(n.val)


# =====================================================================================================
# Type-expression resolution shared by the analysed package and the standard-library stubs.
# =====================================================================================================


class Resolver:
    pkg: Package

    def __init__(self, loader):
        self.loader = loader

    def err(self, node, msg):
        raise CheckError(S.start(node) if node is not None else (0, 0), msg)

    def unsupported(self, node, msg):
        raise Unsupported(S.start(node) if node is not None else (0, 0), msg)

    def lookup_ident(self, scope: Scope, name: str, node) -> Obj:
        o = scope.lookup(name)
        if o is None:
            self.err(node, f"undefined: {name}")
        return o

    def resolve_obj(self, o: Obj):
        """Complete a lazily declared package-level object."""

    def type_of(self, n, scope: Scope) -> T.Type:
        t = n.type
        if t == "type_identifier" or t == "identifier":
            name = S.text(n)
            o = self.lookup_ident(scope, name, n)
            if o.kind != "type":
                self.err(n, f"{name} is not a type")
            self.resolve_obj(o)
            if isinstance(o.type, T.Named) and o.type.generic:
                self.err(n, f"cannot use generic type {name} without instantiation")
            return o.type
        if t == "qualified_type" or t == "selector_expression":
            pk = n.child_by_field_name("package") or n.child_by_field_name("operand")
            nm = n.child_by_field_name("name") or n.child_by_field_name("field")
            po = self.lookup_ident(scope, S.text(pk), pk)
            if po.kind != "pkg":
                self.err(n, f"{S.text(pk)} is not a package")
            if getattr(po.pkg, "unknown", False) or po.pkg.path == "C":
                self.unsupported(n, f'package "{po.pkg.path}" is not described in gomem\'s standard-library stubs')
            o = po.pkg.scope.names.get(S.text(nm))
            if o is None:
                if S.text(nm) in po.pkg.generic:
                    self.unsupported(n, f"generic type {S.text(pk)}.{S.text(nm)}")
                self.unsupported(n, f"{po.pkg.path}.{S.text(nm)} is not described in gomem's standard-library stubs")
            self.loader.resolve(po.pkg, o)
            if o.kind != "type":
                self.err(n, f"{S.text(n)} is not a type")
            return o.type
        if t == "pointer_type":
            return T.Pointer(self.type_of(S.named_children(n)[0], scope))
        if t == "slice_type":
            return T.Slice(self.type_of(n.child_by_field_name("element"), scope))
        if t == "array_type":
            ln = self.const_int(n.child_by_field_name("length"), scope)
            return T.Array(self.type_of(n.child_by_field_name("element"), scope), ln)
        if t == "implicit_length_array_type":
            return T.Array(self.type_of(n.child_by_field_name("element"), scope), -1)
        if t == "map_type":
            return T.Map(self.type_of(n.child_by_field_name("key"), scope), self.type_of(n.child_by_field_name("value"), scope))
        if t == "channel_type":
            toks = [c.type for c in n.children if not c.is_named]
            d = "both"
            if toks and toks[0] == "<-":
                d = "recv"
            elif "<-" in toks:
                d = "send"
            return T.Chan(self.type_of(n.child_by_field_name("value"), scope), d)
        if t == "function_type":
            return self.signature(n.child_by_field_name("parameters"), n.child_by_field_name("result"), scope)[0]
        if t == "struct_type":
            fields = []
            fl = S.named_children(n)[0] if S.named_children(n) else None
            for fd in (S.named_children(fl) if fl is not None else []):
                if fd.type != "field_declaration":
                    continue
                ftn = fd.child_by_field_name("type")
                ft = self.type_of(ftn, scope)
                names = [S.text(c) for c in S.named_field(fd, "name")]
                if not names and any(not c.is_named and c.type == "*" for c in fd.children):
                    ft = T.Pointer(ft)  # an embedded *T: the grammar keeps the star as a token of the field
                tagn = fd.child_by_field_name("tag")
                tag = None
                if tagn is not None:
                    from .stdlib import go_unquote
                    tag = go_unquote(S.text(tagn))
                if names:
                    for nm in names:
                        fields.append(T.Field(nm, ft, tag=tag))
                else:
                    base = ft.elem_type if isinstance(ft, T.Pointer) else ft
                    fname = base.name.split("[")[0] if isinstance(base, (T.Named, T.Basic)) else "?"
                    if isinstance(base, T.AnyType):
                        fname = "any"
                    fields.append(T.Field(fname, ft, embedded=True, tag=tag))
            return T.Struct(fields)
        if t == "interface_type":
            methods, embeds = [], []
            typeset = False
            for el in S.named_children(n):
                if el.type == "method_elem":
                    sig, _, _ = self.signature(el.child_by_field_name("parameters"), el.child_by_field_name("result"), scope)
                    methods.append(T.IMethod(S.text(el.child_by_field_name("name")), sig))
                elif el.type == "type_elem":
                    kids = S.named_children(el)
                    et = self.type_of(kids[0], scope) if len(kids) == 1 and kids[0].type != "negated_type" else None
                    if et is not None and et.is_interface():
                        embeds.append(et)
                    else:
                        typeset = True  # a constraint's type set (~int | ~float64): no methods
                else:
                    self.unsupported(el, "interface element " + el.type)
            it = T.Interface(methods, embeds)
            it.typeset = typeset
            return it
        if t == "parenthesized_type" or t == "parenthesized_expression":
            return self.type_of(S.named_children(n)[0], scope)
        if t == "generic_type":
            if hasattr(self, "generic_type_ref"):
                return self.generic_type_ref(n, scope)
            base = n.child_by_field_name("type")
            if base.type == "type_identifier" and self.pkg.path == "iter" and S.text(base) in ("Seq", "Seq2"):
                return iter_type(S.text(base), [self.type_of(_type_arg(a), scope)
                                                for a in S.named_children(n.child_by_field_name("type_arguments"))])
            if base.type == "qualified_type":
                pk = base.child_by_field_name("package")
                po = scope.lookup(S.text(pk)) if pk is not None else None
                if po is not None and po.kind == "pkg" and po.pkg.path == "iter":
                    nm = S.text(base.child_by_field_name("name"))
                    if nm in ("Seq", "Seq2"):
                        return iter_type(nm, [self.type_of(_type_arg(a), scope)
                                              for a in S.named_children(n.child_by_field_name("type_arguments"))])
            self.unsupported(n, f"generic type {S.text(n)}")
        if t == "unary_expression" and S.text(n).startswith("*"):
            return T.Pointer(self.type_of(n.child_by_field_name("operand"), scope))
        if t == "negated_type":
            self.unsupported(n, "type sets")
        self.err(n, f"not a type: {S.text(n)}")

    def signature(self, params, result, scope: Scope, recv=None):
        """(Signature, [(name, type, pos)] for params, same for results)."""
        plist = []
        variadic = False
        if params is not None:
            for pd in S.named_children(params):
                if pd.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                    continue
                pt = self.type_of(pd.child_by_field_name("type"), scope)
                if pd.type == "variadic_parameter_declaration":
                    pt = T.Slice(pt)
                    variadic = True
                names = S.named_field(pd, "name")
                if names:
                    for nm in names:
                        plist.append((S.text(nm), pt, S.start(nm)))
                else:
                    plist.append(("", pt, S.start(pd)))
        rlist = []
        if result is not None:
            if result.type == "parameter_list":
                for pd in S.named_children(result):
                    if pd.type != "parameter_declaration":
                        continue
                    pt = self.type_of(pd.child_by_field_name("type"), scope)
                    names = S.named_field(pd, "name")
                    if names:
                        for nm in names:
                            rlist.append((S.text(nm), pt, S.start(nm)))
                    else:
                        rlist.append(("", pt, S.start(pd)))
            else:
                rlist.append(("", self.type_of(result, scope), S.start(result)))
        sig = T.Signature([T.Param(a, b, c) for a, b, c in plist], [T.Param(a, b, c) for a, b, c in rlist], variadic)
        return sig, plist, rlist

    def const_int(self, n, scope: Scope) -> int:
        v = self.const_value(n, scope)
        if v is None:
            self.err(n, "array length must be constant")
        return int(v[0])

    def const_value(self, n, scope: Scope):
        """Evaluate a constant expression (used for array lengths and in stubs): (value, kind) or None."""
        raise NotImplementedError




class FnState:
    def __init__(self, fn: Func, scope: Scope, parent: Optional["FnState"] = None):
        self.fn = fn
        self.scope = scope
        self.parent = parent
        self.cv_by_canon: dict[int, Name] = {}


class Program:
    def __init__(self):
        self.funcs: list[Func] = []  # in the compiler's Target.Funcs order
        self.notes: list[tuple] = []  # (pos, message) printed by passes before escape analysis (devirtualizing)
        self.unsupported: list[tuple] = []  # (pos, func name, reason)
        self.filename = ""


def _walk_type(n, typ: str):
    out = []
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type == typ:
            out.append(x)
            continue
        stack.extend(reversed(x.named_children))
    return out


