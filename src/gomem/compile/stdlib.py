"""The standard library, as far as gomem's escape analysis knows it.

:mod:`gomem.compile._stdlib_data` holds, per package, Go-syntax declaration
stubs (types with their size/alignment/pointer layout, functions and methods
with their signatures, constants, variables) and, per function parameter, the
escape tag the real compiler computed when it compiled that package (see
:mod:`gomem.compile.gen_stdlib`).  A call from the analysed program to such a
function uses the tag exactly as the compiler uses the export data's tag.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Optional

from . import consts as C
from . import ir
from . import syntax as S
from . import types as T
from ._stdlib_fields import overlay
from .check_base import CheckError, Obj, Package, Resolver


def _data():
    from ._stdlib_data import PACKAGES
    return PACKAGES


def go_unquote(s: str) -> str:
    """The value of a Go string literal (interpreted or raw)."""
    if s.startswith("`"):
        return s[1:-1].replace("\r", "")
    body = s[1:-1]
    out = bytearray()
    i = 0
    b = body.encode("utf-8", "surrogateescape")
    while i < len(b):
        c = b[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        i += 1
        e = chr(b[i])
        i += 1
        simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
        if e in simple:
            out.append(simple[e])
        elif e == "x":
            out.append(int(b[i:i + 2], 16))
            i += 2
        elif e in "01234567":
            out.append(int(b[i - 1:i + 2], 8))
            i += 2
        elif e == "u":
            out += chr(int(b[i:i + 4], 16)).encode("utf-8", "surrogatepass")
            i += 4
        elif e == "U":
            out += chr(int(b[i:i + 8], 16)).encode("utf-8", "surrogatepass")
            i += 8
    return out.decode("utf-8", "surrogateescape")


def rune_value(s: str) -> int:
    body = s[1:-1]
    if not body.startswith("\\"):
        return ord(body)
    v = go_unquote('"' + body + '"')
    if body[1] in "x01234567" and len(v) == 1:
        return ord(v) if ord(v) < 0xDC80 or ord(v) > 0xDCFF else ord(v) - 0xDC00
    b = v.encode("utf-8", "surrogateescape")
    if len(b) == 1:
        return b[0]
    return ord(v)


def int_value(s: str) -> int:
    s = s.replace("_", "")
    low = s.lower()
    if low.startswith("0x"):
        return int(s[2:], 16)
    if low.startswith("0b"):
        return int(s[2:], 2)
    if low.startswith("0o"):
        return int(s[2:], 8)
    if len(s) > 1 and s[0] == "0" and s.isdigit():
        return int(s, 8)
    return int(s)


def float_value(s: str) -> Fraction:
    s = s.replace("_", "")
    if s.lower().startswith("0x"):
        return Fraction(float.fromhex(s))
    return Fraction(s)


_LAYOUT = re.compile(r"^//gomem:layout (\d+) (\d+) (\w+)\ntype (\w+) ", re.M)
_GENERIC = re.compile(r"^//gomem:generic (\w+)", re.M)


class StubResolver(Resolver):
    def __init__(self, loader: "Loader", pkg: Package):
        super().__init__(loader)
        self.pkg = pkg

    def resolve_obj(self, o: Obj):
        self.loader.resolve(self.pkg, o)

    def const_value(self, n, scope):
        return const_literal(n)


def const_literal(n):
    t = n.type
    if t == "int_literal":
        return int_value(S.text(n)), "int"
    if t == "float_literal":
        return float_value(S.text(n)), "float"
    if t in ("interpreted_string_literal", "raw_string_literal"):
        return go_unquote(S.text(n)), "string"
    if t == "rune_literal":
        return rune_value(S.text(n)), "rune"
    if t == "true":
        return True, "bool"
    if t == "false":
        return False, "bool"
    if t == "unary_expression":
        v, k = const_literal(n.child_by_field_name("operand"))
        op = S.text(n)[0]
        return (-v if op == "-" else v), k
    if t == "parenthesized_expression":
        return const_literal(S.named_children(n)[0])
    if t == "binary_expression":
        a, ka = const_literal(n.child_by_field_name("left"))
        b, kb = const_literal(n.child_by_field_name("right"))
        op = S.text(n.child_by_field_name("operator"))
        opn = {"+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "<<": "LSH", ">>": "RSH", "|": "OR", "&": "AND"}[op]
        return C.binop(opn, a, ka, b, kb, int_div=(ka in ("int", "rune") and kb in ("int", "rune")))
    if t == "imaginary_literal":
        txt = S.text(n)[:-1]
        return complex(0, float(float_value(txt))), "complex"
    raise CheckError(S.start(n), f"unsupported constant in stub: {S.text(n)}")


class Loader:
    """Loads stub packages on demand (shared by all analyses in the process)."""

    def __init__(self):
        self.pkgs: dict[str, Package] = {}
        self.info: dict[int, tuple] = {}  # id(Obj) -> (pkg, decl node, extra)

    def known(self, path: str) -> bool:
        return path in _data()

    def load(self, path: str) -> Optional[Package]:
        if path in self.pkgs:
            return self.pkgs[path]
        if path == "unsafe":
            return self.unsafe()
        d = _data().get(path)
        if d is None:
            return None
        pk = Package(path, d["name"], False)
        pk.complete = bool(d.get("full"))
        self.pkgs[path] = pk
        stub = overlay(path, d["stub"])
        tree = S.parse(stub.encode())
        scope = pk.scope
        pk.resolver = StubResolver(self, pk)
        pk.tags = d["tags"]
        layouts = {m[4]: (int(m[1]), int(m[2]), m[3] == "true")
                   for m in _LAYOUT.finditer(stub)}
        pk.generic.update(m[1] for m in _GENERIC.finditer(d["stub"]))
        methods = []
        for node in S.named_children(tree.root_node):
            t = node.type
            if t == "import_declaration":
                for spec in S.named_children(node):
                    if spec.type == "import_spec":
                        ipath = go_unquote(S.text(spec.child_by_field_name("path")))
                        nm = S.text(spec.child_by_field_name("name"))
                        scope.names[nm] = Obj("pkg", nm, pkg=_LazyPkg(self, ipath))
            elif t == "type_declaration":
                for spec in S.named_children(node):
                    if spec.type not in ("type_spec", "type_alias"):
                        continue
                    name = S.text(spec.child_by_field_name("name"))
                    if spec.type == "type_alias":
                        o = Obj("type", name)
                        o.decl = ("alias", spec)
                    else:
                        nt = T.Named(name, path, pk.name, False)
                        nt.layout = layouts.get(name)
                        o = Obj("type", name, type=nt)
                        o.decl = ("named", spec)
                    scope.names[name] = o
            elif t == "const_declaration":
                for spec in S.named_children(node):
                    if spec.type == "const_spec":
                        name = S.text(S.named_field(spec, "name")[0])
                        o = Obj("const", name)
                        o.decl = ("const", spec)
                        scope.names[name] = o
            elif t == "var_declaration":
                for spec in S.named_children(node):
                    if spec.type == "var_spec":
                        name = S.text(S.named_field(spec, "name")[0])
                        nn = ir.Name(name, (0, 0), None, ir.PEXTERN)
                        nn.pkgname = pk.name
                        o = Obj("var", name, node=nn)
                        o.decl = ("var", spec)
                        scope.names[name] = o
            elif t == "function_declaration":
                name = S.text(node.child_by_field_name("name"))
                o = Obj("func", name)
                o.decl = ("func", node)
                if node.child_by_field_name("type_parameters") is not None:
                    # a generic function: typed at each call, its parameters' tags unknown
                    o.val = "generic"
                    o.state = 2
                    o.pkg = pk
                scope.names[name] = o
            elif t == "method_declaration":
                methods.append(node)
        pk.pending_methods = methods
        pk.methods_done = False
        return pk

    def unsafe(self) -> Package:
        """Package unsafe: the Pointer type and the compile-time functions (builtins to the checker)."""
        pk = Package("unsafe", "unsafe", False)
        pk.complete = True
        pk.methods_done = True
        o = Obj("type", "Pointer", type=T.UNSAFE_POINTER)
        o.state = 2
        pk.scope.names["Pointer"] = o
        for b in ("Sizeof", "Alignof", "Offsetof", "Add", "Slice", "String", "StringData", "SliceData"):
            bo = Obj("builtin", "unsafe." + b)
            bo.state = 2
            pk.scope.names[b] = bo
        self.pkgs["unsafe"] = pk
        return pk

    def resolve(self, pk: Package, o: Obj):
        if o.state == 2 or o.decl is None or not isinstance(o.decl, tuple):
            return
        if o.state == 1:
            return
        o.state = 1
        kind, spec = o.decl
        r: StubResolver = pk.resolver
        if kind == "named":
            o.type.under = None
            u = r.type_of(spec.child_by_field_name("type"), pk.scope)
            o.type.under = u.u if isinstance(u, T.Named) else u
            self.methods(pk)
        elif kind == "alias":
            o.type = r.type_of(spec.child_by_field_name("type"), pk.scope)
        elif kind == "const":
            tn = spec.child_by_field_name("type")
            v, k = const_literal(S.named_children(spec.child_by_field_name("value"))[0])
            if tn is not None:
                t = r.type_of(tn, pk.scope)
                v, k = C.represent(v, k, t)
                o.type = t
            else:
                o.type = C.untyped_type(k)
            o.val, o.ckind = v, k
        elif kind == "var":
            o.type = r.type_of(spec.child_by_field_name("type"), pk.scope)
            o.node.type = o.type
        elif kind == "func":
            sig, _, _ = r.signature(spec.child_by_field_name("parameters"), spec.child_by_field_name("result"), pk.scope)
            name = o.name
            fn = ir.Func(name, (0, 0), sig)
            fn.stub = True
            fn.pkg = pk.path
            fn.has_body = False
            fn.esc = 3
            fn.tags = pk.tags.get(name)
            nn = ir.Name(name, (0, 0), sig, ir.PFUNC)
            nn.pkgname = pk.name
            nn.fn = fn
            fn.nname = nn
            o.node = nn
            o.type = sig
        o.state = 2

    def methods(self, pk: Package):
        if pk.methods_done:
            return
        pk.methods_done = True
        r: StubResolver = pk.resolver
        for node in pk.pending_methods:
            recv = node.child_by_field_name("receiver")
            pd = [c for c in S.named_children(recv) if c.type == "parameter_declaration"][0]
            tn = pd.child_by_field_name("type")
            ptr = tn.type == "pointer_type"
            base = S.named_children(tn)[0] if ptr else tn
            tname = S.text(base)
            to = pk.scope.names.get(tname)
            if to is None:
                continue
            nt = to.type
            name = S.text(node.child_by_field_name("name"))
            fn = ir.Func(name, (0, 0), T.Signature([], []))
            fn.stub = True
            fn.pkg = pk.path
            fn.has_body = False
            fn.esc = 3
            fn.ptr_recv = ptr
            fn.recv_type = T.Pointer(nt) if ptr else nt
            key = ("*" if ptr else "") + tname + "." + name
            fn.tags = pk.tags.get(key)
            fn.lazy = (r, node, pk)
            nn = ir.Name(name, (0, 0), None, ir.PFUNC)
            nn.fn = fn
            fn.nname = nn
            nt.methods[name] = fn


class _LazyPkg:
    """An imported package of a stub, loaded when first used."""

    def __init__(self, loader: Loader, path: str):
        self._loader = loader
        self._path = path
        self._pkg = None

    def _get(self):
        if self._pkg is None:
            self._pkg = self._loader.load(self._path)
            if self._pkg is None:
                raise CheckError((0, 0), f"stub package {self._path} missing")
        return self._pkg

    def __getattr__(self, item):
        return getattr(self._get(), item)


def method_sig(fn: ir.Func) -> T.Signature:
    """The signature of a stub method (resolved lazily)."""
    lazy = getattr(fn, "lazy", None)
    if lazy is not None:
        r, node, pk = lazy
        sig, _, _ = r.signature(node.child_by_field_name("parameters"), node.child_by_field_name("result"), pk.scope)
        sig.recv = T.Param("", fn.recv_type)
        fn.sig = sig
        fn.nname.type = sig
        fn.lazy = None
    return fn.sig


LOADER = Loader()
