"""Type checking a single-package Go program and lowering it to :mod:`gomem.compile.ir`.

The package is one file or several (:func:`check_files`, a :class:`~.srcfiles.FileSet`): each
file's imports are in its own file scope (the parent of which is the package scope), and every
position names its file (see :mod:`.srcfiles`).

The checker resolves names and types (with the standard-library stubs of
:mod:`gomem.compile.stdlib`), folds constants, and builds the compiler-shaped
IR: implicit conversions, implicit ``&``/``*`` for method receivers, method
calls as ``T.M(recv, args...)``, variadic arguments as an implicit ``...
argument`` slice literal, multi-value expressions through temporaries,
``go``/``defer`` calls wrapped in closures, loop variables made per-iteration
where they are captured or have their address taken (Go 1.22), range-over-func
loops as body closures, generic functions and types instantiated by shape
(:mod:`.check_generic`).

What it does not model (cgo, generic functions of the standard library such as
``slices.Sort``, imports outside the stubbed standard library, range-over-func
bodies that return or jump out of the loop) is reported per function through
:class:`Unsupported`; the rest of the program is still analysed.
"""

from __future__ import annotations

import os
from typing import Optional

from . import consts as C
from . import ir
from . import stdlib
from . import syntax as S
from . import types as T
from .check_base import (
    UNIVERSE,
    CheckError,
    FnState,
    Obj,
    Package,
    Program,
    Resolver,
    Scope,
    Unsupported,
    _walk_type,
    const_kind_of,
    is_const,
    lit,
)
from .check_expr import ExprMixin
from .check_generic import GenericMixin
from .check_stmt import StmtMixin
from .ir import Func, Name, Node
from .srcfiles import LINE_BITS, FileSet


# =====================================================================================================
# The checker for the analysed package
# =====================================================================================================


class Checker(GenericMixin, ExprMixin, StmtMixin, Resolver):
    def __init__(self, files: "FileSet", loader: Optional["stdlib.Loader"] = None):
        super().__init__(loader or stdlib.LOADER)
        self.files = files
        self.pkg = Package("main", "main", True)
        for f in files.files:
            f.scope = Scope(self.pkg.scope)  # the file's imports; its parent the package scope
        self.prog = Program()
        self.fs: Optional[FnState] = None
        self.init_fn: Optional[Func] = None
        self.init_stmts: list[Node] = []
        self.autotmp = 0
        self.closure_gen_glob = 0
        self.top_funcs: list[Func] = []
        self.all_closures: list[Func] = []
        self.pkg_var_order: list[Obj] = []
        self.local_type_count = 0

    def scope_of(self, n) -> Scope:
        """The file scope of the file syntax node n is in (its row names the file: see srcfiles)."""
        return self.files.files[n.start_point[0] >> LINE_BITS].scope

    # -- imports --------------------------------------------------------------------------------------

    def imports(self, d, file_scope: Scope):
        for spec in _walk_type(d, "import_spec"):
            path = S.text(spec.child_by_field_name("path"))[1:-1]
            nm = spec.child_by_field_name("name")
            if path == "C":
                pk = Package(path, path, False)
                pk.complete = False
            else:
                pk = self.loader.load(path)
                if pk is None:
                    # functions that use it are reported as not analysed
                    pk = Package(path, path.rsplit("/", 1)[-1], False)
                    pk.complete = False
                    pk.unknown = True
            name = S.text(nm) if nm is not None else pk.name
            if name in ("_", "."):
                if name == ".":
                    raise Unsupported(S.start(spec), "dot imports")
                continue
            file_scope.names[name] = Obj("pkg", name, pkg=pk, pos=S.start(spec))
            if path != "C" and not getattr(pk, "unknown", False):
                self.file_imports.append((spec, name, path))

    def unused_imports(self) -> None:
        """CheckError for the first import a file never uses, in the compiler's words (each file's
        imports are its own).  An import counts as used where the file names it as a qualifier
        anywhere (``pkg.Name``), so a qualifier that a local name shadows is taken for a use."""
        by_file: dict[int, list] = {}
        for spec, name, path in self.file_imports:
            by_file.setdefault(spec.start_point[0] >> LINE_BITS, []).append((spec, name, path))
        for i, specs in sorted(by_file.items()):
            used = _qualifiers(self.files.files[i].root)
            for spec, name, path in specs:
                if name in used:
                    continue
                if name == path.rsplit("/", 1)[-1]:
                    raise CheckError(S.start(spec), f'"{path}" imported and not used')
                raise CheckError(S.start(spec), f'"{path}" imported as {name} and not used')

    # -- package-level declarations ------------------------------------------------------------------

    def declare_type(self, spec, scope: Scope, pkglevel: bool):
        if spec.type == "comment":
            return
        name = S.text(spec.child_by_field_name("name"))
        if spec.child_by_field_name("type_parameters") is not None:
            nt = T.Named(name, "main", self.pkg.name, True)
            o = Obj("type", name, type=nt, decl=None)
            o.state = 2
            scope.names[name] = o
            self.declare_generic_type(spec, scope if not pkglevel else self.scope_of(spec), o)
            return o
        if spec.type == "type_alias":
            o = Obj("type", name, decl=spec)
            o.owner = "alias"
        else:
            sname = name
            if not pkglevel:
                self.local_type_count += 1
            nt = T.Named(sname, "main", self.pkg.name, True)
            o = Obj("type", name, type=nt, decl=spec)
        scope.names[name] = o
        o.pos = S.start(spec)
        if not pkglevel:
            o.iota = scope  # resolve in this scope
            self.resolve_type_obj(o, scope)
        return o

    def resolve_type_obj(self, o: Obj, scope: Scope):
        if o.state == 2:
            return
        if o.state == 1:
            if o.owner == "alias":
                self.err(o.decl, "invalid recursive type alias")
            return  # named types may refer to themselves
        o.state = 1
        tn = o.decl.child_by_field_name("type")
        if o.owner == "alias":
            o.type = self.type_of(tn, scope)
        else:
            o.type.under = None
            u = self.type_of(tn, scope)
            o.type.under = u if not isinstance(u, T.Named) else u
            if isinstance(u, T.Named):
                o.type.under = u.u if u.under is not None else u
        o.state = 2

    def declare_consts(self, d, scope: Scope, pkglevel: bool):
        iota = 0
        prev_type = prev_vals = None
        for spec in S.named_children(d):
            if spec.type != "const_spec":
                continue
            names = S.named_field(spec, "name")
            tn = spec.child_by_field_name("type")
            vals = spec.child_by_field_name("value")
            if vals is None:
                tn, vals = prev_type, prev_vals
            else:
                prev_type, prev_vals = tn, vals
            exprs = S.named_children(vals) if vals is not None else []
            for i, nm in enumerate(names):
                name = S.text(nm)
                o = Obj("const", name, decl=(tn, exprs[i] if i < len(exprs) else None), pos=S.start(nm))
                o.iota = iota
                o.owner = scope
                if name != "_":
                    scope.names[name] = o
                if not pkglevel:
                    self.resolve_const(o)
            iota += 1

    def resolve_const(self, o: Obj):
        if o.state == 2:
            return
        if o.state == 1:
            self.err(None, f"initialization cycle for {o.name}")
        o.state = 1
        tn, en = o.decl
        scope: Scope = o.owner
        saved = self.fs
        iota_scope = Scope(scope)
        iota_obj = Obj("const", "iota", type=T.UNTYPED_INT, val=o.iota, ckind="int")
        iota_obj.state = 2
        iota_scope.names["iota"] = iota_obj
        x = self.expr_in_scope(en, iota_scope)
        self.fs = saved
        if not is_const(x):
            self.err(en, f"{S.text(en)} is not constant")
        if tn is not None:
            t = self.type_of(tn, scope)
            v, k = C.represent(x.val, const_kind_of(x), t)
            o.type, o.val, o.ckind = t, v, k
        else:
            o.type, o.val, o.ckind = x.type, x.val, const_kind_of(x)
        o.state = 2

    def expr_in_scope(self, en, scope: Scope) -> Node:
        """Check a constant expression outside any function body."""
        fs = FnState(self.init_fn, scope)
        saved = self.fs
        self.fs = fs
        try:
            return self.expr(en)
        finally:
            self.fs = saved

    def const_value(self, n, scope: Scope):
        x = self.expr_in_scope(n, scope)
        if not is_const(x):
            return None
        return x.val, const_kind_of(x)

    def declare_pkg_vars(self, d):
        for spec in _walk_type(d, "var_spec"):
            names = S.named_field(spec, "name")
            group = []
            for i, nm in enumerate(names):
                name = S.text(nm)
                nn = Name(name, S.start(nm), None, ir.PEXTERN)
                o = Obj("var", name, node=nn, decl=(spec, i), pos=S.start(nm))
                group.append(o)
                if name != "_":
                    self.pkg.scope.names[name] = o
                else:
                    self.pkg_var_order.append(o)
            for o in group:
                o.owner = group
            self.pkg_var_groups.append(group)

    def resolve_pkg_var(self, o: Obj):
        if o.state == 2:
            return
        if o.state == 1:
            self.err(None, f"initialization cycle or typechecking loop involving {o.name}")
        group = o.owner
        for g in group:
            g.state = 1
        try:
            self._resolve_pkg_var(o, group)
        except Unsupported as e:
            # this initializer is not analysed; functions that use the variable say so
            for g in group:
                g.state = 2
                if g.node.type is None:
                    g.val = e.reason
            self.prog.unsupported.append((e.pos, "init: " + ", ".join(g.name for g in group), e.reason))

    def _resolve_pkg_var(self, o: Obj, group: list):
        first = len(self.init_stmts)
        try:
            self._resolve_pkg_var1(o, group)
        finally:
            for st in self.init_stmts[first:]:  # those of variables it depends on are theirs already
                self.init_owner.setdefault(id(st), group)

    def _resolve_pkg_var1(self, o: Obj, group: list):
        spec, _ = o.decl
        tn = spec.child_by_field_name("type")
        vals = spec.child_by_field_name("value")
        exprs = S.named_children(vals) if vals is not None else []
        file_scope = self.scope_of(spec)
        t = self.type_of(tn, file_scope) if tn is not None else None
        if t is not None:
            for g in group:
                g.node.type = t
                g.type = t
        fs = FnState(self.init_fn, Scope(file_scope))
        saved = self.fs
        self.fs = fs
        try:
            if len(exprs) == 1 and len(group) > 1:
                call = self.expr(exprs[0])
                if not isinstance(call.type, T.Tuple):
                    self.err(exprs[0], "assignment mismatch")
                for i, g in enumerate(group):
                    g.node.type = t or call.type.types[i]
                    g.type = g.node.type
                st = Node("AS2FUNC", S.pos(spec), lhs=[g.node if g.name != "_" else self.blank(g.node.pos) for g in group], rhs=[call])
                st = self.fix_as2func(st)
                self.init_stmts.append(st)
            else:
                for i, g in enumerate(group):
                    if i < len(exprs):
                        x = self.expr(exprs[i])
                        vt = t or T.default_type(x.type)
                        if vt.kind == "untyped nil":
                            self.err(exprs[i], "use of untyped nil")
                        x = self.assign_conv(x, vt)
                        g.node.type = vt
                        g.type = vt
                        if not self.static_init(x):
                            dst = g.node if g.name != "_" else self.blank(g.node.pos)
                            self.init_stmts.append(Node("AS", g.node.pos, x=dst, y=x))
                        elif g.name != "_":
                            self.prog.static_inits.append((g.node, x))
                            self.static_values.setdefault(id(group), []).append(x)
                    else:
                        g.node.type = t
                        g.type = t
        finally:
            self.fs = saved
        for g in group:
            g.state = 2

    def static_init(self, x: Node) -> bool:
        """Whether the compiler's static initialiser handles x (no code in the package init function)."""
        op = x.op
        if op in ("LITERAL", "NIL", "METHEXPR"):
            return True
        if op == "NAME":
            return x.cls == ir.PFUNC
        if op == "CLOSURE":
            return not x.func.closure_vars
        if op in ("CONVNOP", "CONV"):
            return self.static_init(x.x)
        if op == "CONVIFACE":
            return x.x.op in ("LITERAL", "NIL") or (x.x.op == "NAME" and x.x.cls == ir.PFUNC) or (
                T.is_direct_iface(x.x.type) and self.static_init(x.x)) or x.x.type.is_interface() and self.static_init(x.x)
        if op == "PTRLIT":
            return self.static_init(x.x)
        if op == "ADDR":
            return x.x.op == "NAME" and x.x.cls == ir.PEXTERN
        if op in ("STRUCTLIT", "ARRAYLIT", "SLICELIT"):
            return all(self.static_init(e.value if e.op in ("KEY", "STRUCTKEY") else e) for e in x.list)
        return False

    def declare_func(self, d):
        name = S.text(d.child_by_field_name("name"))
        if d.child_by_field_name("type_parameters") is not None:
            self.declare_generic_func(d)
            return
        if d.type == "method_declaration":
            self.pending_methods.append(d)
        else:
            o = Obj("func", name, decl=d, pos=S.start(d))
            if name != "init" and name != "_":
                self.pkg.scope.names[name] = o
            self.pending_funcs.append(o)

    # lists filled by declare_func, resolved in resolve_all
    pending_methods: list
    pending_funcs: list
    generic_decls: list
    fn_decls: list

    def resolve_obj(self, o: Obj):
        if o.state == 2:
            return
        if o.kind == "type":
            self.resolve_type_obj(o, o.iota if isinstance(o.iota, Scope) else self.scope_of(o.decl))
        elif o.kind == "const":
            self.resolve_const(o)
        elif o.kind == "var" and o.node is not None and o.node.cls == ir.PEXTERN:
            self.resolve_pkg_var(o)
        elif o.kind == "func":
            self.resolve_func(o)

    def resolve_func(self, o: Obj):
        if o.state == 2:
            return
        o.state = 1
        d = o.decl
        try:
            fn = self.make_func(d, S.text(d.child_by_field_name("name")), None)
        except Unsupported as e:
            fn = Func(S.text(d.child_by_field_name("name")), S.start(d), T.Signature([], []))
            fn.unsupported = (e.pos, e.reason)
            self.generic_decls.append((fn, d))
            o.state = 2
            o.val = e.reason
            return
        o.node = fn.nname
        o.type = fn.sig
        o.state = 2

    def make_func(self, d, name: str, recv_named: Optional[T.Named], ptr_recv: bool = False, recv_node=None,
                  scope: Optional[Scope] = None) -> Func:
        sig, plist, rlist = self.signature(d.child_by_field_name("parameters"), d.child_by_field_name("result"),
                                           scope or self.scope_of(d))
        fname = name
        if recv_named is not None:
            fname = f"(*{recv_named.name}).{name}" if ptr_recv else f"{recv_named.name}.{name}"
        fn = Func(fname, S.start(d.child_by_field_name("name")), sig)
        fn.nname = Name(fname if recv_named is None else name, fn.pos, sig, ir.PFUNC)
        fn.nname.fn = fn
        if recv_named is None and name == "init":
            fn.name = f"init.{self.user_init_count}"
            self.user_init_count += 1
        fn.ptr_recv = ptr_recv
        if recv_node is not None:
            rt = T.Pointer(recv_named) if ptr_recv else recv_named
            fn.recv_type = rt
            rn = recv_node[0]
            rpos = recv_node[1]
            fn.recv = Name(rn if rn else "~r", rpos, rt, ir.PPARAM, fn)
            if not rn or rn == "_":
                fn.recv.blank = True
            sig.recv = T.Param(rn, rt, rpos)
            fn.dcl.append(fn.recv)
        for i, (pn, pt, ppos) in enumerate(plist):
            nm = Name(pn if pn else f"~p{i}", ppos, pt, ir.PPARAM, fn)
            nm.blank = (not pn) or pn == "_"
            fn.params.append(nm)
            fn.dcl.append(nm)
        for i, (rn, rt, rpos) in enumerate(rlist):
            if not rn:
                sym = f"~r{i}"
            elif rn == "_":
                sym = f"~b{i}"
            else:
                sym = rn
            nm = Name(sym, rpos, rt, ir.PPARAMOUT, fn)
            fn.results.append(nm)
            fn.dcl.append(nm)
        body = d.child_by_field_name("body")
        fn.has_body = body is not None
        self.fn_decls.append((fn, d))
        return fn

    # -- function bodies ---------------------------------------------------------------------------------

    def check_body(self, fn: Func, d):
        body = d.child_by_field_name("body")
        if body is None:
            fn.has_body = False
            return
        scope = Scope(getattr(fn, "body_scope", None) or self.scope_of(d), fn)
        for nm in fn.dcl:
            if not nm.blank and not nm.sym.startswith("~"):
                scope.names[nm.sym] = Obj("var", nm.sym, type=nm.type, node=nm)
        self.fs = FnState(fn, scope)
        nclosures = len(self.all_closures)
        try:
            fn.body = self.block(body, scope)
            self.loopvar(fn)
        except Unsupported as e:
            fn.unsupported = (e.pos, e.reason)
            fn.body = []
            del self.all_closures[nclosures:]
        except CheckError:
            raise
        except Exception as e:  # a gap in gomem's checker: say so for this function only
            if os.environ.get("GOMEM_DEBUG"):
                raise
            fn.unsupported = (fn.pos, f"internal error in gomem's checker ({type(e).__name__}: {e})")
            fn.body = []
            del self.all_closures[nclosures:]
        finally:
            self.fs = None

    # -- small helpers ---------------------------------------------------------------------------

    def blank(self, pos) -> Name:
        b = Name("_", pos, None, ir.PAUTO)
        b.blank = True
        return b

    def new_temp(self, pos, t: T.Type, fn: Optional[Func] = None) -> Name:
        fn = fn or self.fs.fn
        nm = Name(f".autotmp_{len(fn.dcl)}", pos, t, ir.PAUTO, fn)
        nm.autotmp = True
        fn.dcl.append(nm)
        return nm

    def declare_local(self, name: str, pos, t: T.Type, scope: Scope) -> Name:
        nm = Name(name, pos, t, ir.PAUTO, self.fs.fn)
        if name == "_":
            nm.blank = True
            return nm
        self.fs.fn.dcl.append(nm)
        scope.names[name] = Obj("var", name, type=t, node=nm)
        return nm

    def use_name(self, nm: Name, pos) -> Name:
        """The name to use for a variable reference inside the current function (capturing if needed)."""
        if nm.cls not in (ir.PAUTO, ir.PPARAM, ir.PPARAMOUT):
            return nm
        fs = self.fs
        if nm.curfn is fs.fn or nm.curfn is None:
            return nm
        return self.capture(nm.canonical(), fs, pos)

    def capture(self, canon: Name, fs: FnState, pos) -> Name:
        if canon.curfn is fs.fn:
            return canon
        cv = fs.cv_by_canon.get(id(canon))
        if cv is not None:
            return cv
        outer = self.capture(canon, fs.parent, pos)
        cv = Name(canon.sym, pos, canon.type, canon.cls, fs.fn)
        cv.outer = outer
        cv.is_closure_var = True
        fs.cv_by_canon[id(canon)] = cv
        fs.fn.closure_vars.append(cv)
        return cv

    def mark_addrtaken(self, x: Node):
        while True:
            if x.op in ("DOT", "PAREN", "CONVNOP"):
                x = x.x
            elif x.op == "INDEX" and x.x.type.is_array():
                x = x.x
            else:
                break
        if x.op == "NAME":
            x.canonical().addrtaken = True
            x.addrtaken = True

    def addr(self, x: Node, pos, implicit: bool) -> Node:
        self.mark_addrtaken(x)
        n = Node("ADDR", pos, T.Pointer(x.type), x=x, implicit=implicit)
        n.spos = pos
        return n

    # -- assignability ----------------------------------------------------------------------------

    def assign_conv(self, x: Node, t: Optional[T.Type], ctx=None) -> Node:
        """x converted for assignment to a t-typed destination (implicit conversions made explicit)."""
        if t is None:
            if x.type is not None and x.type.is_untyped():
                return self.default_conv(x)
            return x
        typed_nil = x.op == "NIL" and x.type is not None and x.type.kind != "untyped nil"
        if (x.op == "NIL" and not (typed_nil and t.is_interface() and not x.type.is_interface())) or \
                (x.type is not None and x.type.kind == "untyped nil"):
            n = Node("NIL", x.pos, t)
            n.spos = x.spos
            return n
        if is_const(x) and x.type.is_untyped():
            if t.is_interface():
                x = self.default_conv(x)
            else:
                self.check_representable(x, t)
                v, k = C.represent(x.val, const_kind_of(x), t)
                n = lit(x.pos, v, k, t)
                n.spos = x.spos
                return n
        if x.type is not None and x.type.kind == "untyped bool":
            if t.is_interface():
                x = self.retype(x, T.BOOL)
            else:
                return self.retype(x, t)
        if isinstance(x.type, T.Tuple):
            self.err(None, "multiple-value in single-value context")
        if T.identical(x.type, t):
            return x
        if t.is_interface():
            if typed_nil:
                x.extra = "typed-nil"  # printed as the compiler prints it: ([]int)(nil)
            n = Node("CONVIFACE", x.spos or x.pos, t, x=x, implicit=True)
            n.spos = x.spos
            return n
        n = Node("CONVNOP", x.spos or x.pos, t, x=x, implicit=True)
        n.spos = x.spos
        return n

    def check_representable(self, x: Node, t: T.Type):
        k = const_kind_of(x)
        u = t.u.kind
        ok = True
        if k == "string":
            ok = u == "string"
        elif k == "bool":
            ok = u == "bool"
        elif k in ("int", "rune", "float", "complex"):
            ok = u in T.INTEGER_KINDS or u in T.FLOAT_KINDS or u in T.COMPLEX_KINDS
            if ok and u in T.INTEGER_KINDS and k in ("float", "complex"):
                v = x.val.real if isinstance(x.val, complex) else x.val
                from fractions import Fraction
                ok = Fraction(v).denominator == 1 and (not isinstance(x.val, complex) or x.val.imag == 0)
        if not ok:
            what = x.type.name if isinstance(x.type, T.Basic) else T.fmt_type(x.type)
            raise CheckError(x.pos, f"cannot use {ir.fmt_node(x)} ({what} constant) as {T.fmt_type(t)} value")

    def retype(self, x: Node, t: T.Type) -> Node:
        x.type = t
        return x

    def default_conv(self, x: Node) -> Node:
        if x.type is None or not x.type.is_untyped():
            return x
        if x.type.kind == "untyped nil":
            return x
        dt = T.default_type(x.type)
        if is_const(x):
            v, k = C.represent(x.val, const_kind_of(x), dt)
            n = lit(x.pos, v, k, dt)
            n.spos = x.spos
            return n
        x.type = dt
        return x



def check_source(src: bytes) -> Program:
    """Type check one file (SyntaxErr if it does not parse, CheckError if it does not type check)."""
    return check_files(FileSet.single(src))


def check_files(files: FileSet) -> Program:
    """Type check the files of one package, in the order the compiler is given them."""
    c = Checker(files)
    c.prog.static_inits = []  # (variable, value) the linker initialises (no code in the init function)
    c.pending_methods = []
    c.pending_funcs = []
    c.generic_decls = []
    c.generic_funcs = {}
    c.fn_decls = []
    c.user_init_count = 0
    c.file_imports = []  # (import spec, local name, path) of every file
    c.pkg_var_groups = []  # the package variables' declarations (one list of Obj per var spec), in order
    c.init_owner = {}  # id(statement of the init function) -> the group of variables it initialises
    c.static_values = {}  # id(group) -> the values the linker initialises its variables with
    prog = c.check_all()
    prog.import_paths = {path for _, _, path in c.file_imports}
    return prog


def _init_order(self: Checker) -> list[Node]:
    """The package's variable initialisers in the spec's order: a variable is initialised once the
    variables it depends on are -- through its initialiser, and transitively through the bodies of
    the functions and methods it refers to -- the earliest declared first (types2's initorder:
    priority by dependency count, then declaration order; files in the order given).  Variables the
    linker initialises have no initialiser to run but pass their dependencies on."""
    from .escape import walk_nodes

    groups = [g for g in self.pkg_var_groups if g]
    var_group = {id(o.node): g for g in groups for o in g}
    stmts_of: dict[int, list] = {}
    for st in self.init_stmts:
        g = self.init_owner.get(id(st))
        stmts_of.setdefault(id(g), []).append(st)

    def direct(nodes) -> tuple[set, list]:
        """(ids of the groups of the package variables nodes refer to, the functions they refer to)."""
        vs: set = set()
        fs: list = []

        def v(n):
            if isinstance(n, Name):
                if n.cls == ir.PEXTERN:
                    g = var_group.get(id(n))
                    if g is not None:
                        vs.add(id(g))
                elif n.cls == ir.PFUNC and n.fn is not None and not n.fn.stub:
                    fs.append(n.fn)
            elif n.op in ("METHEXPR", "METHVALUE", "DOTMETH"):
                m = getattr(n, "method", None)
                if m is not None and not m.stub:
                    fs.append(m)

        walk_nodes(nodes, v, into_closures=True)
        return vs, fs

    func_direct: dict[int, tuple] = {}

    def through_funcs(fs: list) -> set:
        out: set = set()
        seen: set = set()
        todo = list(fs)
        while todo:
            f = todo.pop()
            if id(f) in seen:
                continue
            seen.add(id(f))
            d = func_direct.get(id(f))
            if d is None:
                d = func_direct[id(f)] = direct(f.body or [])
            out |= d[0]
            todo.extend(d[1])
        return out

    deps: dict[int, set] = {}
    for g in groups:
        nodes = stmts_of.get(id(g), []) + self.static_values.get(id(g), [])
        vs, fs = direct(nodes)
        deps[id(g)] = (vs | through_funcs(fs)) - {id(g)}
    order = {id(g): i for i, g in enumerate(sorted(groups, key=lambda g: g[0].pos or (0, 0)))}
    preds: dict[int, list] = {id(g): [] for g in groups}
    for gid, ds in deps.items():
        for d in ds:
            if d in preds:
                preds[d].append(gid)
    ndeps = {gid: len(ds) for gid, ds in deps.items()}
    by_id = {id(g): g for g in groups}
    import heapq
    heap = [(ndeps[gid], order[gid], gid) for gid in by_id]
    heapq.heapify(heap)
    done: set = set()
    out: list[Node] = []
    while heap:
        n, _, gid = heapq.heappop(heap)
        if gid in done or n != ndeps[gid]:
            continue  # a stale entry
        done.add(gid)
        out.extend(stmts_of.pop(gid, []))
        for p in preds[gid]:
            if p not in done:
                ndeps[p] -= 1
                heapq.heappush(heap, (ndeps[p], order[p], p))
    for rest in stmts_of.values():  # statements of no variable (none expected) stay in their order
        out.extend(rest)
    return out


def _qualifiers(root) -> set[str]:
    """The identifiers a file uses as the operand of a selector or the package of a qualified type."""
    out: set[str] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        t = n.type
        if t == "selector_expression":
            op = n.child_by_field_name("operand")
            if op is not None and op.type == "identifier":
                out.add(S.text(op))
        elif t == "qualified_type":
            pk = n.child_by_field_name("package")
            if pk is not None:
                out.add(S.text(pk))
        elif t == "import_declaration":
            continue
        stack.extend(n.named_children)
    return out


def _check_all(self: Checker) -> Program:
    roots = [f.root for f in self.files.files]
    for root in roots:
        for d in S.named_children(root):
            if d.type == "package_clause":
                self.pkg.name = S.text(S.named_children(d)[0])
                break
        break
    self.init_fn = Func("init", (0, 0), T.Signature([], []))
    self.init_fn.is_init = True
    # each file's imports are in its own scope, whose parent is the package scope
    self.pkg.scope.parent = UNIVERSE
    for f, root in zip(self.files.files, roots):
        for d in S.named_children(root):
            if d.type == "import_declaration":
                self.imports(d, f.scope)
    # the package-level declarations, files in order
    for root in roots:
        for d in S.named_children(root):
            if d.type == "type_declaration":
                for sp in S.named_children(d):
                    if sp.type in ("type_spec", "type_alias"):
                        self.declare_type(sp, self.pkg.scope, pkglevel=True)
            elif d.type == "const_declaration":
                self.declare_consts(d, self.pkg.scope, pkglevel=True)
            elif d.type == "var_declaration":
                self.declare_pkg_vars(d)
            elif d.type in ("function_declaration", "method_declaration"):
                self.declare_func(d)
    for o in list(self.pkg.scope.names.values()):
        if o.kind == "type":
            self.resolve_obj(o)
    # methods
    for d in self.pending_methods:
        try:
            self.declare_method(d)
        except Unsupported as e:
            fn = Func(S.text(d.child_by_field_name("name")), S.start(d), T.Signature([], []))
            fn.unsupported = (e.pos, e.reason)
            self.generic_decls.append((fn, d))
    # functions in source order (methods and functions interleaved as declared)
    for o in self.pending_funcs:
        self.resolve_func(o)
    for o in list(self.pkg.scope.names.values()):
        self.resolve_obj(o)
    for o in self.pkg_var_order:
        self.resolve_obj(o)
    # order fn_decls by source position (files in order: a row names its file)
    self.fn_decls.sort(key=lambda fd: (fd[1].start_point[0] >> LINE_BITS, fd[1].start_byte))
    for fn, d in self.fn_decls:
        self.check_body(fn, d)
    self.unused_imports()  # types2 reports them once the bodies are checked
    for fn, d in self.generic_decls:
        self.prog.unsupported.append((fn.unsupported[0], fn.name, fn.unsupported[1]))
    funcs: list[Func] = []
    if self.init_stmts:
        self.init_fn.body = _init_order(self)
        self.loopvar(self.init_fn)
        funcs.append(self.init_fn)
    # function literals in package-level initializers come before the functions
    glob = [c for c in self.all_closures if c.parent is self.init_fn]
    funcs.extend(glob)
    funcs.extend(f for f, _ in self.fn_decls)
    funcs.extend(c for c in self.all_closures if c.parent is not self.init_fn)
    for f in funcs:
        if f.unsupported:
            self.prog.unsupported.append((f.unsupported[0], f.name, f.unsupported[1]))
    self.prog.funcs = funcs
    self.prog._checker = self
    return self.prog


def _declare_method(self: Checker, d):
    recv = d.child_by_field_name("receiver")
    pds = [c for c in S.named_children(recv) if c.type == "parameter_declaration"]
    if len(pds) != 1:
        self.err(recv, "method has multiple receivers")
    pd = pds[0]
    tn = pd.child_by_field_name("type")
    ptr = False
    if tn.type == "pointer_type":
        ptr = True
        tn = S.named_children(tn)[0]
    if tn.type == "generic_type":
        base = S.text(tn.child_by_field_name("type"))
        tnames = []
        for a in S.named_children(tn.child_by_field_name("type_arguments")):
            a = self.type_arg_node(a)
            tnames.append(S.text(a))
        names = S.named_field(pd, "name")
        rn = S.text(names[0]) if names else ""
        rpos = S.start(names[0]) if names else S.start(pd)
        self.declare_generic_method(d, base, ptr, tnames, rn, rpos)
        return
    rt = self.type_of(tn, self.scope_of(d))
    if not isinstance(rt, T.Named):
        self.err(tn, "invalid receiver type")
    if rt.generic:
        fn = Func(S.text(d.child_by_field_name("name")), S.start(d), T.Signature([], []))
        fn.unsupported = (S.start(d), "methods of generic types")
        self.generic_decls.append((fn, d))
        return
    names = S.named_field(pd, "name")
    rn = S.text(names[0]) if names else ""
    rpos = S.start(names[0]) if names else S.start(pd)
    name = S.text(d.child_by_field_name("name"))
    fn = self.make_func(d, name, rt, ptr, (rn, rpos))
    rt.methods[name] = fn


Checker.check_all = _check_all
Checker.declare_method = _declare_method
