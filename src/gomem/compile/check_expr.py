"""Expressions: type checking and lowering to the compiler-shaped IR (mixin of the Checker)."""

from __future__ import annotations

from typing import Optional

from . import consts as C
from . import ir
from . import stdlib
from . import syntax as S
from . import types as T
from .check_base import CheckError, FnState, Obj, Scope, const_kind_of, is_const, lit
from .ir import Func, Name, Node

BINOPS = {"+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "%": "MOD", "&": "AND", "|": "OR", "^": "XOR", "&^": "ANDNOT",
          "<<": "LSH", ">>": "RSH", "==": "EQ", "!=": "NE", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE",
          "&&": "ANDAND", "||": "OROR"}
CMP = {"EQ", "NE", "LT", "LE", "GT", "GE"}


def _embedded_name(t: T.Type) -> str:
    b = t.elem_type if isinstance(t, T.Pointer) else t
    if isinstance(b, T.AnyType):
        return "any"
    return getattr(b, "name", "?")


class ExprMixin:
    # -- dispatch -------------------------------------------------------------------------------------

    def expr(self, n, want: Optional[T.Type] = None) -> Node:
        t = n.type
        if t == "identifier" or t == "type_identifier":
            x = self.ident(n)
        elif t in ("int_literal", "float_literal", "imaginary_literal", "rune_literal", "interpreted_string_literal",
                   "raw_string_literal"):
            x = self.basic_lit(n)
        elif t in ("true", "false", "iota"):
            x = self.ident(n)
        elif t == "nil":
            x = Node("NIL", S.start(n), T.UNTYPED_NIL)
        elif t == "parenthesized_expression":
            inner = S.named_children(n)[0]
            tt = self.try_type(n)
            if tt is not None:
                self.err(n, "type is not an expression")
            x = self.expr(inner, want)
            return x
        elif t == "selector_expression":
            x = self.selector(n)
        elif t == "index_expression":
            x = self.index_expr(n)
        elif t == "slice_expression":
            x = self.slice_expr(n)
        elif t == "call_expression":
            x = self.call(n)
        elif t == "type_conversion_expression":
            x = self.misparsed_call(n)
            if x is None:
                x = self.conversion(self.type_of(n.child_by_field_name("type"), self.fs.scope), n.child_by_field_name("operand"), n)
        elif t == "composite_literal":
            x = self.composite_lit(n, None)
        elif t == "func_literal":
            x = self.func_lit(n)
        elif t == "unary_expression":
            x = self.unary(n)
        elif t == "binary_expression":
            x = self.binary(n)
        elif t == "type_assertion_expression":
            x = self.type_assert(n)
        elif t == "type_instantiation_expression" or t == "generic_type":
            self.unsupported(n, "generic functions")
        else:
            self.err(n, f"unexpected expression {t}")
        if x.spos is None:
            x.spos = S.pos(n)
        return x

    def rvalue(self, n, t: Optional[T.Type]) -> Node:
        """Evaluate n for assignment to a t-typed destination."""
        x = self.expr(n)
        return self.assign_conv_at(x, t, S.pos(n))

    def assign_conv_at(self, x: Node, t: Optional[T.Type], spos) -> Node:
        old = x.spos
        if x.op == "NAME":
            # names are shared nodes: conversions take the reference's position
            wrapped = self.assign_conv(_PosProxy(x, spos), t)
            if isinstance(wrapped, _PosProxy):
                return x
            if wrapped.x is not None and isinstance(wrapped.x, _PosProxy):
                wrapped.x = x
            return wrapped
        x.spos = spos
        r = self.assign_conv(x, t)
        x.spos = old if old is not None else spos
        return r

    def try_type(self, n) -> Optional[T.Type]:
        """The type n denotes, or None if n is not a type expression."""
        t = n.type
        if t in ("identifier", "type_identifier"):
            o = self.fs.scope.lookup(S.text(n)) if self.fs else self.scope_of(n).lookup(S.text(n))
            if o is not None and o.kind == "type":
                self.resolve_obj(o)
                if isinstance(o.type, T.Named) and o.type.generic:
                    self.err(n, f"cannot use generic type {o.name} without instantiation")
                return o.type
            return None
        if t in ("selector_expression", "qualified_type"):
            op = n.child_by_field_name("operand") or n.child_by_field_name("package")
            if op.type == "identifier" or op.type == "package_identifier":
                o = self.fs.scope.lookup(S.text(op))
                if o is not None and o.kind == "pkg":
                    f = n.child_by_field_name("field") or n.child_by_field_name("name")
                    m = o.pkg.scope.names.get(S.text(f))
                    if m is not None and m.kind == "type":
                        self.loader.resolve(o.pkg, m)
                        return m.type
                    if m is None and S.text(f) in o.pkg.generic:
                        self.unsupported(n, f"generic {S.text(n)}")
            return None
        if t in ("pointer_type", "slice_type", "array_type", "implicit_length_array_type", "map_type", "channel_type",
                 "function_type", "struct_type", "interface_type", "parenthesized_type", "generic_type"):
            return self.type_of(n, self.fs.scope)
        if t == "parenthesized_expression":
            return self.try_type(S.named_children(n)[0])
        if t == "unary_expression":
            if S.text(n).startswith("*"):
                inner = self.try_type(n.child_by_field_name("operand"))
                if inner is not None:
                    return T.Pointer(inner)
            return None
        return None

    # -- names and literals ---------------------------------------------------------------------------

    def ident(self, n) -> Node:
        name = S.text(n)
        pos = S.start(n)
        if name == "_":
            return self.blank(pos)
        o = self.fs.scope.lookup(name)
        if o is None:
            self.err(n, f"undefined: {name}")
        return self.obj_ref(o, n, pos)

    def obj_ref(self, o: Obj, n, pos) -> Node:
        if o.kind == "const":
            self.resolve_obj(o)
            return lit(pos, o.val, o.ckind, o.type)
        if o.kind == "var":
            nm = o.node
            if nm.cls == ir.PEXTERN:
                self.resolve_obj(o)
                if nm.type is None:
                    self.unsupported(n, f"uses {o.name}, whose initializer gomem does not analyse ({o.val})")
                return nm
            return self.use_name(nm, pos)
        if o.kind == "func":
            self.resolve_obj(o)
            if o.val == "generic":
                self.unsupported(n, f"generic function {o.name} used as a value")
            if o.node is None:
                self.unsupported(n, f"calls {o.name}, which gomem does not analyse ({o.val or 'generic function'})")
            return o.node
        if o.kind == "nil":
            return Node("NIL", pos, T.UNTYPED_NIL)
        if o.kind == "type":
            self.err(n, f"{o.name} (type) is not an expression")
        if o.kind == "builtin":
            self.err(n, f"{o.name} (built-in function) must be called")
        if o.kind == "pkg":
            self.err(n, f"use of package {o.name} without selector")
        self.err(n, f"bad name {o.name}")

    def basic_lit(self, n) -> Node:
        t = n.type
        pos = S.start(n)
        txt = S.text(n)
        if t == "int_literal":
            return lit(pos, stdlib.int_value(txt), "int", T.UNTYPED_INT)
        if t == "float_literal":
            return lit(pos, stdlib.float_value(txt), "float", T.UNTYPED_FLOAT)
        if t == "imaginary_literal":
            body = txt[:-1]
            v = stdlib.int_value(body) if body.replace("_", "").isdigit() else stdlib.float_value(body)
            return lit(pos, complex(0, float(v)), "complex", T.UNTYPED_COMPLEX)
        if t == "rune_literal":
            return lit(pos, stdlib.rune_value(txt), "rune", T.UNTYPED_RUNE)
        return lit(pos, stdlib.go_unquote(txt), "string", T.UNTYPED_STRING)

    # -- selectors --------------------------------------------------------------------------------------

    def lookup_member(self, t: T.Type, name: str):
        """Go's selector lookup: ('field', Field, path) | ('method', Func, path) | ('imethod', IMethod, path) | None.

        path lists the embedded fields walked through, as (Field, type containing it).
        """
        start = t
        if isinstance(t, T.Pointer) and not t.elem_type.u.kind == "iface":
            start = t.elem_type
        elif isinstance(t, T.Named) and isinstance(t.u, T.Pointer):
            start = t.u.elem_type
        current = [(start, [])]
        seen = set()
        while current:
            found = []
            nxt = []
            for typ, path in current:
                base = typ.elem_type if isinstance(typ, T.Pointer) else typ
                if isinstance(base, T.Named):
                    if id(base) in seen:
                        continue
                    seen.add(id(base))
                    if base.pkg and not base.local:
                        self.ensure_methods(base)
                    if name in base.methods:
                        found.append(("method", base.methods[name], path))
                    elif getattr(base, "origin", None) is not None and name in base.origin.templates:
                        found.append(("method", self.instantiate_method(base.origin.templates[name], base), path))
                u = base.u
                if isinstance(u, T.Struct):
                    for f in u.fields:
                        if f.name == name:
                            found.append(("field", f, path))
                        if f.embedded:
                            nxt.append((f.type, path + [(f, typ)]))
                elif isinstance(u, T.Interface):
                    m = u.method(name)
                    if m is not None:
                        found.append(("imethod", m, path))
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return ("ambiguous", None, None)
            current = nxt
        return None

    def ensure_methods(self, nt: T.Named):
        pk = self.loader.pkgs.get(nt.pkg)
        if pk is not None:
            o = pk.scope.names.get(nt.name)
            if o is not None:
                self.loader.resolve(pk, o)
            self.loader.methods(pk)

    def dot_path(self, x: Node, path, pos) -> Node:
        for f, _ in path:
            x = self.field_sel(x, f, pos)
        return x

    def field_sel(self, x: Node, f: T.Field, pos) -> Node:
        if x.type.is_ptr():
            n = Node("DOTPTR", pos, f.type, x=x, sel=f.name, field=f)
        else:
            n = Node("DOT", pos, f.type, x=x, sel=f.name, field=f)
        n.spos = pos
        return n

    def recv_adjust(self, x: Node, want_ptr: bool, pos) -> Node:
        """Implicit & or * so that x fits a receiver that is (or is not) a pointer."""
        is_ptr = x.type.is_ptr()
        if want_ptr and not is_ptr:
            return self.addr(x, pos, implicit=True)
        if not want_ptr and is_ptr:
            n = Node("DEREF", pos, x.type.u.elem_type, x=x, implicit=True)
            n.spos = pos
            return n
        return x

    def method_sig(self, fn: Func) -> T.Signature:
        if fn.stub:
            return stdlib.method_sig(fn)
        return fn.sig

    def selector(self, n) -> Node:
        opn = n.child_by_field_name("operand")
        name = S.text(n.child_by_field_name("field"))
        pos = S.pos(n)
        # qualified identifier
        if opn.type == "identifier":
            o = self.fs.scope.lookup(S.text(opn))
            if o is not None and o.kind == "pkg":
                pk = o.pkg
                if pk.path == "C":
                    self.unsupported(n, "cgo")
                if getattr(pk, "unknown", False):
                    self.unsupported(n, f'package "{pk.path}" is not described in gomem\'s standard-library stubs')
                m = pk.scope.names.get(name)
                if m is None:
                    if name in pk.generic:
                        self.unsupported(n, f"generic function {S.text(n)}")
                    self.unsupported(n, f"{pk.path}.{name} is not described in gomem's standard-library stubs")
                self.loader.resolve(pk, m)
                if m.kind == "const":
                    return lit(pos, m.val, m.ckind, m.type)
                if m.kind == "var":
                    return m.node
                if m.kind == "func":
                    if m.val == "generic":
                        self.unsupported(n, f"generic function {S.text(n)} used as a value")
                    return m.node
                if m.kind == "type":
                    self.err(n, f"{S.text(n)} (type) is not an expression")
        # method expression T.M / (*T).M
        tt = self.try_type(opn)
        if tt is not None:
            r = self.lookup_member(tt, name)
            if r is None or r[0] not in ("method", "imethod"):
                self.err(n, f"{S.text(n)} undefined")
            if r[0] == "imethod":
                self.unsupported(n, "method expressions of interface types")
            fn = r[1]
            sig = self.method_sig(fn)
            ft = T.Signature([T.Param("", tt)] + list(sig.params), list(sig.results), sig.variadic)
            x = Node("METHEXPR", pos, ft, x=Node("TYPE", pos, tt), sel=name, method=fn)
            if r[2]:
                self.unsupported(n, "method expressions through embedded fields")
            return x
        x = self.expr(opn)
        if x.type is None:
            self.err(n, "selector on void value")
        r = self.lookup_member(x.type, name)
        if r is None:
            self.err(n, f"{S.text(n)} undefined (type {T.fmt_type(x.type)} has no field or method {name})")
        kind, obj, path = r
        if kind == "ambiguous":
            self.err(n, f"ambiguous selector {S.text(n)}")
        x = self.dot_path(x, path, pos)
        if kind == "field":
            return self.field_sel(x, obj, pos)
        if kind == "imethod":
            if x.type.is_ptr():
                x = Node("DEREF", pos, x.type.u.elem_type, x=x, implicit=True)
            mv = Node("METHVALUE", pos, obj.sig, x=x, sel=name)
            mv.extra = ("iface", obj)
            return mv
        fn: Func = obj
        sig = self.method_sig(fn)
        x = self.recv_adjust(x, fn.ptr_recv, pos)
        mv = Node("METHVALUE", pos, T.Signature(list(sig.params), list(sig.results), sig.variadic), x=x, sel=name, method=fn)
        return mv

    def call(self, n) -> Node:
        fnode = n.child_by_field_name("function")
        argl = n.child_by_field_name("arguments")
        pos = S.pos(n)
        args = [c for c in S.named_children(argl)]
        has_dots = any(not c.is_named and c.type == "..." for c in argl.children)
        if args and args[-1].type == "variadic_argument":
            has_dots = True
            args[-1] = S.named_children(args[-1])[0]
        # generic functions: F(args), F[T](args)
        targn = n.child_by_field_name("type_arguments")
        gnode, explicit = fnode, None
        if targn is not None:
            explicit = [self.type_of(self.type_arg_node(a), self.fs.scope) for a in S.named_children(targn)]
        elif fnode.type == "index_expression":
            gnode = fnode.child_by_field_name("operand")
        if gnode.type == "identifier":
            go = self.fs.scope.lookup(S.text(gnode))
            if go is not None and go.kind == "func" and go.val == "generic":
                if gnode is not fnode and explicit is None:
                    idx = fnode.child_by_field_name("index")
                    explicit = [self.type_of(self.type_arg_node(a), self.fs.scope)
                                for a in ([idx] if idx.type != "type_arguments" else S.named_children(idx))]
                return self.generic_call(go, explicit, args, has_dots, pos, n)
        elif gnode.type == "selector_expression":
            po = gnode.child_by_field_name("operand")
            if po.type == "identifier":
                pko = self.fs.scope.lookup(S.text(po))
                if pko is not None and pko.kind == "pkg" and not getattr(pko.pkg, "unknown", False) and pko.pkg.path != "C":
                    go = pko.pkg.scope.names.get(S.text(gnode.child_by_field_name("field")))
                    if go is not None and go.kind == "func" and go.val == "generic":
                        if gnode is not fnode and explicit is None:
                            idx = fnode.child_by_field_name("index")
                            explicit = [self.type_of(self.type_arg_node(a), self.fs.scope)
                                        for a in ([idx] if idx.type != "type_arguments" else S.named_children(idx))]
                        return self.generic_call(go, explicit, args, has_dots, pos, n)
        elif targn is not None:
            self.unsupported(n, "generic functions from other packages")
        # conversion
        tt = self.try_type(fnode)
        if tt is not None:
            if len(args) != 1:
                self.err(n, "conversion needs exactly one argument")
            return self.conversion(tt, args[0], n)
        # builtins
        inner = fnode
        while inner.type == "parenthesized_expression":
            inner = S.named_children(inner)[0]
        if inner.type == "identifier":
            o = self.fs.scope.lookup(S.text(inner))
            if o is not None and o.kind == "builtin":
                return self.builtin_call(o.name, args, has_dots, n, pos)
        if inner.type == "selector_expression":
            po = inner.child_by_field_name("operand")
            if po.type == "identifier":
                o = self.fs.scope.lookup(S.text(po))
                if o is not None and o.kind == "pkg" and o.pkg.path == "unsafe":
                    return self.unsafe_call(S.text(inner.child_by_field_name("field")), args, n, pos)
        # method calls
        if fnode.type == "selector_expression":
            opn = fnode.child_by_field_name("operand")
            name = S.text(fnode.child_by_field_name("field"))
            is_pkg = False
            if opn.type == "identifier":
                o = self.fs.scope.lookup(S.text(opn))
                is_pkg = o is not None and o.kind == "pkg"
            if not is_pkg and self.try_type(opn) is None:
                recv = self.expr(opn)
                r = self.lookup_member(recv.type, name) if recv.type is not None else None
                if r is not None and r[0] in ("method", "imethod"):
                    dpos = S.pos(fnode)
                    recv = self.dot_path(recv, r[2], dpos)
                    if r[0] == "imethod":
                        m: T.IMethod = r[1]
                        if recv.type.is_ptr():
                            self.err(fnode, "pointer to interface has no methods")
                        fun = Node("DOTINTER", dpos, m.sig, x=recv, sel=name)
                        fun.extra = m
                        cargs, init, ddd = self.args_for(m.sig, args, has_dots, pos)
                        c = Node("CALLINTER", pos, self.result_type(m.sig), fun=fun, args=cargs, is_ddd=ddd)
                        c.init = init
                        self.rewrite_non_name_call(c, fun, "x")
                        return self.devirtualize(c)
                    fn: Func = r[1]
                    sig = self.method_sig(fn)
                    dargs = []
                    if getattr(fn, "dict_param", None) is not None:
                        # a generic type's method: the copy for the receiver's shape, plus the dictionary
                        base = recv.type.u.elem_type if recv.type.is_ptr() and not recv.type.is_named() else recv.type
                        label = T.fmt_type(base, qualify=True)
                        if getattr(base, "origin", None) is not None:
                            label = f"{base.origin.name}[{','.join(T.fmt_type(a, qualify=True) for a in base.targs)}]"
                        dargs = [self.dict_arg(label, fnode)]
                        sig = T.Signature(list(sig.params[1:]), list(sig.results), sig.variadic, sig.recv)
                        sig = self.concrete_method_sig(fn, base, sig)
                    recv = self.recv_adjust(recv, fn.ptr_recv, dpos)
                    ft = T.Signature([T.Param("", fn.recv_type)] + list(sig.params), list(sig.results), sig.variadic)
                    fun = Node("METHEXPR", dpos, ft, x=Node("TYPE", dpos, fn.recv_type), sel=name, method=fn)
                    cargs, init, ddd = self.args_for(sig, args, has_dots, pos)
                    c = Node("CALLFUNC", pos, self.result_type(sig), fun=fun, args=[recv] + dargs + cargs, is_ddd=ddd)
                    c.init = init
                    return c
                if r is not None and r[0] == "field":
                    fx = self.field_sel(self.dot_path(recv, r[2], S.pos(fnode)), r[1], S.pos(fnode))
                    return self.call_value(fx, args, has_dots, pos, n)
                if r is None:
                    base = recv.type.u.elem_type if recv.type.is_ptr() and isinstance(recv.type, T.Pointer) else recv.type
                    cons = getattr(base, "constraint", None)
                    if getattr(base, "is_shape", False) and cons is not None and cons.method(name) is not None:
                        return self.type_param_method_call(recv, cons.method(name), args, has_dots, pos, S.pos(fnode))
                    self.err(fnode, f"{S.text(fnode)} undefined")
        fx = self.expr(fnode)
        return self.call_value(fx, args, has_dots, pos, n)

    def call_value(self, fx: Node, args, has_dots, pos, n) -> Node:
        sig = fx.type.u if fx.type is not None else None
        if not isinstance(sig, T.Signature):
            self.err(n, "cannot call non-function")
        if fx.op == "METHEXPR":
            # T.M(recv, args...)
            cargs, init, ddd = self.args_for(sig, args, has_dots, pos)
            c = Node("CALLFUNC", pos, self.result_type(sig), fun=fx, args=cargs, is_ddd=ddd)
            c.init = init
            return c
        if fx.op == "METHVALUE":
            # x.M(...) through a parenthesized selector: still a method call
            pass
        cargs, init, ddd = self.args_for(sig, args, has_dots, pos)
        c = Node("CALLFUNC", pos, self.result_type(sig), fun=fx, args=cargs, is_ddd=ddd)
        c.init = init
        if fx.op == "METHVALUE":
            self.rewrite_non_name_call(c, fx, "x")
        else:
            self.rewrite_non_name_call(c, c, "fun")
        return c

    def rewrite_non_name_call(self, c: Node, holder, attr: str, idx=None):
        """f()(args) -> t := f(); t(args); likewise for a method call's receiver (typecheck.RewriteNonNameCall)."""
        x = getattr(holder, attr) if idx is None else getattr(holder, attr)[idx]
        if x is None or not _has_call_or_chan(x):
            return
        tmp = self.new_temp(c.pos, x.type)
        as_ = Node("AS", c.pos, x=tmp, y=x)
        as_.init = [Node("DCL", c.pos, x=tmp)]
        c.init.append(as_)
        if idx is None:
            setattr(holder, attr, tmp)
        else:
            getattr(holder, attr)[idx] = tmp

    def result_type(self, sig: T.Signature):
        if not sig.results:
            return None
        if len(sig.results) == 1:
            return sig.results[0].type
        return T.Tuple([r.type for r in sig.results])

    def multi_expr(self, exprs, dst_type, pos, commaok: bool = False) -> list:
        """Values of an expression list for assignment (the reader's multiExpr).

        A single multi-value expression (a call; with commaok, also a map index, type
        assertion or receive) is assigned to fresh temporaries first; the values are then
        the temporaries, converted to the destination types.
        """
        if len(exprs) == 1:
            n = exprs[0]
            inner = n
            while inner.type == "parenthesized_expression":
                inner = S.named_children(inner)[0]
            kind = None
            if commaok and inner.type == "index_expression":
                x = self.expr(n)
                if x.op == "INDEXMAP":
                    kind = "AS2MAPR"
                    tys = [x.type, T.BOOL]
            elif commaok and inner.type == "type_assertion_expression":
                x = self.expr(n)
                x.op = "DOTTYPE2"
                kind = "AS2DOTTYPE"
                tys = [x.type, T.BOOL]
            elif commaok and inner.type == "unary_expression" and S.text(inner).startswith("<-"):
                x = self.expr(n)
                kind = "AS2RECV"
                tys = [x.type, T.BOOL]
            else:
                x = self.expr(n)
                if isinstance(x.type, T.Tuple):
                    kind = "AS2FUNC"
                    tys = list(x.type.types)
            if kind is None:
                return [self.assign_conv_at(x, dst_type(0), S.pos(n))]
            temps = [self.new_temp(pos, t) for t in tys]
            st = Node(kind, pos, lhs=list(temps), rhs=[x], def_=True)
            st.init = [Node("DCL", pos, x=t) for t in temps]
            for t in temps:
                t.defn = st
            vals = []
            for i, t in enumerate(temps):
                d = dst_type(i)
                if d is not None and not T.identical(d, t.type):
                    v = Node("CONVIFACE" if d.is_interface() else "CONVNOP", pos, d, x=t, implicit=True)
                    v.spos = pos
                else:
                    v = t
                vals.append(v)
            v0 = vals[0]
            if isinstance(v0, Name):
                w = Node("CONVNOP", pos, v0.type, x=v0)
                w.spos = pos
                w.extra = "init-holder"
                v0 = w
            v0.init = [st] + v0.init
            vals[0] = v0
            return vals
        return [self.assign_conv_at(self.expr(e), dst_type(i), S.pos(e)) for i, e in enumerate(exprs)]

    def args_for(self, sig: T.Signature, args, has_dots: bool, pos):
        """Arguments converted to the parameter types: (args, init statements, is_ddd)."""
        params = sig.params

        def dst(i):
            if sig.variadic and not has_dots and i >= len(params) - 1:
                return params[-1].type.elem()
            return params[i].type if i < len(params) else None

        if len(args) == 1:
            vals = self.multi_expr(args, dst, pos)
            spos = [S.pos(args[0])] * len(vals) if len(vals) == 1 else [pos] * len(vals)
        else:
            vals = [self.expr(a) for a in args]
            spos = [S.pos(a) for a in args]
        return self._finish_args(sig, vals, spos, has_dots, pos, [])

    def _finish_args(self, sig: T.Signature, vals, spos, has_dots, pos, init):
        params = sig.params
        out = []
        if sig.variadic and not has_dots:
            nfixed = len(params) - 1
            if len(vals) < nfixed:
                raise CheckError(pos, "not enough arguments in call")
            for i in range(nfixed):
                out.append(self.assign_conv_at(vals[i], params[i].type, spos[i]))
            st = params[-1].type
            extra = vals[nfixed:]
            if not extra:
                nil = Node("NIL", pos, st)
                nil.spos = pos
                out.append(nil)
            else:
                elems = [self.assign_conv_at(v, st.elem(), sp) for v, sp in zip(extra, spos[nfixed:])]
                sl = Node("SLICELIT", pos, st, list=elems, implicit=True)
                sl.spos = pos
                out.append(sl)
            return out, init, True
        if len(vals) != len(params):
            raise CheckError(pos, f"wrong argument count in call: have {len(vals)}, want {len(params)}")
        for i, v in enumerate(vals):
            out.append(self.assign_conv_at(v, params[i].type, spos[i]))
        return out, init, has_dots

    def devirtualize(self, c: Node) -> Node:
        """Interface calls are devirtualized later, once every assignment is known (:mod:`.devirt`)."""
        return c

    # -- builtins ----------------------------------------------------------------------------------------

    def builtin_call(self, name: str, args, has_dots: bool, n, pos) -> Node:
        if name in ("len", "cap"):
            x = self.expr(args[0])
            op = "LEN" if name == "len" else "CAP"
            t = x.type.u if x.type is not None else None
            if name == "len" and is_const(x) and x.type.is_string():
                return lit(pos, len(x.val.encode("utf-8", "surrogateescape")), "int", T.INT)
            arr = t.elem_type.u if isinstance(t, T.Pointer) else t
            if isinstance(arr, T.Array) and not _has_call_or_recv(x):
                return lit(pos, arr.n, "int", T.INT)
            return Node(op, pos, T.INT, x=x)
        if name == "new":
            t = self.type_of(args[0], self.fs.scope)
            return Node("NEW", pos, T.Pointer(t))
        if name == "make":
            t = self.type_of(args[0], self.fs.scope)
            rest = [self.rvalue_int(a) for a in args[1:]]
            u = t.u
            if isinstance(u, T.Slice):
                return Node("MAKESLICE", pos, t, len=rest[0] if rest else None, cap=rest[1] if len(rest) > 1 else None)
            if isinstance(u, T.Map):
                return Node("MAKEMAP", pos, t, len=rest[0] if rest else None)
            if isinstance(u, T.Chan):
                return Node("MAKECHAN", pos, t, len=rest[0] if rest else None)
            self.err(n, "cannot make " + T.fmt_type(t))
        if name == "append":
            s = self.expr(args[0])
            if s.type is None or s.type.kind == "untyped nil":
                self.err(n, "first argument to append must be a typed slice")
            st = s.type
            if has_dots:
                y = self.expr(args[1])
                if is_const(y) and y.type.is_untyped():
                    y = self.default_conv(y)
                elif not y.type.is_string():
                    y = self.assign_conv_at(y, st, S.pos(args[1]))
                return Node("APPEND", pos, st, args=[s, y], is_ddd=True)
            elems = [self.rvalue(a, st.elem()) for a in args[1:]]
            return Node("APPEND", pos, st, args=[s] + elems)
        if name == "copy":
            x = self.expr(args[0])
            y = self.expr(args[1])
            if is_const(y):
                y = self.default_conv(y)
            return Node("COPY", pos, T.INT, x=x, y=y)
        if name == "delete":
            m = self.expr(args[0])
            k = self.rvalue(args[1], m.type.u.key)
            return Node("DELETE", pos, None, args=[m, k])
        if name == "panic":
            x = self.rvalue(args[0], T.ANY)
            return Node("PANIC", pos, None, x=x)
        if name in ("print", "println"):
            xs = [self.default_conv(self.expr(a)) for a in args]
            return Node("PRINT" if name == "print" else "PRINTLN", pos, None, args=xs)
        if name == "recover":
            return Node("RECOVER", pos, T.ANY, args=[])
        if name == "close":
            return Node("CLOSE", pos, None, x=self.expr(args[0]))
        if name == "clear":
            return Node("CLEAR", pos, None, x=self.expr(args[0]))
        if name in ("min", "max"):
            xs = [self.expr(a) for a in args]
            if all(is_const(x) for x in xs):
                best = xs[0]
                for x in xs[1:]:
                    v, _ = C.binop("LT", x.val, const_kind_of(x), best.val, const_kind_of(best), True)
                    if (name == "min") == bool(v):
                        best = x
                k = const_kind_of(best)
                for x in xs:
                    k = C.larger_kind(k, const_kind_of(x))
                typ = next((x.type for x in xs if not x.type.is_untyped()), C.untyped_type(k))
                return lit(pos, C.to_kind(best.val, k), k, typ)
            typ = next((x.type for x in xs if not x.type.is_untyped()), None) or T.default_type(xs[0].type)
            xs = [self.assign_conv(x, typ) for x in xs]
            return Node("MIN" if name == "min" else "MAX", pos, typ, args=xs)
        if name == "complex":
            a, b = self.expr(args[0]), self.expr(args[1])
            if is_const(a) and is_const(b):
                return lit(pos, complex(float(C.to_kind(a.val, "float")), float(C.to_kind(b.val, "float"))), "complex",
                           T.UNTYPED_COMPLEX if a.type.is_untyped() and b.type.is_untyped() else T.COMPLEX128)
            ft = a.type if not a.type.is_untyped() else b.type
            t = T.COMPLEX64 if ft.u.kind == "float32" else T.COMPLEX128
            return Node("COMPLEX", pos, t, x=self.assign_conv(a, ft), y=self.assign_conv(b, ft))
        if name in ("real", "imag"):
            x = self.expr(args[0])
            if is_const(x):
                c = C.to_kind(x.val, "complex")
                v = c.real if name == "real" else c.imag
                return lit(pos, C.to_kind(v, "float"), "float", T.UNTYPED_FLOAT if x.type.is_untyped() else T.FLOAT64)
            t = T.FLOAT32 if x.type.u.kind == "complex64" else T.FLOAT64
            return Node("REAL" if name == "real" else "IMAG", pos, t, x=x)
        self.unsupported(n, f"builtin {name}")

    def unsafe_call(self, name: str, args, n, pos) -> Node:
        if name in ("Sizeof", "Alignof"):
            x = self.default_conv(self.expr(args[0]))
            v = x.type.size() if name == "Sizeof" else x.type.align()
            return lit(pos, v, "int", T.UINTPTR)
        if name == "Offsetof":
            sel = args[0]
            while sel.type == "parenthesized_expression":
                sel = S.named_children(sel)[0]
            x = self.expr(sel.child_by_field_name("operand"))
            st = x.type.u.elem_type.u if x.type.is_ptr() else x.type.u
            off = 0
            want = S.text(sel.child_by_field_name("field"))
            for f in getattr(st, "fields", []):
                a = f.type.align()
                off = (off + a - 1) // a * a
                if f.name == want:
                    return lit(pos, off, "int", T.UINTPTR)
                off += f.type.size()
            self.unsupported(n, "unsafe.Offsetof of a promoted field")
        if name == "Add":
            p = self.expr(args[0])
            return Node("UNSAFEADD", pos, T.UNSAFE_POINTER, x=p, y=self.rvalue_int(args[1]))
        if name in ("Slice", "String"):
            p = self.expr(args[0])
            t = T.Slice(p.type.u.elem_type) if name == "Slice" else T.STRING
            return Node("UNSAFESLICE" if name == "Slice" else "UNSAFESTRING", pos, t, x=p, y=self.rvalue_int(args[1]))
        if name in ("StringData", "SliceData"):
            x = self.expr(args[0])
            t = T.Pointer(T.BYTE) if name == "StringData" else T.Pointer(x.type.u.elem_type)
            return Node("UNSAFESTRINGDATA" if name == "StringData" else "UNSAFESLICEDATA", pos, t, x=x)
        self.unsupported(n, f"unsafe.{name}")

    def rvalue_int(self, a) -> Node:
        x = self.expr(a)
        if is_const(x) and x.type.is_untyped():
            v, k = C.represent(x.val, const_kind_of(x), T.INT)
            n = lit(x.pos, v, k, T.INT)
            return n
        return x

    # -- conversions ---------------------------------------------------------------------------------------

    def conversion(self, t: T.Type, argn, n) -> Node:
        x = self.expr(argn)
        apos = S.pos(argn)
        cpos = S.pos(n)
        src = x.type
        tu = t.u
        if is_const(x) and isinstance(tu, T.Basic) and tu.kind not in ("unsafe.Pointer",):
            k = const_kind_of(x)
            if tu.kind == "string" and k not in ("string", "int", "rune"):
                pass
            else:
                v, k2 = C.represent(x.val, k, t)
                r = lit(cpos, v, k2, t)
                return r
        if x.op == "NIL" or (src is not None and src.kind == "untyped nil"):
            r = Node("NIL", cpos, t)
            return r
        if src is not None and src.is_untyped():
            x = self.default_conv(x)
            src = x.type
        su = src.u
        if t.is_interface():
            if src.is_interface() and T.identical(src.u, t.u):
                op = "CONVNOP"
            else:
                op = "CONVIFACE"
            r = Node(op, apos, t, x=x)
            return r
        if tu.kind == "string" and isinstance(su, T.Slice):
            op = "BYTES2STR" if su.elem_type.u.kind == "uint8" else "RUNES2STR"
            return Node(op, apos, t, x=x)
        if isinstance(tu, T.Slice) and su.kind in ("string", "untyped string"):
            op = "STR2BYTES" if tu.elem_type.u.kind == "uint8" else "STR2RUNES"
            if op == "STR2RUNES" and is_const(x):
                # the compiler turns []rune("const") into a []rune{...} literal
                elems = [lit(apos, ord(ch), "int", tu.elem_type) for ch in x.val]
                return Node("SLICELIT", apos, t, list=elems)
            return Node(op, apos, t, x=x)
        if tu.kind == "string" and su.kind in T.INTEGER_KINDS:
            return Node("RUNESTR", apos, t, x=x)
        if isinstance(tu, T.Array) and isinstance(su, T.Slice):
            return Node("SLICE2ARR", apos, t, x=x)
        if isinstance(tu, T.Pointer) and isinstance(tu.elem_type.u, T.Array) and isinstance(su, T.Slice):
            return Node("SLICE2ARRPTR", apos, t, x=x)
        if T.identical(su, tu) or (isinstance(su, T.Pointer) and isinstance(tu, T.Pointer)
                                   and T.identical(su.elem_type.u, tu.elem_type.u)):
            return Node("CONVNOP", apos, t, x=x)
        if tu.kind == "unsafe.Pointer" or su.kind == "unsafe.Pointer":
            return Node("CONVNOP", apos, t, x=x)
        return Node("CONV", apos, t, x=x)

    # -- composite literals -----------------------------------------------------------------------------

    def composite_lit(self, n, typ: Optional[T.Type]) -> Node:
        tn = n.child_by_field_name("type")
        body = n.child_by_field_name("body") if n.type == "composite_literal" else n
        pos = S.start(body)
        if tn is not None:
            typ = self.type_of(tn, self.fs.scope)
        if typ is None:
            self.err(n, "missing type in composite literal")
        u = typ.u
        if isinstance(u, T.Pointer):
            # &T{...} elided in a []*T literal
            inner = self.composite_lit(body, u.elem_type)
            p = Node("PTRLIT", pos, typ, x=inner, implicit=True)
            p.spos = pos
            return p
        elems = [c for c in S.named_children(body) if c.type in ("literal_element", "keyed_element")]
        if isinstance(u, T.Struct):
            lst = []
            for i, el in enumerate(elems):
                if el.type == "keyed_element":
                    kn, vn = S.named_children(el)[0], S.named_children(el)[1]
                    fname = S.text(kn)
                    f = u.field(fname)
                    if f is None:
                        self.err(el, f"unknown field {fname} in struct literal")
                    v = self.elem_value(vn, f.type)
                else:
                    if i >= len(u.fields):
                        self.err(el, "too many values in struct literal")
                    f = u.fields[i]
                    v = self.elem_value(el, f.type)
                sk = Node("STRUCTKEY", S.pos(el), None, sel=f.name, value=v, field=f)
                lst.append(sk)
            x = Node("STRUCTLIT", pos, typ, list=lst)
            return x
        if isinstance(u, (T.Array, T.Slice)):
            lst = []
            idx = 0
            maxn = 0
            for el in elems:
                if el.type == "keyed_element":
                    kn, vn = S.named_children(el)[0], S.named_children(el)[1]
                    kx = self.expr(S.named_children(kn)[0] if kn.type == "literal_element" else kn)
                    if not is_const(kx):
                        self.err(kn, "index must be non-negative integer constant")
                    idx = int(kx.val)
                    v = self.elem_value(vn, u.elem_type)
                    kx = lit(kx.pos, idx, "int", T.INT)
                    lst.append(Node("KEY", S.pos(el), None, key=kx, value=v))
                else:
                    v = self.elem_value(el, u.elem_type)
                    lst.append(v)
                idx += 1
                maxn = max(maxn, idx)
            if isinstance(u, T.Array) and u.n < 0:
                typ = T.Array(u.elem_type, maxn)
            op = "ARRAYLIT" if isinstance(typ.u, T.Array) else "SLICELIT"
            x = Node(op, pos, typ, list=lst)
            x.extra = maxn
            return x
        if isinstance(u, T.Map):
            lst = []
            for el in elems:
                if el.type != "keyed_element":
                    self.err(el, "missing key in map literal")
                kn, vn = S.named_children(el)[0], S.named_children(el)[1]
                k = self.elem_value(kn, u.key)
                v = self.elem_value(vn, u.elem_type)
                lst.append(Node("KEY", S.pos(el), None, key=k, value=v))
            return Node("MAPLIT", pos, typ, list=lst)
        self.err(n, "invalid composite literal type " + T.fmt_type(typ))

    def elem_value(self, el, t: T.Type) -> Node:
        if el.type == "literal_element":
            inner = S.named_children(el)[0]
        else:
            inner = el
        if inner.type == "literal_value":
            return self.composite_lit(inner, t)
        return self.rvalue(inner, t)

    # -- function literals --------------------------------------------------------------------------------

    def func_lit(self, n) -> Node:
        sig, plist, rlist = self.signature(n.child_by_field_name("parameters"), n.child_by_field_name("result"), self.fs.scope)
        outer = self.fs.fn
        pos = S.start(n)
        fn = Func(self.closure_name(outer, "func"), pos, sig)
        fn.parent = outer
        clo = Node("CLOSURE", pos, sig, func=fn)
        clo.spos = pos
        fn.oclosure = clo
        fn.nname = Name(fn.name, pos, sig, ir.PFUNC)
        fn.nname.fn = fn
        for i, (pn, pt, ppos) in enumerate(plist):
            nm = Name(pn if pn else f"~p{i}", ppos, pt, ir.PPARAM, fn)
            nm.blank = (not pn) or pn == "_"
            fn.params.append(nm)
            fn.dcl.append(nm)
        for i, (rn, rt, rpos) in enumerate(rlist):
            sym = rn if rn and rn != "_" else (f"~r{i}" if not rn else f"~b{i}")
            nm = Name(sym, rpos, rt, ir.PPARAMOUT, fn)
            fn.results.append(nm)
            fn.dcl.append(nm)
        self.all_closures.append(fn)
        scope = Scope(self.fs.scope, fn)
        for nm in fn.dcl:
            if not nm.blank and not nm.sym.startswith("~"):
                scope.names[nm.sym] = Obj("var", nm.sym, type=nm.type, node=nm)
        saved = self.fs
        self.fs = FnState(fn, scope, saved)
        try:
            fn.body = self.block(n.child_by_field_name("body"), scope)
            self.loopvar(fn)
        finally:
            self.fs = saved
        return clo

    def closure_name(self, outer: Func, why: str) -> str:
        if outer.is_init:
            self.closure_gen_glob += 1
            return f"init.{why}{self.closure_gen_glob}"
        if why == "func":
            outer.closure_count += 1
            return f"{outer.name}.func{outer.closure_count}" if outer.oclosure is None else f"{outer.name}.{outer.closure_count}"
        outer.gowrap_count += 1
        return f"{outer.name}.{why}{outer.gowrap_count}"

    # -- operators ------------------------------------------------------------------------------------------

    def unary(self, n) -> Node:
        op = S.text(n.child_by_field_name("operator")) if n.child_by_field_name("operator") else S.text(n)[:1]
        opn = n.child_by_field_name("operand")
        pos = S.start(n)
        if op == "&":
            inner = opn
            while inner.type == "parenthesized_expression":
                inner = S.named_children(inner)[0]
            if inner.type == "composite_literal":
                cl = self.composite_lit(inner, None)
                p = Node("PTRLIT", pos, T.Pointer(cl.type), x=cl)
                return p
            x = self.expr(opn)
            return self.addr(x, pos, implicit=False)
        if op == "*":
            x = self.expr(opn)
            if not x.type.is_ptr():
                self.err(n, "invalid indirect")
            return Node("DEREF", pos, x.type.u.elem_type, x=x)
        if op == "<-":
            x = self.expr(opn)
            r = Node("RECV", pos, x.type.u.elem_type, x=x)
            return r
        x = self.expr(opn)
        opname = {"-": "NEG", "+": "PLUS", "!": "NOT", "^": "BITNOT"}[op]
        if is_const(x):
            v, k = C.unop(opname, x.val, const_kind_of(x), x.type)
            if not x.type.is_untyped():
                v, k = C.represent(v, k, x.type)
            return lit(pos, v, k, x.type)
        return Node(opname, pos, x.type, x=x)

    def binary(self, n) -> Node:
        opt = S.text(n.child_by_field_name("operator"))
        op = BINOPS[opt]
        pos = S.pos(n)
        x = self.expr(n.child_by_field_name("left"))
        y = self.expr(n.child_by_field_name("right"))
        if op in ("LSH", "RSH"):
            if is_const(x) and is_const(y):
                v, k = C.binop(op, x.val, const_kind_of(x), y.val, const_kind_of(y), True)
                if not x.type.is_untyped():
                    v, k = C.represent(v, k, x.type)
                return lit(pos, v, k, x.type if not x.type.is_untyped() else C.untyped_type(k))
            if is_const(x) and x.type.is_untyped():
                x = self.default_conv(x)
            if is_const(y) and y.type.is_untyped():
                # an untyped constant shift count becomes a uint
                y = lit(y.pos, int(C.to_kind(y.val, "int")), "int", T.UINT)
            return Node(op, pos, x.type, x=x, y=y)
        if is_const(x) and is_const(y):
            kx, ky = const_kind_of(x), const_kind_of(y)
            typed = x.type if not x.type.is_untyped() else (y.type if not y.type.is_untyped() else None)
            int_div = kx in ("int", "rune") and ky in ("int", "rune")
            if typed is not None:
                int_div = typed.is_integer()
            try:
                v, k = C.binop(op, x.val, kx, y.val, ky, int_div)
            except ZeroDivisionError:
                raise CheckError(pos, "invalid operation: division by zero") from None
            if op in CMP or op in ("ANDAND", "OROR"):
                return lit(pos, v, "bool", T.UNTYPED_BOOL if (op in CMP or typed is None) else typed)
            if typed is not None:
                v, k = C.represent(v, k, typed)
                return lit(pos, v, k, typed)
            return lit(pos, v, k, C.untyped_type(k))
        # mixed: convert untyped operand to the other's type
        if x.type is not None and x.type.is_untyped() and y.type is not None and not y.type.is_untyped():
            x = self.assign_conv(x, y.type) if not y.type.is_interface() else self.default_conv(x)
        elif y.type is not None and y.type.is_untyped() and x.type is not None and not x.type.is_untyped():
            y = self.assign_conv(y, x.type) if not x.type.is_interface() else self.default_conv(y)
        elif x.type is not None and x.type.is_untyped() and y.type is not None and y.type.is_untyped():
            if x.type.kind != "untyped nil":
                x = self.default_conv(x)
            if y.type.kind != "untyped nil":
                y = self.default_conv(y)
        if op in CMP:
            if x.op == "NIL" and y.type is not None:
                x = Node("NIL", x.pos, y.type)
            if y.op == "NIL" and x.type is not None:
                y = Node("NIL", y.pos, x.type)
            # mixed interface/concrete comparisons convert the concrete side
            if x.type.is_interface() and not y.type.is_interface() and y.op != "NIL":
                y = self.assign_conv(y, x.type)
            elif y.type.is_interface() and not x.type.is_interface() and x.op != "NIL":
                x = self.assign_conv(x, y.type)
            return Node(op, pos, T.UNTYPED_BOOL, x=x, y=y)
        if op in ("ANDAND", "OROR"):
            t = x.type if not x.type.is_untyped() else y.type
            return Node(op, pos, t, x=x, y=y)
        if op == "ADD" and x.type.is_string():
            lst = (x.list if x.op == "ADDSTR" else [x]) + (y.list if y.op == "ADDSTR" else [y])
            return Node("ADDSTR", pos, x.type, list=lst)
        return Node(op, pos, x.type, x=x, y=y)

    # -- indexing, slicing, assertions --------------------------------------------------------------------

    def misparsed_call(self, n) -> Optional[Node]:
        """``fs[i](x)`` parses like a generic conversion ``T[i](x)``: when fs is a value, it is a call."""
        tn = n.child_by_field_name("type")
        if tn.type != "generic_type":
            return None
        base = tn.child_by_field_name("type")
        if base.type == "qualified_type":
            # pkg.F[T](x): an explicitly instantiated generic function of the standard library
            pk = base.child_by_field_name("package")
            po = self.fs.scope.lookup(S.text(pk)) if pk is not None else None
            if po is not None and po.kind == "pkg" and not getattr(po.pkg, "unknown", False) and po.pkg.path != "C":
                go = po.pkg.scope.names.get(S.text(base.child_by_field_name("name")))
                if go is not None and go.kind == "func" and go.val == "generic":
                    targs = [self.type_of(self.type_arg_node(a), self.fs.scope)
                             for a in S.named_children(tn.child_by_field_name("type_arguments"))]
                    return self.generic_call(go, targs, [n.child_by_field_name("operand")], False, S.pos(n), n)
            return None
        if base.type != "type_identifier":
            return None
        o = self.fs.scope.lookup(S.text(base))
        if o is None or o.kind not in ("var", "func"):
            return None
        targs = tn.child_by_field_name("type_arguments")
        elems = S.named_children(targs)
        if len(elems) != 1:
            return None
        inner = S.named_children(elems[0])
        if len(inner) != 1 or inner[0].type != "type_identifier":
            return None
        if o.kind == "func":
            if o.val == "generic":
                t = self.type_of(inner[0], self.fs.scope)
                return self.generic_call(o, [t], [n.child_by_field_name("operand")], False, S.pos(n), n)
            self.unsupported(n, "generic functions")
        x = self.ident(base)
        bracket = S.child_tok(targs, "[")
        ipos = S.start(bracket) if bracket is not None else S.start(targs)
        idx = inner[0]
        fx = self.index_of(x, idx, ipos, n)
        fx.spos = ipos
        argn = n.child_by_field_name("operand")
        return self.call_value(fx, [argn], False, S.pos(n), n)

    def index_expr(self, n) -> Node:
        opn = n.child_by_field_name("operand")
        idxn = n.child_by_field_name("index")
        pos = S.pos(n)
        if self.try_type(opn) is not None:
            self.unsupported(n, "generic types")
        x = self.expr(opn)
        if x.op == "NAME" and x.cls == ir.PFUNC:
            self.unsupported(n, "generic functions")
        return self.index_of(x, idxn, pos, n)

    def index_of(self, x: Node, idxn, pos, n) -> Node:
        u = x.type.u
        if isinstance(u, T.Map):
            k = self.rvalue(idxn, u.key)
            return Node("INDEXMAP", pos, u.elem_type, x=x, index=k)
        i = self.rvalue_int(idxn)
        if isinstance(u, T.Pointer) and isinstance(u.elem_type.u, T.Array):
            x = Node("DEREF", pos, u.elem_type, x=x, implicit=True)
            u = u.elem_type.u
        if u.kind in ("string", "untyped string"):
            if is_const(x) and x.type.is_untyped():
                x = self.default_conv(x)
            return Node("INDEX", pos, T.BYTE, x=x, index=i)
        if isinstance(u, (T.Slice, T.Array)):
            return Node("INDEX", pos, u.elem_type, x=x, index=i)
        self.err(n, "cannot index " + T.fmt_type(x.type))

    def slice_expr(self, n) -> Node:
        x = self.expr(n.child_by_field_name("operand"))
        pos = S.pos(n)
        lo = n.child_by_field_name("start")
        hi = n.child_by_field_name("end")
        mx = n.child_by_field_name("capacity")
        lo = self.rvalue_int(lo) if lo is not None else None
        hi = self.rvalue_int(hi) if hi is not None else None
        mx = self.rvalue_int(mx) if mx is not None else None
        u = x.type.u
        three = mx is not None
        if u.kind in ("string", "untyped string"):
            if is_const(x):
                x = self.default_conv(x)
            return Node("SLICESTR", pos, x.type if x.type.u.kind == "string" else T.STRING, x=x, low=lo, high=hi)
        if isinstance(u, T.Array):
            a = self.addr(x, pos, implicit=True)
            return Node("SLICE3ARR" if three else "SLICEARR", pos, T.Slice(u.elem_type), x=a, low=lo, high=hi, max=mx)
        if isinstance(u, T.Pointer) and isinstance(u.elem_type.u, T.Array):
            return Node("SLICE3ARR" if three else "SLICEARR", pos, T.Slice(u.elem_type.u.elem_type), x=x, low=lo, high=hi, max=mx)
        if isinstance(u, T.Slice):
            return Node("SLICE3" if three else "SLICE", pos, x.type, x=x, low=lo, high=hi, max=mx)
        self.err(n, "cannot slice " + T.fmt_type(x.type))

    def type_assert(self, n) -> Node:
        x = self.expr(n.child_by_field_name("operand"))
        t = self.type_of(n.child_by_field_name("type"), self.fs.scope)
        return Node("DOTTYPE", S.pos(n), t, x=x)

    def fix_as2func(self, st: Node) -> Node:
        """Convert the results of a multi-value call assignment where the destinations need it."""
        call = st.rhs[0]
        if not isinstance(call.type, T.Tuple):
            return st
        need = []
        for i, l in enumerate(st.lhs):
            lt = l.type
            rt = call.type.types[i]
            if lt is not None and not T.identical(lt, rt) and not getattr(l, "blank", False):
                need.append(i)
        if not need:
            return st
        # the compiler assigns to temporaries, then converts: t1, t2 := f(); a, b = T(t1), t2
        temps = [self.new_temp(st.pos, t) for t in call.type.types]
        first = Node("AS2FUNC", st.pos, lhs=list(temps), rhs=[call], def_=True)
        for t in temps:
            t.defn = first
        rhs = [self.assign_conv(t, st.lhs[i].type) if i in need else t for i, t in enumerate(temps)]
        second = Node("AS2", st.pos, lhs=st.lhs, rhs=rhs, def_=st.def_)
        blk = Node("BLOCK", st.pos, list=[first, second])
        return blk


class _PosProxy:
    """A name seen at a particular reference position (for implicit conversions of shared name nodes)."""

    def __init__(self, name: Name, spos):
        self._name = name
        self.spos = spos

    def __getattr__(self, k):
        return getattr(self._name, k)


_CALL_OR_CHAN = {"APPEND", "CALLFUNC", "CALLINTER", "CAP", "CLEAR", "CLOSE", "COMPLEX", "COPY", "DELETE", "IMAG", "LEN",
                 "MAKESLICE", "MAKEMAP", "MAKECHAN", "MAX", "MIN", "PANIC", "PRINT", "PRINTLN", "REAL", "RECOVER", "RECV",
                 "UNSAFEADD", "UNSAFESLICE", "UNSAFESLICEDATA", "UNSAFESTRING", "UNSAFESTRINGDATA"}


def _has_call_or_chan(x: Node) -> bool:
    """ir.Any(x, callOrChan), not looking into function literals (new(T) is not a call here)."""
    stack = [x]
    while stack:
        n = stack.pop()
        if n is None or not isinstance(n, Node) or isinstance(n, Name):
            continue
        if n.op in _CALL_OR_CHAN:
            return True
        if n.op == "CLOSURE":
            continue
        for k in ("x", "y", "index", "low", "high", "max", "fun", "len", "cap", "value", "key"):
            v = getattr(n, k, None)
            if isinstance(v, Node):
                stack.append(v)
        for k in ("args", "list"):
            v = getattr(n, k, None)
            if isinstance(v, list):
                stack.extend(v)
    return False


def _has_call_or_recv(x: Node) -> bool:
    stack = [x]
    while stack:
        n = stack.pop()
        if n is None or not isinstance(n, Node):
            continue
        if n.op in ("CALLFUNC", "CALLINTER", "RECV"):
            return True
        for k in ("x", "y", "index", "low", "high"):
            v = getattr(n, k, None)
            if isinstance(v, Node) and not isinstance(v, Name):
                stack.append(v)
    return False
