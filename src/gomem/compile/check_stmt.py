"""Statements: type checking and lowering to the compiler-shaped IR (mixin of the Checker).

Also the two rewrites the compiler makes before escape analysis that change
its results: ``go``/``defer`` normalisation (operands evaluated into
temporaries captured by a wrapper closure) and per-iteration loop variables.
"""

from __future__ import annotations

from typing import Optional

from . import ir
from . import syntax as S
from . import types as T
from .check_base import Scope, is_const, lit
from .ir import Func, Name, Node

ASSIGN_OPS = {"+=": "ADD", "-=": "SUB", "*=": "MUL", "/=": "DIV", "%=": "MOD", "&=": "AND", "|=": "OR", "^=": "XOR",
              "<<=": "LSH", ">>=": "RSH", "&^=": "ANDNOT"}


def _op_tok(n) -> str:
    for c in n.children:
        if not c.is_named and c.type in ("=", ":=") or c.type in ASSIGN_OPS:
            return c.type
    return "="


class StmtMixin:
    # -- blocks -------------------------------------------------------------------------------------

    def block(self, n, scope: Scope) -> list:
        saved = self.fs.scope
        self.fs.scope = scope
        try:
            out = []
            for c in S.named_children(n):
                if c.type == "statement_list":
                    out.extend(self.stmts(S.named_children(c)))
                else:
                    out.extend(self.stmt(c))
            return out
        finally:
            self.fs.scope = saved

    def stmts(self, lst) -> list:
        out = []
        for s in lst:
            out.extend(self.stmt(s))
        return out

    def with_scope(self):
        s = Scope(self.fs.scope, self.fs.fn)
        return s

    def stmt(self, n) -> list:
        t = n.type
        if t in ("expression_statement", "short_var_declaration", "assignment_statement", "inc_statement",
                 "dec_statement", "send_statement"):
            return self.simple_stmt(n)
        if t == "var_declaration":
            return self.var_decl_stmt(n)
        if t == "const_declaration":
            self.declare_consts(n, self.fs.scope, pkglevel=False)
            return []
        if t == "type_declaration":
            for sp in S.named_children(n):
                if sp.type in ("type_spec", "type_alias"):
                    self.declare_type(sp, self.fs.scope, pkglevel=False)
            return []
        if t == "return_statement":
            return [self.return_stmt(n)]
        if t == "if_statement":
            return [self.if_stmt(n)]
        if t == "for_statement":
            return [self.for_stmt(n, None)]
        if t == "expression_switch_statement":
            return [self.switch_stmt(n, None)]
        if t == "type_switch_statement":
            return [self.type_switch_stmt(n, None)]
        if t == "select_statement":
            return [self.select_stmt(n, None)]
        if t in ("go_statement", "defer_statement"):
            return [self.go_defer(n)]
        if t == "labeled_statement":
            return self.labeled(n)
        if t in ("break_statement", "continue_statement", "goto_statement"):
            lb = S.named_children(n)
            op = {"break_statement": "BREAK", "continue_statement": "CONTINUE", "goto_statement": "GOTO"}[t]
            return [Node(op, S.start(n), label=S.text(lb[0]) if lb else None)]
        if t == "fallthrough_statement":
            return [Node("FALL", S.start(n))]
        if t == "block":
            return [Node("BLOCK", S.start(n), list=self.block(n, self.with_scope()))]
        if t == "empty_statement":
            return []
        self.err(n, f"unexpected statement {t}")

    def labeled(self, n) -> list:
        label = S.text(n.child_by_field_name("label"))
        inner = [c for c in S.named_children(n) if c.type != "label_name"]
        out = [Node("LABEL", S.start(n), label=label)]
        if inner:
            s = inner[0]
            if s.type == "for_statement":
                out.append(self.for_stmt(s, label))
            elif s.type == "expression_switch_statement":
                out.append(self.switch_stmt(s, label))
            elif s.type == "type_switch_statement":
                out.append(self.type_switch_stmt(s, label))
            elif s.type == "select_statement":
                out.append(self.select_stmt(s, label))
            else:
                out.extend(self.stmt(s))
        return out

    # -- simple statements ---------------------------------------------------------------------------

    def simple_stmt(self, n) -> list:
        t = n.type
        if t == "expression_statement":
            x = self.expr(S.named_children(n)[0])
            if x.op in ("CALLFUNC", "CALLINTER", "RECV", "APPEND", "COPY", "DELETE", "PANIC", "PRINT", "PRINTLN",
                        "RECOVER", "CLOSE", "CLEAR"):
                return [x]
            return [x]
        if t == "short_var_declaration":
            return self.short_var_decl(n)
        if t == "assignment_statement":
            return self.assign_stmt(n)
        if t in ("inc_statement", "dec_statement"):
            x = self.expr(S.named_children(n)[0])
            one = lit(S.pos(n), 1, "int", x.type)
            return [Node("ASOP", S.pos(n), x=x, y=one, asop="ADD" if t == "inc_statement" else "SUB", incdec=True)]
        if t == "send_statement":
            ch = self.expr(n.child_by_field_name("channel"))
            v = self.rvalue(n.child_by_field_name("value"), ch.type.u.elem_type)
            return [Node("SEND", S.pos(n), x=ch, y=v)]
        self.err(n, f"unexpected simple statement {t}")

    def lhs_expr(self, n) -> Node:
        if n.type == "identifier" and S.text(n) == "_":
            return self.blank(S.start(n))
        return self.expr(n)

    def assign_stmt(self, n) -> list:
        lhs_n = S.named_children(n.child_by_field_name("left"))
        rhs_n = S.named_children(n.child_by_field_name("right"))
        op = _op_tok(n)
        pos = S.pos(n)
        if op in ASSIGN_OPS:
            x = self.expr(lhs_n[0])
            asop = ASSIGN_OPS[op]
            if asop in ("LSH", "RSH"):
                y = self.default_conv(self.expr(rhs_n[0]))
            else:
                y = self.rvalue(rhs_n[0], x.type)
            return [Node("ASOP", pos, x=x, y=y, asop=asop)]
        lhs = [self.lhs_expr(l) for l in lhs_n]
        return [self.assign_list(lhs, rhs_n, pos, def_=False)]

    def assign_list(self, lhs: list, rhs_n: list, pos, def_: bool, new_names=()) -> Node:
        """The assignment lhs = rhs (or :=); new_names (already in the function's Dcl) get the right-hand types.

        Like the compiler's reader: a single multi-value right-hand side (a call, or a
        comma-ok map index / type assertion / receive) is first assigned to temporaries.
        """
        new_ids = {id(x) for x in new_names}

        def dst_type(i):
            if i >= len(lhs):
                return None
            l = lhs[i]
            if id(l) in new_ids or getattr(l, "blank", False):
                return None
            return l.type

        commaok = len(lhs) == 2 and len(rhs_n) == 1
        rhs = self.multi_expr(rhs_n, dst_type, pos, commaok=commaok)
        if len(rhs) != len(lhs):
            self.err(rhs_n[0] if rhs_n else None, f"assignment mismatch: {len(lhs)} variables but {len(rhs)} values")
        for i, (l, r) in enumerate(zip(lhs, rhs)):
            if id(l) in new_ids or (getattr(l, "blank", False) and isinstance(l, Name)):
                r = self.default_conv(r)
                if r.type is not None and r.type.kind == "untyped nil":
                    self.err(rhs_n[0], "use of untyped nil in assignment")
                rhs[i] = r
                if id(l) in new_ids:
                    l.type = r.type
        if len(lhs) == 1:
            return Node("AS", pos, x=lhs[0], y=rhs[0], def_=def_)
        return Node("AS2", pos, lhs=lhs, rhs=rhs, def_=def_)

    def short_var_decl(self, n, scope: Optional[Scope] = None) -> list:
        scope = scope or self.fs.scope
        lhs_n = S.named_children(n.child_by_field_name("left"))
        rhs_n = S.named_children(n.child_by_field_name("right"))
        pos = S.pos(n)
        lhs = []
        new = []
        for l in lhs_n:
            name = S.text(l)
            if name == "_":
                lhs.append(self.blank(S.start(l)))
                continue
            o = scope.names.get(name)
            if o is not None and o.kind == "var":
                lhs.append(self.use_name(o.node, S.start(l)))
            else:
                nm = Name(name, S.start(l), None, ir.PAUTO, self.fs.fn)
                self.fs.fn.dcl.append(nm)
                lhs.append(nm)
                new.append(nm)
        st = self.assign_list(lhs, rhs_n, pos, def_=True, new_names=new)
        self.init_defn(st, new, scope)
        return [st]

    def init_defn(self, st: Node, names: list, scope: Scope):
        dcls = []
        for nm in names:
            nm.defn = st
            dcls.append(Node("DCL", nm.pos, x=nm))
            scope.names[nm.sym] = self.var_obj(nm)
        st.init = dcls + st.init

    def var_obj(self, nm: Name):
        from .check_base import Obj
        return Obj("var", nm.sym, type=nm.type, node=nm)

    def var_decl_stmt(self, n) -> list:
        out = []
        for spec in _var_specs(n):
            names = S.named_field(spec, "name")
            tn = spec.child_by_field_name("type")
            vals = spec.child_by_field_name("value")
            exprs = S.named_children(vals) if vals is not None else []
            t = self.type_of(tn, self.fs.scope) if tn is not None else None
            nms = []
            for nmn in names:
                name = S.text(nmn)
                nm = Name(name, S.start(nmn), t, ir.PAUTO, self.fs.fn)
                if name == "_":
                    nm.blank = True
                else:
                    self.fs.fn.dcl.append(nm)
                nms.append(nm)
            pos = nms[0].pos
            if not exprs:
                for nm in nms:
                    if nm.blank:
                        continue
                    st = Node("AS", nm.pos, x=nm, y=None, def_=False)
                    st.init = [Node("DCL", nm.pos, x=nm)]
                    out.append(st)
                    self.fs.scope.names[nm.sym] = self.var_obj(nm)
                continue
            real = [nm for nm in nms if not nm.blank]
            st = self.assign_list(nms, exprs, pos, def_=True, new_names=[] if t is not None else real)
            self.init_defn(st, real, self.fs.scope)
            out.append(st)
        return out

    # -- return -----------------------------------------------------------------------------------------

    def return_stmt(self, n) -> Node:
        fn = self.fs.fn
        pos = S.start(n)
        kids = S.named_children(n)
        exprs = S.named_children(kids[0]) if kids else []
        res = fn.results
        st = Node("RETURN", pos, list=[])
        if not exprs:
            return st
        vals = self.multi_expr(exprs, lambda i: res[i].type if i < len(res) else None, pos)
        if len(vals) != len(res):
            self.err(n, "wrong number of return values")
        st.list = vals
        return st

    # -- if / for / switch / select -------------------------------------------------------------------

    def if_stmt(self, n) -> Node:
        scope = self.with_scope()
        saved = self.fs.scope
        self.fs.scope = scope
        try:
            init = []
            ini = n.child_by_field_name("initializer")
            if ini is not None:
                init = self.simple_stmt(ini)
            cond = self.default_conv(self.expr(n.child_by_field_name("condition")))
            body = self.block(n.child_by_field_name("consequence"), Scope(scope, self.fs.fn))
            alt = n.child_by_field_name("alternative")
            els = []
            if alt is not None:
                if alt.type == "if_statement":
                    els = [self.if_stmt(alt)]
                else:
                    els = self.block(alt, Scope(scope, self.fs.fn))
            st = Node("IF", S.start(n), cond=cond, body=body, els=els)
            st.init = init
            return st
        finally:
            self.fs.scope = saved

    def for_stmt(self, n, label) -> Node:
        scope = self.with_scope()
        saved = self.fs.scope
        self.fs.scope = scope
        try:
            body_n = n.child_by_field_name("body")
            kids = [c for c in S.named_children(n) if c.id != body_n.id]
            clause = kids[0] if kids else None
            if clause is not None and clause.type == "range_clause":
                return self.range_stmt(n, clause, body_n, scope, label)
            init, cond, post = [], None, None
            loopvars = []
            if clause is not None and clause.type == "for_clause":
                ini = clause.child_by_field_name("initializer")
                if ini is not None:
                    init = self.simple_stmt(ini)
                    if ini.type == "short_var_declaration":
                        loopvars = [d.x for s in init for d in s.init if d.op == "DCL"]
                c = clause.child_by_field_name("condition")
                if c is not None:
                    cond = self.default_conv(self.expr(c))
                p = clause.child_by_field_name("update")
                if p is not None:
                    ps = self.simple_stmt(p)
                    post = ps[0] if len(ps) == 1 else Node("BLOCK", S.start(p), list=ps)
            elif clause is not None:
                cond = self.default_conv(self.expr(clause))
            body = self.block(body_n, Scope(scope, self.fs.fn))
            st = Node("FOR", S.start(n), cond=cond, post=post, body=body, label=label)
            st.init = init
            st.extra = loopvars
            return st
        finally:
            self.fs.scope = saved

    def range_stmt(self, n, clause, body_n, scope: Scope, label) -> Node:
        xn = clause.child_by_field_name("right")
        left = clause.child_by_field_name("left")
        lhs_n = S.named_children(left) if left is not None else []
        is_def = any(not c.is_named and c.type == ":=" for c in clause.children)
        st = Node("RANGE", S.pos(clause), label=label, def_=is_def)
        keys = []
        if is_def:
            for l in lhs_n:
                name = S.text(l)
                nm = Name(name, S.start(l), None, ir.PAUTO, self.fs.fn)
                if name == "_":
                    nm.blank = True
                else:
                    self.fs.fn.dcl.append(nm)
                keys.append(nm)
        else:
            keys = [self.lhs_expr(l) for l in lhs_n]
        ndcl = len(self.fs.fn.dcl)
        x = self.expr(xn)
        u = x.type.u
        if is_const(x) and x.type.is_untyped():
            x = self.default_conv(x)
            u = x.type.u
        if isinstance(u, T.Signature):
            if is_def:
                # the loop variables become the body closure's parameters
                for nm in keys:
                    if nm in self.fs.fn.dcl[:ndcl]:
                        self.fs.fn.dcl.remove(nm)
            return self.range_func(n, clause, body_n, scope, label, x, keys, is_def, lhs_n)
        if isinstance(u, T.Pointer) and isinstance(u.elem_type.u, T.Array):
            kt, vt = T.INT, u.elem_type.u.elem_type
        elif isinstance(u, (T.Slice, T.Array)):
            kt, vt = T.INT, u.elem_type
        elif u.kind in ("string",):
            kt, vt = T.INT, T.RUNE
        elif isinstance(u, T.Map):
            kt, vt = u.key, u.elem_type
        elif isinstance(u, T.Chan):
            kt, vt = u.elem_type, None
        elif u.kind in T.INTEGER_KINDS:
            kt, vt = x.type, None
        else:
            self.err(xn, "cannot range over " + T.fmt_type(x.type))
        st.x = x
        if is_def:
            types_ = [kt, vt]
            for i, nm in enumerate(keys):
                nm.type = types_[i]
                if not nm.blank:
                    scope.names[nm.sym] = self.var_obj(nm)
                    nm.defn = st
                    st.init.append(Node("DCL", nm.pos, x=nm))
        st.key = keys[0] if keys else None
        st.value = keys[1] if len(keys) > 1 else None
        st.body = self.block(body_n, Scope(scope, self.fs.fn))
        return st

    def range_func(self, n, clause, body_n, scope: Scope, label, x: Node, keys, is_def, lhs_n) -> Node:
        """for k, v := range f { body }  as the compiler rewrites it:

            var #stateN = abi.RF_READY
            f(func(k K, v V) bool { #stateN = abi.RF_PANIC; body; #stateN = abi.RF_READY; return true })
            #stateN = abi.RF_EXHAUSTED
        """
        for bad in _walk_no_funclit(body_n):
            if bad.type in ("return_statement", "goto_statement") or (
                    bad.type in ("break_statement", "continue_statement") and S.named_children(bad)):
                self.unsupported(bad, "a range-over-func loop body with return, goto or labelled break/continue")
        if label is not None:
            self.unsupported(n, "a labelled range-over-func loop")
        if not is_def and lhs_n:
            self.unsupported(clause, "a range-over-func loop assigning to existing variables")
        outer = self.fs.fn
        fpos = S.start(n)
        ysig = x.type.u.params[0].type.u
        outer.rangefunc_count = getattr(outer, "rangefunc_count", 0) + 1
        state = Name(f"#state{outer.rangefunc_count}", fpos, T.INT, ir.PAUTO, outer)
        outer.dcl.append(state)
        init = Node("AS", fpos, x=state, y=lit(fpos, 1, "int", T.INT), def_=True)
        init.init = [Node("DCL", fpos, x=state)]
        state.defn = init
        # the body closure
        params = []
        for i, p in enumerate(ysig.params):
            if i < len(keys) and is_def:
                params.append((keys[i].sym if not keys[i].blank else "_", p.type, keys[i].pos))
            else:
                params.append((f"#p{1 + i}", p.type, fpos))
        sig = T.Signature([T.Param(a, b, c) for a, b, c in params], [T.Param("#r", T.BOOL, fpos)])
        outer.rangelit_count = getattr(outer, "rangelit_count", 0) + 1
        fn = Func(f"{outer.name}-range{outer.rangelit_count}", fpos, sig)
        fn.parent = outer
        clo = Node("CLOSURE", fpos, sig, func=fn)
        clo.spos = fpos
        fn.oclosure = clo
        fn.nname = Name(fn.name, fpos, sig, ir.PFUNC)
        fn.nname.fn = fn
        bscope = Scope(scope, fn)
        for (pn, pt, ppos) in params:
            nm = Name(pn, ppos, pt, ir.PPARAM, fn)
            nm.blank = pn == "_"
            fn.params.append(nm)
            fn.dcl.append(nm)
            if not nm.blank:
                bscope.names[pn] = self.var_obj(nm)
        res = Name("#r", fpos, T.BOOL, ir.PPARAMOUT, fn)
        fn.results.append(res)
        fn.dcl.append(res)
        self.all_closures.append(fn)
        from .check_base import FnState
        saved = self.fs
        self.fs = FnState(fn, bscope, saved)
        try:
            sv = self.use_name(state, fpos)
            sv.pos = None  # the rewrite's reference has no position
            body = [Node("AS", fpos, x=sv, y=lit(fpos, 2, "int", T.INT))]
            body += self.block(body_n, Scope(bscope, fn))
            body += [Node("AS", fpos, x=sv, y=lit(fpos, 1, "int", T.INT)),
                     Node("RETURN", fpos, list=[lit(fpos, True, "bool", T.BOOL)])]
            fn.body = body
            self.loopvar(fn)
        finally:
            self.fs = saved
        yv = Name(f"#yield{outer.rangelit_count}", fpos, sig, ir.PAUTO, outer)
        outer.dcl.append(yv)
        ydecl = Node("AS", fpos, x=yv, y=clo, def_=True)
        ydecl.init = [Node("DCL", fpos, x=yv)]
        yv.defn = ydecl
        call = Node("CALLFUNC", fpos, None, fun=x, args=[yv])
        self.rewrite_non_name_call(call, call, "fun")
        done = Node("AS", fpos, x=state, y=lit(fpos, 3, "int", T.INT))
        return Node("BLOCK", fpos, list=[init, ydecl, call, done])

    def switch_stmt(self, n, label) -> Node:
        scope = self.with_scope()
        saved = self.fs.scope
        self.fs.scope = scope
        try:
            init = []
            ini = n.child_by_field_name("initializer")
            if ini is not None:
                init = self.simple_stmt(ini)
            vn = n.child_by_field_name("value")
            tag = self.default_conv(self.expr(vn)) if vn is not None else None
            cases = []
            for c in S.named_children(n):
                if c.type not in ("expression_case", "default_case"):
                    continue
                lst = []
                if c.type == "expression_case":
                    for e in S.named_children(c.child_by_field_name("value")):
                        if tag is not None:
                            x = self.expr(e)
                            if tag.type.is_interface() and not x.type.is_interface():
                                x = self.assign_conv_at(x, tag.type, S.pos(e))
                            elif x.type.is_untyped():
                                x = self.assign_conv(x, tag.type) if not tag.type.is_interface() else self.default_conv(x)
                            lst.append(x)
                        else:
                            lst.append(self.default_conv(self.expr(e)))
                body_nodes = [k for k in S.named_children(c) if k.type == "statement_list"]
                cs = Scope(scope, self.fs.fn)
                self.fs.scope = cs
                body = self.stmts(S.named_children(body_nodes[0])) if body_nodes else []
                self.fs.scope = scope
                cases.append(Node("CASE", S.start(c), list=lst, body=body))
            st = Node("SWITCH", S.start(n), x=tag, cases=cases, label=label)
            st.init = init
            return st
        finally:
            self.fs.scope = saved

    def type_switch_stmt(self, n, label) -> Node:
        scope = self.with_scope()
        saved = self.fs.scope
        self.fs.scope = scope
        try:
            init = []
            ini = n.child_by_field_name("initializer")
            if ini is not None:
                init = self.simple_stmt(ini)
            alias = n.child_by_field_name("alias")
            vn = n.child_by_field_name("value")
            x = self.expr(vn)
            gname = None
            if alias is not None:
                an = S.named_children(alias)[0] if alias.type == "expression_list" else alias
                gname = S.text(an)
            cases = []
            for c in S.named_children(n):
                if c.type not in ("type_case", "default_case"):
                    continue
                types_ = []
                tnodes = [x for x in c.children_by_field_name("type") if x.is_named] if c.type == "type_case" else []
                for tn in tnodes:
                    if tn.type == "nil" or S.text(tn) == "nil":
                        types_.append(None)
                    else:
                        types_.append(self.type_of(tn, scope))
                cs = Scope(scope, self.fs.fn)
                cv = None
                if gname is not None and gname != "_":
                    ct = types_[0] if len(types_) == 1 and types_[0] is not None else x.type
                    cpos = S.start(tnodes[-1]) if tnodes else S.start(c)
                    cv = Name(gname, cpos, ct, ir.PAUTO, self.fs.fn)
                    self.fs.fn.dcl.append(cv)
                    cs.names[gname] = self.var_obj(cv)
                body_nodes = [k for k in S.named_children(c) if k.type == "statement_list"]
                self.fs.scope = cs
                body = self.stmts(S.named_children(body_nodes[0])) if body_nodes else []
                self.fs.scope = scope
                lst = [Node("TYPE", S.start(tn), t) if t is not None else Node("NIL", S.start(tn), None) for t, tn in zip(types_, tnodes)]
                cases.append(Node("CASE", S.start(c), list=lst, body=body, cvar=cv))
            st = Node("SWITCH", S.start(n), cases=cases, label=label)
            st.guard = Node("TYPESW", S.pos(vn), x=x)
            st.guard.extra = gname
            st.init = init
            return st
        finally:
            self.fs.scope = saved

    def select_stmt(self, n, label) -> Node:
        cases = []
        for c in S.named_children(n):
            if c.type not in ("communication_case", "default_case"):
                continue
            cs = Scope(self.fs.scope, self.fs.fn)
            saved = self.fs.scope
            self.fs.scope = cs
            try:
                comm = None
                if c.type == "communication_case":
                    cm = c.child_by_field_name("communication")
                    if cm.type == "send_statement":
                        comm = self.simple_stmt(cm)[0]
                    elif cm.type == "receive_statement":
                        comm = self.receive_stmt(cm, cs)
                    else:
                        comm = self.simple_stmt(cm)[0]
                body_nodes = [k for k in S.named_children(c) if k.type == "statement_list"]
                body = self.stmts(S.named_children(body_nodes[0])) if body_nodes else []
            finally:
                self.fs.scope = saved
            cases.append(Node("CASE", S.start(c), x=comm, body=body))
        return Node("SELECT", S.start(n), cases=cases, label=label)

    def receive_stmt(self, cm, scope: Scope) -> Node:
        left = cm.child_by_field_name("left")
        right = cm.child_by_field_name("right")
        lhs_n = S.named_children(left) if left is not None else []
        is_def = any(not c.is_named and c.type == ":=" for c in cm.children)
        pos = start_of_op(cm)
        if not lhs_n:
            return self.expr(right)
        if is_def:
            lhs = []
            new = []
            for l in lhs_n:
                name = S.text(l)
                if name == "_":
                    lhs.append(self.blank(S.start(l)))
                    continue
                nm = Name(name, S.start(l), None, ir.PAUTO, self.fs.fn)
                self.fs.fn.dcl.append(nm)
                lhs.append(nm)
                new.append(nm)
            st = self.assign_list(lhs, [right], pos, def_=True, new_names=new)
            self.init_defn(st, new, scope)
            return st
        lhs = [self.lhs_expr(l) for l in lhs_n]
        return self.assign_list(lhs, [right], pos, def_=False)

    # -- go / defer ------------------------------------------------------------------------------------

    def go_defer(self, n) -> Node:
        op = "GO" if n.type == "go_statement" else "DEFER"
        pos = S.start(n)
        cn = S.named_children(n)[0]
        while cn.type == "parenthesized_expression":
            cn = S.named_children(cn)[0]
        call = self.expr(cn)
        st = Node(op, pos)
        st.x = self.normalize_go_defer(call, op, pos, st.init)
        return st

    def normalize_go_defer(self, call: Node, op: str, pos, init: list) -> Node:
        init.extend(call.init)
        call.init = []
        if call.op == "CALLFUNC":
            sig = call.fun.type.u if call.fun.type is not None else None
            if isinstance(sig, T.Signature) and not sig.params and not sig.results:
                return call
        outer = self.fs.fn
        why = "gowrap" if op == "GO" else "deferwrap"
        wname = self.closure_name(outer, why)
        wfn = Func(wname, pos, T.Signature([], []))
        wfn.parent = outer
        wfn.wrapper = True
        clo = Node("CLOSURE", pos, wfn.sig, func=wfn)
        clo.spos = pos
        wfn.oclosure = clo
        wfn.nname = Name(wname, pos, wfn.sig, ir.PFUNC)
        wfn.nname.fn = wfn
        self.all_closures.append(wfn)
        argps = []  # (holder, attr, index)

        def visit(holder, attr, idx=None):
            arg = getattr(holder, attr) if idx is None else getattr(holder, attr)[idx]
            if arg is None:
                return
            o = arg.op
            if o in ("LITERAL", "NIL", "METHEXPR", "NEW"):
                return
            if o == "NAME" and arg.cls == ir.PFUNC:
                return
            if o in ("ARRAYLIT", "SLICELIT", "STRUCTLIT"):
                for i, el in enumerate(arg.list):
                    if el.op in ("KEY", "STRUCTKEY"):
                        visit(el, "value")
                    else:
                        visit(arg, "list", i)
                return
            argps.append((holder, attr, idx))

        def visit_list(holder, attr):
            for i in range(len(getattr(holder, attr) or [])):
                visit(holder, attr, i)

        if call.op == "CALLFUNC":
            visit(call, "fun")
            visit_list(call, "args")
        elif call.op == "CALLINTER":
            argps.append((call.fun, "x", None))
            visit_list(call, "args")
        elif call.op in ("APPEND", "DELETE", "PRINT", "PRINTLN", "RECOVER"):
            visit_list(call, "args")
        elif call.op == "COPY":
            visit(call, "x")
            visit(call, "y")
        elif call.op in ("CLEAR", "CLOSE", "PANIC"):
            visit(call, "x")
        else:
            self.err(None, "expression in go/defer must be function call")
        if argps:
            as2 = Node("AS2", pos, lhs=[], rhs=[], def_=False)
            for holder, attr, idx in argps:
                arg = getattr(holder, attr) if idx is None else getattr(holder, attr)[idx]
                tpos = pos if arg.op in ("NAME", "LITERAL", "NIL", "TYPE") else arg.pos
                tmp = self.new_temp(tpos, arg.type, outer)
                init.append(Node("DCL", tpos, x=tmp))
                tmp.defn = as2
                as2.lhs.append(tmp)
                as2.rhs.append(arg)
                cv = Name(tmp.sym, tpos, tmp.type, ir.PAUTO, wfn)
                cv.outer = tmp
                cv.is_closure_var = True
                cv.autotmp = True
                wfn.closure_vars.append(cv)
                if idx is None:
                    setattr(holder, attr, cv)
                else:
                    getattr(holder, attr)[idx] = cv
            init.append(as2)
        wfn.body = [call]
        c = Node("CALLFUNC", call.pos, None, fun=clo, args=[])
        return c

    # -- per-iteration loop variables (Go 1.22) ------------------------------------------------------------

    def loopvar(self, fn: Func):
        """Give loop variables that may outlive an iteration (captured, or address taken) per-iteration copies."""
        _LoopVar(self, fn).run()


def _walk_no_funclit(n):
    out = []
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type == "func_literal":
            continue
        if x.type in ("for_statement", "expression_switch_statement", "type_switch_statement", "select_statement") and x is not n:
            # break/continue inside nested loops and switches target those
            for c in x.named_children:
                if c.type == "block" or c.type.endswith("_case") or c.type == "communication_case":
                    for y in _walk_no_funclit(c):
                        if y.type not in ("break_statement", "continue_statement") or S.named_children(y):
                            out.append(y)
            continue
        out.append(x)
        stack.extend(x.named_children)
    return out


def start_of_op(n):
    for c in n.children:
        if not c.is_named and c.type in (":=", "="):
            return S.start(c)
    return S.start(n)


def _var_specs(n):
    out = []
    for c in S.named_children(n):
        if c.type == "var_spec":
            out.append(c)
        elif c.type == "var_spec_list":
            out.extend(x for x in S.named_children(c) if x.type == "var_spec")
    return out


class _LoopVar:
    def __init__(self, chk, fn: Func):
        self.chk = chk
        self.fn = fn
        self.possibly = {}  # id(name) -> bool
        self.loop_depth = 0
        self.ret_depth = 0

    def run(self):
        self.fn.body = self.scan_list(self.fn.body)

    def scan_list(self, lst):
        for i, s in enumerate(lst or []):
            self.scan(s)
        return lst

    def note(self, x):
        if isinstance(x, Name) and not x.blank:
            self.possibly.setdefault(id(x), False)

    def scan(self, n):
        if n is None or not isinstance(n, Node):
            return
        op = n.op
        if op == "CLOSURE":
            if self.ret_depth < self.loop_depth:
                for cv in n.func.closure_vars:
                    v = cv.canonical()
                    if id(v) in self.possibly:
                        self.possibly[id(v)] = True
            return
        if op == "ADDR":
            if self.ret_depth < self.loop_depth:
                y = n.x
                while y.op in ("DOT", "PAREN", "CONVNOP") or (y.op == "INDEX" and y.x.type.is_array()):
                    y = y.x
                if y.op == "NAME":
                    v = y.canonical()
                    if id(v) in self.possibly:
                        self.possibly[id(v)] = True
            self.children(n)
            return
        if op == "RETURN":
            saved = self.ret_depth
            self.ret_depth = self.loop_depth
            self.children(n)
            self.ret_depth = saved
            return
        if op == "RANGE":
            if not n.def_:
                self.children(n)
                return
            self.note(n.key)
            self.note(n.value)
            self.loop_depth += 1
            self.children(n)
            self.loop_depth -= 1
            for attr in ("key", "value"):
                k = getattr(n, attr)
                if isinstance(k, Name) and self.possibly.get(id(k)):
                    tk = self.chk.new_temp(n.pos, k.type, self.fn)
                    as_ = Node("AS", n.pos, x=k, y=tk, def_=True)
                    k.defn = as_
                    dcl = Node("DCL", k.pos, x=k)
                    as_.init = [dcl]
                    n.body = [as_] + n.body
                    setattr(n, attr, tk)
            return
        if op == "FOR":
            loopvars = n.extra or []
            for z in loopvars:
                self.note(z)
            self.loop_depth += 1
            self.children(n)
            self.loop_depth -= 1
            leaked = [z for z in loopvars if self.possibly.get(id(z))]
            if leaked:
                self.transform_for(n, leaked)
            return
        self.children(n)

    def children(self, n):
        for x in n.init or []:
            self.scan(x)
        for attr in ("x", "y", "fun", "cond", "post", "key", "value", "index", "low", "high", "max", "len", "cap"):
            v = getattr(n, attr)
            if isinstance(v, Node) and not isinstance(v, Name):
                self.scan(v)
        for attr in ("args", "list", "body", "els", "cases", "lhs", "rhs"):
            v = getattr(n, attr)
            if isinstance(v, list):
                for c in v:
                    if isinstance(c, Node) and not isinstance(c, Name):
                        self.scan(c)
        if n.guard is not None:
            self.scan(n.guard)

    def transform_for(self, x: Node, leaked: list):
        pre, post_body = [], []
        zprime = {}
        for z in leaked:
            tz = self.chk.new_temp(x.pos, z.type, self.fn)
            zprime[id(z)] = tz
            as_ = Node("AS", x.pos, x=z, y=tz, def_=True)
            z.defn = as_
            as_.init = [Node("DCL", z.pos, x=z)]
            pre.append(as_)
            post_body.append(Node("AS", x.pos, x=tz, y=z))
        # the loop's init: declarations of z move into the body; assignments to z go to z'
        new_init = []
        for s in x.init:
            if s.op == "DCL" and id(s.x) in zprime:
                continue
            s.init = [d for d in s.init if not (d.op == "DCL" and id(d.x) in zprime)]
            if s.op == "AS" and isinstance(s.x, Name) and id(s.x) in zprime:
                s.x = zprime[id(s.x)]
            elif s.op in ("AS2", "AS2FUNC"):
                s.lhs = [zprime.get(id(l), l) if isinstance(l, Name) else l for l in s.lhs]
            new_init.append(s)
        if x.post is not None:
            first = self.chk.new_temp(x.pos, T.BOOL, self.fn)
            new_init.append(Node("AS", x.pos, x=first, y=lit(x.pos, True, "bool", T.BOOL)))
            iff = Node("IF", x.pos, cond=first, body=[Node("AS", x.pos, x=first, y=lit(x.pos, False, "bool", T.BOOL))],
                       els=[x.post])
            iff.init = [Node("DCL", x.pos, x=first)]
            iff.init[0].extra = "nozero"  # declared here for the analysis; set to true before the loop
            pre.append(iff)
        if x.cond is not None:
            notc = Node("NOT", x.cond.pos, T.BOOL, x=x.cond)
            pre.append(Node("IF", x.pos, cond=notc, body=[Node("BREAK", x.pos)], els=[]))
        x.init = new_init
        x.body = pre + x.body + [Node("LABEL", x.pos, label=".3clNext")] + post_body
        x.cond = None
        x.post = None
