"""Generic functions and types, instantiated by shape as the compiler does (mixin of the Checker).

The compiler compiles one copy of a generic function per *shape* of its type
arguments (``Map[go.shape.int,go.shape.string]``): a type argument's shape is
its underlying type, every pointer type sharing ``*uint8``.  The copy takes a
dictionary as an extra first parameter (after the receiver), calls pass
``&.dict.F[int]``, and calls of a type parameter's methods go through the
dictionary (``(func(go.shape.int) string)(&.dict[0])(v)``), so to escape
analysis they are calls of an unknown function.  Escape analysis then runs on
each copy like on any function; its allocations are reported (with shape
types), its parameters are not (the copies are compiler-generated).
"""

from __future__ import annotations

from typing import Optional

from . import ir
from . import syntax as S
from . import types as T
from .check_base import CheckError, Obj, Scope, Unsupported
from .ir import Func, Name, Node

_SHAPES: dict[str, T.Named] = {}


def shape_of(t: T.Type) -> T.Named:
    """The shape type of a type argument (go.shape.int, go.shape.*uint8, ...)."""
    if isinstance(t, T.Named) and getattr(t, "is_shape", False):
        return t
    u = t.u
    if isinstance(u, T.Pointer):
        key, under = "*uint8", T.Pointer(T.UINT8)
    else:
        key, under = T.fmt_type(u, qualify=True), u
    sh = T.Named("shape." + key, "go.shape", "go", False)
    sh.under = under
    sh.is_shape = True
    return sh


class GenericInfo:
    def __init__(self, decl, tparams, stub_pkg=None):
        self.decl = decl
        self.tparams = tparams  # [(name, constraint node)]
        self.instances: dict[tuple, Func] = {}
        self.stub_pkg = stub_pkg  # for a standard-library generic function: its package


def core_term(cons):
    """The single type term of a constraint (~[]E, []E, interface{ ~map[K]V }), or None."""
    if cons is None:
        return None
    n = cons
    while True:
        kids = S.named_children(n)
        if n.type in ("type_constraint", "type_elem") and len(kids) == 1:
            n = kids[0]
        elif n.type == "negated_type" and len(kids) == 1:
            n = kids[0]
        elif n.type == "interface_type" and len(kids) == 1 and kids[0].type == "type_elem":
            n = kids[0]
        else:
            break
    if n.type in ("type_identifier", "qualified_type", "interface_type"):
        return None
    return n


def type_params(node) -> list:
    out = []
    if node is None:
        return out
    for pd in S.named_children(node):
        if pd.type != "type_parameter_declaration":
            continue
        cons = pd.child_by_field_name("type")
        for nm in S.named_field(pd, "name"):
            out.append((S.text(nm), cons))
    return out


class GenericMixin:
    # -- declarations ---------------------------------------------------------------------------

    def declare_generic_func(self, d):
        name = S.text(d.child_by_field_name("name"))
        o = Obj("func", name, decl=d, pos=S.start(d))
        o.state = 2
        o.val = "generic"
        self.generic_funcs[id(o)] = GenericInfo(d, type_params(d.child_by_field_name("type_parameters")))
        self.pkg.scope.names[name] = o
        return o

    def declare_generic_type(self, spec, scope: Scope, o: Obj):
        nt: T.Named = o.type
        nt.generic = True
        nt.tparams = type_params(spec.child_by_field_name("type_parameters"))
        nt.spec = spec
        nt.decl_scope = scope
        nt.templates = {}
        nt.instances = {}

    def declare_generic_method(self, d, base_name: str, ptr: bool, recv_tnames: list, rn: str, rpos):
        o = self.pkg.scope.names.get(base_name)
        if o is None or o.kind != "type" or not getattr(o.type, "generic", False):
            self.err(d, f"undefined: {base_name}")
        name = S.text(d.child_by_field_name("name"))
        o.type.templates[name] = (d, ptr, recv_tnames, rn, rpos)

    # -- shapes and bindings -------------------------------------------------------------------

    def bind_scope(self, parent: Scope, names_cons: list, types_: list, shaped: bool) -> Scope:
        sc = Scope(parent)
        for (name, cons), t in zip(names_cons, types_):
            if shaped:
                b = T.Named(t.name, t.pkg, t.pkgname, False)
                b.under = t.under
                b.is_shape = True
                b.constraint = self.constraint_of(cons, sc)
                t = b
            o = Obj("type", name, type=t)
            o.state = 2
            sc.names[name] = o
        return sc

    def constraint_of(self, cons, scope: Scope):
        if cons is None:
            return None
        try:
            kids = S.named_children(cons)
            node = kids[0] if cons.type == "type_constraint" and len(kids) == 1 else cons
            t = self.type_of(node, scope)
            return t.u if isinstance(t.u, T.Interface) else None
        except (Unsupported, CheckError):
            return None

    # -- generic types -----------------------------------------------------------------------------

    def instantiate_type(self, nt: T.Named, targs: list, node=None) -> T.Named:
        if len(targs) != len(nt.tparams):
            self.err(node, f"wrong number of type arguments for {nt.name}")
        key = tuple(T.fmt_type(t) for t in targs)
        inst = nt.instances.get(key)
        if inst is not None:
            return inst
        inst = T.Named(f"{nt.name}[{','.join(key)}]", "main", nt.pkgname, True)
        inst.origin = nt
        inst.targs = list(targs)
        nt.instances[key] = inst
        sc = Scope(nt.decl_scope)
        for (name, _c), t in zip(nt.tparams, targs):
            ob = Obj("type", name, type=t)
            ob.state = 2
            sc.names[name] = ob
        u = self.type_of(nt.spec.child_by_field_name("type"), sc)
        inst.under = u.u if isinstance(u, T.Named) else u
        return inst

    def generic_type_ref(self, n, scope: Scope) -> T.Type:
        """The type a generic_type node (Name[Args]) denotes."""
        base = n.child_by_field_name("type")
        if base.type == "qualified_type":
            return self.stdlib_generic_type(n, base, scope)
        o = scope.lookup(S.text(base))
        if o is None or o.kind != "type":
            self.err(n, f"undefined: {S.text(base)}")
        self.resolve_obj(o)
        nt = o.type
        if not getattr(nt, "generic", False):
            self.err(n, f"{S.text(base)} is not a generic type")
        targs = [self.type_of(self.type_arg_node(a), scope)
                 for a in S.named_children(n.child_by_field_name("type_arguments"))]
        return self.instantiate_type(nt, targs, n)

    def stdlib_generic_type(self, n, base, scope: Scope) -> T.Type:
        """iter.Seq[V] and iter.Seq2[K, V], the iterator function types, and sync/atomic's Pointer[T] (other generic
        library types are not modelled)."""
        pk = base.child_by_field_name("package")
        nm = S.text(base.child_by_field_name("name"))
        o = scope.lookup(S.text(pk)) if pk is not None else None
        targs = [self.type_of(self.type_arg_node(a), scope)
                 for a in S.named_children(n.child_by_field_name("type_arguments"))]
        if o is not None and o.kind == "pkg" and o.pkg.path == "sync/atomic" and nm == "Pointer" and len(targs) == 1:
            from .libatomic import pointer_type
            return pointer_type(targs[0])
        if o is None or o.kind != "pkg" or o.pkg.path != "iter" or nm not in ("Seq", "Seq2") or \
                len(targs) != (1 if nm == "Seq" else 2):
            self.unsupported(n, f"generic type {S.text(n)}")
        from .check_base import iter_type
        return iter_type(nm, targs)

    @staticmethod
    def type_arg_node(a):
        if a.type == "type_elem":
            kids = S.named_children(a)
            if len(kids) == 1:
                return kids[0]
        return a

    # -- generic functions --------------------------------------------------------------------------

    def info_resolver(self, info: GenericInfo):
        if info.stub_pkg is not None:
            return info.stub_pkg.resolver, info.stub_pkg.scope
        return self, self.scope_of(info.decl)

    def template_sig(self, info: GenericInfo, scope: Scope):
        r, base = self.info_resolver(info)
        sc = Scope(base)
        params = []
        for name, _c in info.tparams:
            tp = T.TypeParam(name)
            params.append(tp)
            ob = Obj("type", name, type=tp)
            ob.state = 2
            sc.names[name] = ob
        d = info.decl
        sig, _, _ = r.signature(d.child_by_field_name("parameters"), d.child_by_field_name("result"), sc)
        cores = {}
        for name, c in info.tparams:
            ct = core_term(c)
            if ct is not None:
                try:
                    cores[name] = r.type_of(ct, sc)
                except (Unsupported, CheckError):
                    pass
        self._cores = cores
        return sig, params

    def infer(self, info: GenericInfo, args: list, node) -> list:
        """Type arguments of a call, from the argument expressions (already typed IR nodes)."""
        sig, tparams = self.template_sig(info, self.info_resolver(info)[1])
        bind: dict[str, T.Type] = {}
        ptypes = [p.type for p in sig.params]
        if sig.variadic and ptypes:
            last = ptypes[-1].elem_type
            ptypes = ptypes[:-1] + [last] * max(0, len(args) - len(ptypes) + 1)
        for untyped_pass in (False, True):
            for pt, a in zip(ptypes, args):
                at = a.type
                if at is None or isinstance(at, T.Tuple):
                    continue
                if at.is_untyped() != untyped_pass:
                    continue
                if untyped_pass:
                    at = T.default_type(at)
                    if at.kind == "untyped nil":
                        continue
                unify(pt, at, bind)
        # core types of the constraints (S ~[]E with S = []string gives E = string)
        for _ in range(len(tparams)):
            for name, core in self._cores.items():
                if name in bind:
                    unify(core, bind[name].u if not isinstance(bind[name], T.TypeParam) else bind[name], bind)
        out = []
        for tp in tparams:
            t = bind.get(tp.name)
            if t is None:
                self.unsupported(node, f"cannot infer the type arguments of {S.text(info.decl.child_by_field_name('name'))}")
            out.append(t)
        return out

    def instantiate_func(self, o: Obj, targs: list, node) -> tuple:
        """(shaped instance Func, concrete signature, dictionary argument) for a call with type arguments."""
        info: GenericInfo = self.generic_info(o)
        if info.stub_pkg is not None:
            return self.instantiate_stub_func(o, info, targs, node)
        d = info.decl
        name = S.text(d.child_by_field_name("name"))
        if len(targs) != len(info.tparams):
            self.err(node, f"wrong number of type arguments for {name}")
        csc = self.bind_scope(self.scope_of(d), info.tparams, targs, shaped=False)
        csig, _, _ = self.signature(d.child_by_field_name("parameters"), d.child_by_field_name("result"), csc)
        shapes = [shape_of(t) for t in targs]
        key = tuple(s.name for s in shapes)
        fn = info.instances.get(key)
        if fn is None:
            ssc = self.bind_scope(self.scope_of(d), info.tparams, shapes, shaped=True)
            fn = self.make_func(d, name, None, scope=ssc)
            fn.name = f"{name}[{','.join('go.' + s.name for s in shapes)}]"
            fn.nname.sym = fn.name
            self.add_dict_param(fn)
            fn.body_scope = ssc
            info.instances[key] = fn
        dict_arg = self.dict_arg(f"{name}[{','.join(T.fmt_type(t, qualify=True) for t in targs)}]", node)
        return fn, csig, dict_arg

    def generic_info(self, o: Obj) -> GenericInfo:
        info = self.generic_funcs.get(id(o))
        if info is None:
            # a standard-library generic function
            node = o.decl[1]
            info = GenericInfo(node, type_params(node.child_by_field_name("type_parameters")), stub_pkg=o.pkg)
            self.generic_funcs[id(o)] = info
        return info

    def instantiate_stub_func(self, o: Obj, info: GenericInfo, targs: list, node) -> tuple:
        """A standard-library generic function: typed for the call; its tags unknown to gomem."""
        from .escape import UNKNOWN_LEAKS
        pk = info.stub_pkg
        d = info.decl
        name = S.text(d.child_by_field_name("name"))
        if len(targs) != len(info.tparams):
            self.err(node, f"wrong number of type arguments for {pk.name}.{name}")
        r, base = self.info_resolver(info)
        csc = self.bind_scope(base, info.tparams, targs, shaped=False)
        csig, _, _ = r.signature(d.child_by_field_name("parameters"), d.child_by_field_name("result"), csc)
        shapes = [shape_of(t) for t in targs]
        key = tuple(s.name for s in shapes)
        fn = info.instances.get(key)
        if fn is None:
            full = f"{pk.name}.{name}[{','.join('go.' + s.name for s in shapes)}]"
            fn = Func(full, (0, 0), csig)
            fn.stub = True
            fn.pkg = pk.path
            fn.has_body = False
            fn.esc = 3
            fn.display = f"{pk.name}.{name}"
            fn.nname = Name(full, (0, 0), csig, ir.PFUNC)
            fn.nname.fn = fn
            dp = Name(".dict", (0, 0), T.Pointer(T.Array(T.UINTPTR, 1)), ir.PPARAM, fn)
            fn.sig = T.Signature([T.Param(".dict", dp.type)] + list(csig.params), list(csig.results), csig.variadic)
            fn.tags = [UNKNOWN_LEAKS] * len(fn.sig.params)
            info.instances[key] = fn
        label = f"{pk.name}..dict.{name}[{','.join(T.fmt_type(t, qualify=True) for t in targs)}]"
        g = Name(label, S.start(node) if node is not None else (0, 0), T.Array(T.UINTPTR, 1), ir.PEXTERN)
        return fn, csig, Node("ADDR", g.pos, T.Pointer(g.type), x=g)

    def instantiate_method(self, tpl, inst: T.Named) -> Func:
        """The shaped copy of a generic type's method for the receiver type inst."""
        d, ptr, recv_tnames, rn, rpos = tpl
        origin: T.Named = inst.origin
        shapes = [shape_of(t) for t in inst.targs]
        key = (S.text(d.child_by_field_name("name")),) + tuple(s.name for s in shapes)
        fn = origin.instances.get(("method",) + key)
        if fn is not None:
            return fn
        shaped_recv = self.instantiate_type(origin, shapes)
        names = [(n, c) for n, (_, c) in zip(recv_tnames, origin.tparams)]
        ssc = self.bind_scope(self.scope_of(d), names, shapes, shaped=True)
        name = S.text(d.child_by_field_name("name"))
        fn = self.make_func(d, name, shaped_recv, ptr, (rn, rpos), scope=ssc)
        self.add_dict_param(fn)
        fn.body_scope = ssc
        fn.generic_origin = origin
        fn.decl_node = d
        fn.recv_tnames = recv_tnames
        origin.instances[("method",) + key] = fn
        return fn

    def concrete_method_sig(self, fn: Func, inst: T.Named, shaped: T.Signature) -> T.Signature:
        """The signature of a generic type's method for the concrete receiver type inst."""
        origin = getattr(fn, "generic_origin", None)
        if origin is None or not isinstance(inst, T.Named) or getattr(inst, "origin", None) is not origin:
            return shaped
        d = fn.decl_node
        recv_tnames = fn.recv_tnames
        sc = Scope(self.scope_of(d))
        for name, t in zip(recv_tnames, inst.targs):
            ob = Obj("type", name, type=t)
            ob.state = 2
            sc.names[name] = ob
        sig, _, _ = self.signature(d.child_by_field_name("parameters"), d.child_by_field_name("result"), sc)
        return sig

    def add_dict_param(self, fn: Func):
        dp = Name(".dict", fn.pos, T.Pointer(T.Array(T.UINTPTR, 1)), ir.PPARAM, fn)
        fn.params.insert(0, dp)
        idx = 1 if fn.recv is not None else 0
        fn.dcl.insert(idx, dp)
        fn.sig = T.Signature([T.Param(".dict", dp.type)] + list(fn.sig.params), list(fn.sig.results), fn.sig.variadic,
                             fn.sig.recv)
        fn.nname.type = fn.sig
        fn.dupok = True
        fn.dict_param = dp

    def dict_arg(self, label: str, node) -> Node:
        g = Name(".dict." + label, S.start(node) if node is not None else (0, 0), T.Array(T.UINTPTR, 1), ir.PEXTERN)
        a = Node("ADDR", g.pos, T.Pointer(g.type), x=g)
        return a

    def generic_call(self, o: Obj, targs: Optional[list], args, has_dots: bool, pos, node) -> Node:
        """A call of a generic function: infer type arguments, instantiate by shape, pass the dictionary."""
        info: GenericInfo = self.generic_info(o)
        if targs is None or len(targs) < len(info.tparams):
            vals = [self.expr(a) for a in args]
            if len(vals) == 1 and isinstance(vals[0].type, T.Tuple):
                self.unsupported(node, "a multi-value call as the argument of a generic function")
            inferred = self.infer(info, vals, node)
            if targs:
                inferred[:len(targs)] = targs
            targs = inferred
            fn, csig, dict_arg = self.instantiate_func(o, targs, node)
            cargs, init, ddd = self._finish_args(csig, vals, [S.pos(a) for a in args], has_dots, pos, [])
        else:
            fn, csig, dict_arg = self.instantiate_func(o, targs, node)
            cargs, init, ddd = self.args_for(csig, args, has_dots, pos)
        c = Node("CALLFUNC", pos, self.result_type(csig), fun=fn.nname, args=[dict_arg] + cargs, is_ddd=ddd)
        c.init = init
        return c

    def type_param_method_call(self, recv: Node, m: T.IMethod, args, has_dots: bool, pos, dpos) -> Node:
        """v.M() on a type parameter: a call through the dictionary, of an unknown function."""
        f = self.fs.fn
        while f is not None and getattr(f, "dict_param", None) is None:
            f = f.parent
        if f is None:
            self.unsupported(None, "method call on a type parameter outside a generic function")
        dp = self.use_name(f.dict_param, dpos)  # closures inside the copy capture its dictionary
        slot = f.__dict__.setdefault("dict_slots", {})
        k = slot.setdefault(m.name, len(slot))
        deref = Node("DEREF", dpos, dp.type.elem_type, x=dp, implicit=True)
        idx = Node("INDEX", dpos, T.UINTPTR, x=deref, index=Node("LITERAL", dpos, T.INT, val=k, extra="int"))
        addr = Node("ADDR", dpos, T.Pointer(T.UINTPTR), x=idx)
        fsig = T.Signature([T.Param("", recv.type)] + list(m.sig.params), list(m.sig.results), m.sig.variadic)
        fun = Node("CONVNOP", dpos, fsig, x=addr)
        cargs, init, ddd = self.args_for(m.sig, args, has_dots, pos)
        c = Node("CALLFUNC", pos, self.result_type(m.sig), fun=fun, args=[recv] + cargs, is_ddd=ddd)
        c.init = init
        return c


def unify(p: T.Type, a: T.Type, bind: dict):
    if isinstance(p, T.TypeParam):
        if p.name not in bind:
            bind[p.name] = a
        return
    if a is None:
        return
    if isinstance(p, T.Named):
        if getattr(p, "origin", None) is not None and isinstance(a, T.Named) and getattr(a, "origin", None) is p.origin:
            for x, y in zip(p.targs, a.targs):
                unify(x, y, bind)
        return
    au = a.u if not isinstance(a, T.TypeParam) else a
    if isinstance(p, (T.Pointer, T.Slice)) and type(au) is type(p):
        unify(p.elem_type, au.elem_type, bind)
    elif isinstance(p, T.Array) and isinstance(au, T.Array):
        unify(p.elem_type, au.elem_type, bind)
    elif isinstance(p, T.Chan) and isinstance(au, T.Chan):
        unify(p.elem_type, au.elem_type, bind)
    elif isinstance(p, T.Map) and isinstance(au, T.Map):
        unify(p.key, au.key, bind)
        unify(p.elem_type, au.elem_type, bind)
    elif isinstance(p, T.Signature) and isinstance(au, T.Signature):
        for x, y in zip(p.params, au.params):
            unify(x.type, y.type, bind)
        for x, y in zip(p.results, au.results):
            unify(x.type, y.type, bind)
