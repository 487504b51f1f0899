"""Escape analysis over :mod:`gomem.compile.ir`, after the design of cmd/compile/internal/escape.

Every variable and every allocating expression is a *location*; every
assignment is a directed edge between locations weighted by its dereference
count (``p = &q`` is -1, ``p = q`` 0, ``p = *q`` 1).  Evaluating an expression
happens in the context of a *hole* (where its value goes, with how many
dereferences).  The graph is solved by walking backwards from every location
(the heap and the function results first) with Bellman-Ford style minimal
dereference counts: a location whose address reaches somewhere that outlives
it must be heap allocated; a parameter whose value reaches the heap or a
result gets a "leak" tag that callers use.  Functions are analysed bottom-up
over the call graph, mutually recursive ones together in one batch.

Diagnostics are produced in the order the compiler emits them: devirtualization
notes, then per batch (in bottom-up order) the ``-m=2`` flow explanations as
they are discovered, the parameter verdicts, then one line per location.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Optional

from . import ir
from . import types as T
from .ir import Func, Name, Node, fmt_node

MAX_STACK_VAR_SIZE = 128 * 1024
MAX_IMPLICIT_STACK_VAR_SIZE = 64 * 1024

ATTR_ESCAPES, ATTR_PERSISTS, ATTR_MUTATES, ATTR_CALLS = 1, 2, 4, 8
ESC_UNKNOWN, ESC_PLANNED, ESC_STARTED, ESC_TAGGED = 0, 1, 2, 3
NUM_RESULTS = 5
LEAK_HEAP, LEAK_MUTATOR, LEAK_CALLEE, LEAK_RESULT0 = 0, 1, 2, 3


# -- leaks: a parameter's flows to the heap / mutator / callee / results ---------------------------


class Leaks:
    __slots__ = ("v",)

    def __init__(self, v=None):
        self.v = list(v) if v is not None else [-1] * 8

    def get(self, i):
        return self.v[i]

    def add(self, i, derefs):
        old = self.v[i]
        if old < 0 or derefs < old:
            self.v[i] = min(derefs, 254)

    def heap(self):
        return self.v[LEAK_HEAP]

    def result(self, i):
        return self.v[LEAK_RESULT0 + i]

    def optimize(self):
        x = self.heap()
        if x >= 0:
            for i in range(1, 8):
                if self.v[i] >= x:
                    self.v[i] = -1

    def copy(self):
        return Leaks(self.v)

    def __repr__(self):
        return f"Leaks({self.v})"


HEAP_LEAKS = [0, -1, -1, -1, -1, -1, -1, -1]
#: the tag of a parameter of a function gomem does not analyse (or could not analyse for sure)
UNKNOWN_LEAKS = [0, -1, -1, -1, -1, -1, -1, -1]
NO_LEAKS = [-1] * 8


# -- the graph ---------------------------------------------------------------------------------------


class Location:
    __slots__ = ("n", "curfn", "edges", "loop_depth", "result_index", "derefs", "walkgen", "dst", "dst_edge_idx",
                 "queued_all", "queued_one", "attrs", "param_esc", "captured", "reassigned", "addrtaken", "param",
                 "param_out", "special")

    def __init__(self, n, curfn, loop_depth, special=None):
        self.n = n
        self.curfn = curfn
        self.edges: list[Edge] = []
        self.loop_depth = loop_depth
        self.result_index = 0
        self.derefs = 0
        self.walkgen = 0
        self.dst: Optional[Location] = None
        self.dst_edge_idx = 0
        self.queued_all = False
        self.queued_one = 0
        self.attrs = 0
        self.param_esc = Leaks()
        self.captured = False
        self.reassigned = False
        self.addrtaken = False
        self.param = isinstance(n, Name) and n.cls == ir.PPARAM
        self.param_out = isinstance(n, Name) and n.cls == ir.PPARAMOUT
        self.special = special

    def has(self, a):
        return self.attrs & a != 0

    def hole(self):
        return Hole(self, 0, None)

    def __repr__(self):
        return f"<loc {self.special or fmt_node(self.n) if self.n is not None else self.special}>"


class Edge:
    __slots__ = ("src", "derefs", "notes")

    def __init__(self, src, derefs, notes):
        self.src = src
        self.derefs = derefs
        self.notes = notes


class Hole:
    __slots__ = ("dst", "derefs", "notes", "addrtaken")

    def __init__(self, dst, derefs=0, notes=None, addrtaken=False):
        self.dst = dst
        self.derefs = derefs
        self.notes = notes  # linked list: (where, why, next)
        self.addrtaken = addrtaken

    def note(self, where, why, explain: bool):
        if not explain:
            return self
        return Hole(self.dst, self.derefs, (where, why, self.notes), self.addrtaken)

    def shift(self, delta):
        d = self.derefs + delta
        if d < -1:
            raise AssertionError("derefs underflow")
        return Hole(self.dst, d, self.notes, delta < 0)


def is_direct_iface(t):
    return T.is_direct_iface(t)


# -- the reassignment oracle (static values of single-assignment locals) --------------------------------------


def outer_value(x: Node) -> Node:
    while True:
        if x.op in ("DOT", "PAREN", "CONVNOP"):
            x = x.x
        elif x.op == "INDEX" and x.x.type is not None and x.x.type.is_array():
            x = x.x
        else:
            return x


def walk_nodes(stmts, fn_visit, into_closures=True):
    """Visit every node (statements and expressions) under stmts, in source order."""
    stack = list(reversed(stmts))
    while stack:
        n = stack.pop()
        if n is None or not isinstance(n, Node):
            continue
        fn_visit(n)
        if isinstance(n, Name):
            continue
        kids = []
        kids.extend(n.init or [])
        for attr in ("x", "y", "fun", "cond", "post", "key", "value", "index", "low", "high", "max", "len", "cap", "guard"):
            v = getattr(n, attr)
            if isinstance(v, Node):
                kids.append(v)
        for attr in ("args", "list", "lhs", "rhs", "body", "els", "cases"):
            v = getattr(n, attr)
            if isinstance(v, list):
                kids.extend(v)
        if n.op == "CLOSURE" and into_closures:
            kids.extend(n.func.body or [])
        stack.extend(reversed(kids))


class ReassignOracle:
    def __init__(self, fn: Func):
        self.fn = fn
        self.single_def: dict[int, object] = {}
        self.func_assigns: dict[int, list] = {}
        for p in ([fn.recv] if fn.recv else []) + fn.params:
            if not p.blank:
                self.single_def[id(p)] = fn

        def find_locals(n):
            if isinstance(n, Name):
                if n.cls == ir.PAUTO and not n.is_closure_var and not n.addrtaken:
                    is_func = n.type is not None and n.type.u.kind == "func"
                    if n.defn is None:
                        if is_func:
                            self.func_assigns[id(n)] = []
                    elif n.defn.op == "AS":
                        self.single_def[id(n)] = n.defn
                        if is_func:
                            self.func_assigns[id(n)] = []
                    else:
                        self.single_def[id(n)] = n.defn

        walk_nodes(fn.body, find_locals)

        def outer_name(x):
            if x is None:
                return None
            y = outer_value(x)
            if isinstance(y, Name):
                return y.canonical()
            return None

        def prune(nn, asn):
            oname = outer_name(nn)
            if oname is None:
                return
            k = id(oname)
            if k in self.single_def:
                defn = self.single_def[k]
                if oname.cls == ir.PPARAM or (oname.cls == ir.PAUTO and asn is not defn):
                    del self.single_def[k]
            if k in self.func_assigns:
                if asn.op == "AS" and is_nil_assign(asn):
                    pass
                elif asn.op != "AS":
                    del self.func_assigns[k]
                else:
                    self.func_assigns[k].append(asn)

        def do(n):
            op = n.op
            if op in ("AS", "ASOP"):
                prune(n.x, n)
            elif op in ("AS2", "AS2FUNC", "AS2MAPR", "AS2DOTTYPE", "AS2RECV", "SELRECV2"):
                for p in n.lhs:
                    prune(p, n)
            elif op == "RANGE":
                prune(n.key, n)
                prune(n.value, n)

        walk_nodes(fn.body, do)

    def static_value(self, n: Node) -> Node:
        while True:
            if n.op in ("CONVNOP", "PAREN"):
                n = n.x
                continue
            if n.op == "INLCALL" and len(n.list) == 1:
                n = n.list[0]
                continue
            n1 = self.static_value1(n)
            if n1 is None:
                return n
            n = n1

    def static_value1(self, nn: Node):
        if not isinstance(nn, Name):
            return None
        n = nn.canonical()
        if n.cls != ir.PAUTO:
            return None
        defn = n.defn
        if defn is None:
            return None
        if defn.op == "AS":
            rhs = defn.y
        elif defn.op == "AS2":
            rhs = None
            for i, l in enumerate(defn.lhs):
                if l is n:
                    rhs = defn.rhs[i]
                    break
            if rhs is None:
                return None
        else:
            return None
        if rhs is None:
            return None
        if id(n) not in self.single_def:
            return None
        return rhs

    def func_assignments(self, name: Name):
        return self.func_assigns.get(id(name.canonical()))


def is_nil_assign(asn: Node) -> bool:
    if asn.y is None:
        return True
    y = asn.y
    while y.op == "CONVNOP":
        y = y.x
    return y.op == "NIL"


def static_callee(n: Node) -> Optional[Func]:
    if n.op == "METHEXPR":
        return n.method
    if isinstance(n, Name) and n.cls == ir.PFUNC:
        return n.fn
    if n.op == "CLOSURE":
        return n.func
    return None


def is_zero(n: Node) -> bool:
    return n.op == "NIL" or (n.op == "LITERAL" and not n.val)


# -- the analysis --------------------------------------------------------------------------------------


class Output:
    """The compiler's output stream (diagnostics and -m=2 explanations, in emission order)."""

    def __init__(self, filename: str, m: int, files=None):
        self.filename = filename  # the (first) file's name
        self.files = files  # the package's srcfiles.FileSet, where positions name its files
        self.m = m
        self.lines: list[str] = []
        self.records: list[tuple] = []  # (pos, kind, text, node) for --explain and tests
        self.want_causes = False  # record each escape's flow path (for --explain)
        self.unsupported: list[tuple] = []  # functions whose analysis failed, or is partial
        self.noted: set = set()
        self.causes: dict[int, tuple] = {}

    def fmtpos(self, pos) -> str:
        if pos is None:
            return "<unknown line number>"
        if self.files is not None:
            return self.files.fmt(pos)
        return f"{self.filename}:{pos[0]}:{pos[1]}"

    def warn(self, pos, msg, kind="msg", node=None):
        self.lines.append(f"{self.fmtpos(pos)}: {msg}")
        self.records.append((pos, kind, msg, node))

    def explain(self, text):
        self.lines.append(text)


class Batch:
    def __init__(self, out: Output, oracles: dict):
        self.out = out
        self.m = out.m
        self.all_locs: list[Location] = []
        self.closures: list[tuple] = []
        self.heap_loc = Location(None, None, 0, "heap")
        self.heap_loc.attrs = ATTR_ESCAPES | ATTR_PERSISTS | ATTR_MUTATES | ATTR_CALLS
        self.mutator_loc = Location(None, None, 0, "mutator")
        self.mutator_loc.attrs = ATTR_MUTATES
        self.callee_loc = Location(None, None, 0, "callee")
        self.callee_loc.attrs = ATTR_CALLS
        self.blank_loc = Location(None, None, 0, "blank")
        # where arguments of functions gomem does not analyse go: solved both as the heap
        # (what the compiler would assume) and as a dead end; verdicts that differ are not printed
        self.unknown_loc = Location(None, None, 0, "unknown")
        self.unknown_callees: dict[int, set] = {}  # id(caller Func) -> names of unanalysed callees
        self.muted = False
        self.uncertain: set[int] = set()
        self.blocks: list[tuple] = []  # (location, first, end) of -m=2 explanations printed while solving
        self.oracles = oracles
        self.explain_on = out.m >= 2 or out.want_causes

    # -- holes --------------------------------------------------------------------------------------

    def heap_hole(self):
        return self.heap_loc.hole()

    def mutator_hole(self):
        return self.mutator_loc.hole()

    def callee_hole(self):
        return self.callee_loc.hole()

    def discard_hole(self):
        return self.blank_loc.hole()

    def old_loc(self, n: Name) -> Location:
        c = n.canonical()
        if c.opt is None:
            raise AssertionError(f"{c.sym} has no location")
        return c.opt

    def flow(self, k: Hole, src: Location):
        if k.addrtaken:
            src.addrtaken = True
        dst = k.dst
        if dst is self.blank_loc:
            return
        if dst is src and k.derefs >= 0:
            return
        if dst.has(ATTR_ESCAPES) and k.derefs < 0:
            if self.out.want_causes and not src.has(ATTR_ESCAPES):
                self.note_cause(src, "heap", [(dst, k.notes)])
            if self.m >= 2:
                pos = self.out.fmtpos(src.n.pos)
                self.out.explain(f"{pos}: {fmt_node(src.n)} escapes to heap in {src.curfn.name}:")
                self.explain_flow(pos, dst, src, k.derefs, k.notes)
            src.attrs |= ATTR_ESCAPES | ATTR_PERSISTS | ATTR_MUTATES | ATTR_CALLS
            return
        dst.edges.append(Edge(src, k.derefs, k.notes))

    def reassign_oracle(self, fn: Func) -> ReassignOracle:
        ro = self.oracles.get(id(fn))
        if ro is not None:
            return ro
        f = fn
        while f.parent is not None and not f.parent.is_init:
            f = f.parent
        if f is not fn:
            ro = self.oracles.get(id(f))
            if ro is not None:
                self.oracles[id(fn)] = ro
                return ro
        ro = ReassignOracle(f)
        self.oracles[id(fn)] = ro
        self.oracles[id(f)] = ro
        return ro

    # -- batch driver ---------------------------------------------------------------------------------

    def run(self, fns: list[Func]):
        for fn in fns:
            self.init_func(fn)
        for fn in fns:
            if not fn.is_closure():
                self.walk_func(fn)
        for k, clo in self.closures:
            self.flow_closure(k, clo)
        self.closures = []
        for loc in list(self.all_locs):
            self.rewrite_with_literals(loc.n, loc.curfn)
            why = heap_alloc_reason(loc.n)
            if why:
                self.flow(self.heap_hole().shift(-1).note(loc.n, why, self.explain_on), loc)
        if self.unknown_callees:
            self.solve_twice(fns)
        else:
            self.walk_all()
        self.finish(fns)

    def solve_twice(self, fns: list[Func]):
        """Solve with the unanalysed callees as dead ends, then as the heap; mark what differs."""
        locs = self.all_locs + [self.heap_loc, self.mutator_loc, self.callee_loc, self.unknown_loc]
        saved = [(loc, loc.attrs) for loc in locs]
        self.muted = True
        self.walk_all()
        self.muted = False
        optimistic = {id(loc): loc.has(ATTR_ESCAPES) for loc in self.all_locs}
        opt_leaks = {}
        for loc in self.all_locs:
            if loc.param:
                lk = loc.param_esc.copy()
                lk.optimize()
                opt_leaks[id(loc)] = lk.v
        for loc, attrs in saved:
            loc.attrs = attrs
            loc.derefs = 0
            loc.walkgen = 0
            loc.dst = None
            loc.dst_edge_idx = 0
            loc.queued_all = False
            loc.queued_one = 0
            loc.param_esc = Leaks()
        for fn in fns:
            fn.closure_results_lost = False
        self.unknown_loc.attrs = ATTR_ESCAPES | ATTR_PERSISTS | ATTR_MUTATES | ATTR_CALLS
        self.walk_all()
        for loc in self.all_locs:
            differs = optimistic[id(loc)] != loc.has(ATTR_ESCAPES)
            if loc.param and not differs:
                lk = loc.param_esc.copy()
                lk.optimize()
                differs = lk.v != opt_leaks[id(loc)]
            if differs:
                self.uncertain.add(id(loc))
        # the explanations of verdicts that are not printed go too, and explanations that were guesses
        for loc, start, end in reversed(self.blocks):
            if loc is None or id(loc) in self.uncertain:
                del self.out.lines[start:end]

    def new_loc(self, n, curfn: Func, loop_depth: int, persists: bool) -> Location:
        loc = Location(n, curfn, loop_depth)
        if persists:
            loc.attrs |= ATTR_PERSISTS
        self.all_locs.append(loc)
        if isinstance(n, Name):
            n.opt = loc
        return loc

    def init_func(self, fn: Func):
        fn.esc = ESC_PLANNED
        for n in fn.dcl:
            n.opt = None
        for n in fn.dcl:
            self.new_loc(n, fn, 1, True)
        for i, r in enumerate(fn.results):
            r.opt.result_index = 1 + i

    def walk_func(self, fn: Func):
        e = Escape(self, fn)
        fn.esc = ESC_STARTED
        labels = {}

        def visit(n):
            if n.op == "LABEL" and n.label != "_":
                labels[n.label] = "nonlooping"
            elif n.op == "GOTO":
                if labels.get(n.label) == "nonlooping":
                    labels[n.label] = "looping"

        walk_nodes(fn.body, visit, into_closures=False)
        e.labels = labels
        e.block(fn.body)

    def flow_closure(self, k: Hole, clo: Node):
        for cv in clo.func.closure_vars:
            n = cv.canonical()
            loc = self.old_loc(cv)
            if not loc.captured:
                raise AssertionError("closure variable never captured")
            n.byval = not loc.addrtaken and not loc.reassigned and n.type.size() <= 128
            if not n.byval:
                n.addrtaken = True
            if self.m > 1:
                how = "value" if n.byval else "ref"
                self.out.warn(n.pos, f"{n.curfn.name} capturing by {how}: {n.sym} (addr={str(loc.addrtaken).lower()} "
                                     f"assign={str(loc.reassigned).lower()} width={n.type.size()})", kind="capture")
            kk = k
            if not n.byval:
                kk = kk.shift(-1).note(cv, "reference", self.explain_on)
            self.flow(kk.note(cv, "captured by a closure", self.explain_on), loc)

    # -- rewrites and size limits -------------------------------------------------------------------

    def rewrite_with_literals(self, n, fn: Optional[Func]):
        if n is None or fn is None:
            return
        if n.op == "MAKESLICE":
            attr = "cap" if n.cap is not None else "len"
            r = getattr(n, attr)
            if r is None or r.op == "LITERAL":
                return
            ro = self.reassign_oracle(fn)
            s = ro.static_value(r)
            if s.op == "LITERAL" and isinstance(s.val, int) and not isinstance(s.val, bool):
                if s.val >= 0:
                    new = Node("LITERAL", n.pos, r.type, val=s.val, extra="int")
                    setattr(n, attr, new)
            elif s.op == "LEN":
                x = ro.static_value(s.x)
                if x.op == "SLICELIT":
                    setattr(n, attr, Node("LITERAL", n.pos, T.INT, val=x.extra or len(x.list), extra="int"))
        elif n.op == "CONVIFACE":
            x = n.x
            if x.op != "LITERAL" and not x.type.is_interface():
                ro = self.reassign_oracle(fn)
                v = ro.static_value(x)
                if v is not None and v.op == "LITERAL" and valid_type_for_const(x.type, v):
                    n.x = Node("LITERAL", n.pos, x.type, val=v.val, extra=v.extra)

    # -- solving ----------------------------------------------------------------------------------------

    def walk_all(self):
        todo = deque()

        def enqueue(loc):
            if not loc.queued_all:
                loc.queued_all = True
                if loc.has(ATTR_ESCAPES):
                    todo.appendleft(loc)
                else:
                    todo.append(loc)

        for loc in self.all_locs:
            todo.appendleft(loc)
            loc.queued_all = True
        todo.appendleft(self.mutator_loc)
        todo.appendleft(self.callee_loc)
        if self.unknown_callees:
            todo.appendleft(self.unknown_loc)
            self.unknown_loc.queued_all = True
        todo.appendleft(self.heap_loc)
        self.mutator_loc.queued_all = self.callee_loc.queued_all = self.heap_loc.queued_all = True
        walkgen = 0
        while todo:
            root = todo.popleft()
            root.queued_all = False
            walkgen += 1
            self.walk_one(root, walkgen, enqueue)

    def walk_one(self, root: Location, walkgen: int, enqueue):
        root.walkgen = walkgen
        root.derefs = 0
        root.dst = None
        if root.has(ATTR_CALLS) and root.n is not None and root.n.op == "CLOSURE":
            fn = root.n.func
            if self.in_mutual_batch(fn) and not fn.closure_results_lost:
                fn.closure_results_lost = True
                for r in fn.results:
                    enqueue(self.old_loc(r))
        todo = deque([root])
        while todo:
            l = todo.popleft()
            l.queued_one = 0
            derefs = l.derefs
            new_attrs = 0
            if derefs < 0:
                derefs = 0
                if self.outlives(root, l):
                    if not l.has(ATTR_ESCAPES) and self.out.want_causes and not self.muted:
                        self.note_cause(l, self.root_kind(root), self.path_of(root, l), root)
                    if not l.has(ATTR_ESCAPES) and self.m >= 2 and not self.muted:
                        start = len(self.out.lines)
                        self.out.explain(f"{self.out.fmtpos(l.n.pos)}: {fmt_node(l.n)} escapes to heap in {l.curfn.name}:")
                        self.guess_path = False
                        self.explain_path(root, l)
                        self.blocks.append((None if self.guess_path else l, start, len(self.out.lines)))
                    new_attrs |= ATTR_ESCAPES | ATTR_PERSISTS | ATTR_MUTATES | ATTR_CALLS
                elif root.has(ATTR_PERSISTS):
                    new_attrs |= ATTR_PERSISTS
            if derefs == 0:
                new_attrs |= root.attrs & (ATTR_MUTATES | ATTR_CALLS)
            if l.param:
                if self.outlives(root, l):
                    if not l.has(ATTR_ESCAPES) and self.m >= 2 and not self.muted:
                        start = len(self.out.lines)
                        self.out.explain(f"{self.out.fmtpos(l.n.pos)}: parameter {fmt_node(l.n)} leaks to "
                                         f"{self.explain_loc(root)} for {l.curfn.name} with derefs={derefs}:")
                        self.guess_path = False
                        self.explain_path(root, l)
                        self.blocks.append((None if self.guess_path else l, start, len(self.out.lines)))
                    self.leak_to(l, root, derefs)
                if root.has(ATTR_MUTATES):
                    l.param_esc.add(LEAK_MUTATOR, derefs)
                if root.has(ATTR_CALLS):
                    l.param_esc.add(LEAK_CALLEE, derefs)
            if new_attrs & ~l.attrs:
                l.attrs |= new_attrs
                enqueue(l)
                if l.attrs & ATTR_ESCAPES:
                    continue
            for i, edge in enumerate(l.edges):
                src = edge.src
                if src.has(ATTR_ESCAPES):
                    continue
                d = derefs + edge.derefs
                if src.walkgen != walkgen or src.derefs > d:
                    src.walkgen = walkgen
                    src.derefs = d
                    src.dst = l
                    src.dst_edge_idx = i
                    if src.queued_one != walkgen:
                        src.queued_one = walkgen
                        todo.append(src)

    def leak_to(self, l: Location, sink: Location, derefs: int):
        if (not sink.has(ATTR_ESCAPES) and isinstance(sink.n, Name) and sink.n.cls == ir.PPARAMOUT
                and sink.curfn is l.curfn):
            ri = sink.result_index - 1
            if ri < NUM_RESULTS:
                l.param_esc.add(LEAK_RESULT0 + ri, derefs)
                return
        l.param_esc.add(LEAK_HEAP, derefs)

    def outlives(self, l: Location, other: Location) -> bool:
        if l.has(ATTR_ESCAPES):
            return True
        if l is self.mutator_loc or l is self.callee_loc or l is self.unknown_loc:
            return False
        if l.param_out:
            if ir.contains_closure(other.curfn, l.curfn) and not l.curfn.closure_results_lost:
                return False
            return True
        if l.curfn is other.curfn and l.loop_depth < other.loop_depth:
            return True
        if l.curfn is not None and other.curfn is not None and ir.contains_closure(l.curfn, other.curfn):
            return True
        return False

    def in_mutual_batch(self, fn: Func) -> bool:
        return fn is not None and ESC_UNKNOWN < fn.esc < ESC_TAGGED

    # -- explanations (-m=2, --explain) ---------------------------------------------------------------

    def root_kind(self, root: Location) -> str:
        if root is self.heap_loc:
            return "heap"
        if root.param_out:
            return "result"
        return "local"

    def path_of(self, root: Location, src: Location) -> list:
        path = []
        seen = set()
        while src is not root and src.dst is not None and id(src) not in seen:
            seen.add(id(src))
            dst = src.dst
            path.append((dst, dst.edges[src.dst_edge_idx].notes))
            src = dst
        return path

    def note_cause(self, loc: Location, root_kind: str, path: list, root: Optional[Location] = None):
        if loc.n is None or id(loc.n) in self.out.causes:
            return
        from .explain import classify
        cause = classify(loc.n, root_kind, path)
        if cause == ("other", None) and root is not None and root.n is not None and id(root.n) in self.out.causes \
                and root_kind == "local":
            # it lives in something that escapes: the same cause
            key, detail = self.out.causes[id(root.n)]
            cause = (key, f"stored in {self.explain_loc(root)}, which escapes" + (f": {detail}" if detail else ""))
        self.out.causes[id(loc.n)] = cause

    def explain_path(self, root: Location, src: Location):
        if self.unknown_callees:
            # a path through a call gomem cannot follow is a guess: explain only the others
            x, seen = src, set()
            while x is not None and x is not root and id(x) not in seen:
                seen.add(id(x))
                x = x.dst
                if x is self.unknown_loc:
                    self.guess_path = True
                    return
        visited = set()
        pos = self.out.fmtpos(src.n.pos)
        while True:
            if id(src) in visited:
                self.out.explain(f"{pos}:   warning: truncated explanation due to assignment cycle; see golang.org/issue/35518")
                break
            visited.add(id(src))
            dst = src.dst
            edge = dst.edges[src.dst_edge_idx]
            self.explain_flow(pos, dst, src, edge.derefs, edge.notes)
            if dst is root:
                break
            src = dst

    def explain_flow(self, pos: str, dst: Location, src: Location, derefs: int, notes):
        ops = "&" if derefs < 0 else "*" * derefs
        self.out.explain(f"{pos}:   flow: {self.explain_loc(dst)} ← {ops}{self.explain_loc(src)}:")
        nt = notes
        while nt is not None:
            where, why, nxt = nt
            self.out.explain(f"{pos}:     from {fmt_node(where)} ({why}) at {self.out.fmtpos(where.pos)}")
            nt = nxt

    def explain_loc(self, l: Location) -> str:
        if l is self.heap_loc:
            return "{heap}"
        if l.n is None:
            return "{temp}"
        if isinstance(l.n, Name):
            return fmt_node(l.n)
        return "{storage for " + fmt_node(l.n) + "}"

    # -- results ------------------------------------------------------------------------------------------

    def finish(self, fns: list[Func]):
        for fn in fns:
            fn.esc = ESC_TAGGED
            params = ([fn.recv] if fn.recv is not None else []) + fn.params
            for p in params:
                p.extra = self.param_tag(fn, p)
        for loc in self.all_locs:
            n = loc.n
            if n is None:
                continue
            if id(loc) in self.uncertain:
                self.note_uncertain(loc.curfn)
                continue
            go_defer_wrapper = n.op == "CLOSURE" and n.func.wrapper
            if go_defer_wrapper:
                n.heap = loc.has(ATTR_ESCAPES)  # not reported (as the compiler does not), but decided
            if loc.has(ATTR_ESCAPES):
                if isinstance(n, Name):
                    if self.m:
                        self.out.warn(n.pos, f"moved to heap: {n.sym}", kind="moved", node=n)
                elif self.m and not go_defer_wrapper:
                    if n.op == "APPEND":
                        self.out.warn(n.pos, "append escapes to heap", kind="escapes", node=n)
                    else:
                        self.out.warn(n.pos, f"{fmt_node(n)} escapes to heap", kind="escapes", node=n)
            else:
                if self.m and not isinstance(n, Name) and not go_defer_wrapper:
                    if n.op == "APPEND":
                        self.out.warn(n.pos, "append does not escape", kind="noescape", node=n)
                    else:
                        self.out.warn(n.pos, f"{fmt_node(n)} does not escape", kind="noescape", node=n)
                if not loc.has(ATTR_PERSISTS) and n.op in ("CLOSURE", "METHVALUE", "SLICELIT"):
                    n.transient = True
            # a string->[]byte conversion whose bytes are never mutated can share the string's memory
            if n.op == "STR2BYTES" and not loc.has(ATTR_MUTATES):
                if self.m:
                    self.out.warn(n.pos, "zero-copy string->[]byte conversion", kind="zerocopy", node=n)
                n.op = "STR2BYTESTMP"

    def param_tag(self, fn: Func, p: Name):
        """The parameter's leaks (for callers), reporting them as the compiler does."""
        dupok = False
        f = fn
        while f is not None:
            dupok = dupok or getattr(f, "dupok", False)
            f = f.parent
        diagnose = self.m != 0 and not fn.wrapper and not dupok
        if not fn.has_body:
            if p.type.is_uintptr():
                if diagnose:
                    self.out.warn(p.pos, f"assuming {p.sym} is unsafe uintptr", kind="param")
                return None
            if not p.type.has_pointers():
                return None
            if fn.noescape:
                if diagnose and not p.blank:
                    self.out.warn(p.pos, f"{p.sym} does not escape", kind="param", node=p)
                return [-1, 0, 0, -1, -1, -1, -1, -1]
            if diagnose and not p.blank:
                self.out.warn(p.pos, f"leaking param: {p.sym}", kind="leak", node=p)
            return list(HEAP_LEAKS)
        if not p.type.has_pointers():
            return None
        if p.blank:
            return list(NO_LEAKS)
        loc = self.old_loc(p)
        esc = loc.param_esc.copy()
        esc.optimize()
        if id(loc) in self.uncertain:
            self.note_uncertain(fn)
            return UNKNOWN_LEAKS  # callers cannot rely on it either
        if diagnose and not loc.has(ATTR_ESCAPES):
            self.report_leaks(p, esc, fn)
        return esc.v

    def note_uncertain(self, fn: Func):
        top = fn
        names = set()
        f = fn
        while f is not None:
            names |= self.unknown_callees.get(id(f), set())
            f = f.parent
        key = (id(fn), "uncertain")
        if key in self.out.noted:
            return
        self.out.noted.add(key)
        self.out.unsupported.append((top.pos, top.name, "some verdicts depend on calls gomem cannot follow ("
                                     + ", ".join(sorted(names)) + "); they are not printed"))

    def report_leaks(self, p: Name, esc: Leaks, fn: Func):
        warned = False
        x = esc.heap()
        if x >= 0:
            if x == 0:
                self.out.warn(p.pos, f"leaking param: {p.sym}", kind="leak", node=p)
            else:
                self.out.warn(p.pos, f"leaking param content: {p.sym}", kind="leakcontent", node=p)
            warned = True
        for i in range(NUM_RESULTS):
            x = esc.result(i)
            if x >= 0 and i < len(fn.results):
                self.out.warn(p.pos, f"leaking param: {p.sym} to result {fn.results[i].sym} level={x}", kind="leakresult", node=p)
                warned = True
        if not warned:
            self.out.warn(p.pos, f"{p.sym} does not escape", kind="param", node=p)


def valid_type_for_const(t: T.Type, v: Node) -> bool:
    k = v.extra or ir.const_kind(v.val)
    u = t.u.kind
    if k == "int":
        return u in T.INTEGER_KINDS or u in T.FLOAT_KINDS or u in T.COMPLEX_KINDS
    if k == "float":
        return u in T.FLOAT_KINDS or u in T.COMPLEX_KINDS
    if k == "complex":
        return u in T.COMPLEX_KINDS
    if k == "string":
        return u == "string"
    if k == "bool":
        return u == "bool"
    return False


def is_small_int_const(n: Optional[Node]) -> bool:
    return (n is not None and n.op == "LITERAL" and isinstance(n.val, int) and not isinstance(n.val, bool)
            and -(1 << 31) <= n.val < (1 << 31))


def closure_type_size(clo: Node) -> int:
    size = 8
    for cv in clo.func.closure_vars:
        t = cv.type
        if cv.canonical().byval:
            a = t.align()
            size = (size + a - 1) // a * a + t.size()
        else:
            size = (size + 7) // 8 * 8 + 8
    return (size + 7) // 8 * 8


def heap_alloc_reason(n) -> str:
    if n is None or n.type is None:
        return ""
    if isinstance(n, Name) and n.cls in (ir.PPARAM, ir.PPARAMOUT):
        return ""
    if n.type.size() > MAX_STACK_VAR_SIZE:
        return "too large for stack"
    if n.op in ("NEW", "PTRLIT") and n.type.elem_type.size() > MAX_IMPLICIT_STACK_VAR_SIZE:
        return "too large for stack"
    if n.op == "CLOSURE" and closure_type_size(n) > MAX_IMPLICIT_STACK_VAR_SIZE:
        return "too large for stack"
    if n.op == "METHVALUE" and 8 + n.x.type.size() > MAX_IMPLICIT_STACK_VAR_SIZE:
        return "too large for stack"
    if n.op == "MAKESLICE":
        r = n.cap if n.cap is not None else n.len
        elem = n.type.u.elem_type
        if elem.size() == 0:
            return "zero-sized element"
        if not is_small_int_const(r):
            return ""
        if r.val > MAX_IMPLICIT_STACK_VAR_SIZE // elem.size():
            return "too large for stack"
    return ""


# -- per-function walk --------------------------------------------------------------------------------------


class Escape:
    def __init__(self, b: Batch, fn: Func):
        self.b = b
        self.curfn = fn
        self.labels = {}
        self.loop_depth = 1
        self.ex = b.explain_on

    # holes
    def note(self, k: Hole, where, why) -> Hole:
        return k.note(where, why, self.ex)

    def deref(self, k: Hole, where, why) -> Hole:
        return k.shift(1).note(where, why, self.ex)

    def addr_h(self, k: Hole, where, why) -> Hole:
        return k.shift(-1).note(where, why, self.ex)

    def dot_type(self, k: Hole, t: T.Type, where, why) -> Hole:
        if not t.is_interface() and not is_direct_iface(t):
            k = k.shift(1)
        return k.note(where, why, self.ex)

    def new_loc(self, n, persists: bool) -> Location:
        return self.b.new_loc(n, self.curfn, self.loop_depth, persists)

    def flow(self, k: Hole, src: Location):
        self.b.flow(k, src)

    def spill(self, k: Hole, n: Node) -> Hole:
        loc = self.new_loc(n, False)
        self.flow(self.addr_h(k, n, "spill"), loc)
        return loc.hole()

    def tee_hole(self, *ks) -> Hole:
        if not ks:
            return self.b.discard_hole()
        if len(ks) == 1:
            return ks[0]
        loc = self.new_loc(None, False)
        for k in ks:
            if k.derefs < 0:
                raise AssertionError("teeHole: negative derefs")
            self.flow(k, loc)
        return loc.hole()

    def later(self, k: Hole) -> Hole:
        loc = self.new_loc(None, True)
        self.flow(k, loc)
        return loc.hole()

    # -- statements ----------------------------------------------------------------------------------------

    def block(self, lst):
        old = self.loop_depth
        self.stmts(lst)
        self.loop_depth = old

    def stmts(self, lst):
        for n in lst or []:
            self.stmt(n)

    def stmt(self, n: Node):
        if n is None:
            return
        self.stmts(n.init)
        op = n.op
        b = self.b
        if op in ("FALL", "BREAK", "CONTINUE", "GOTO"):
            return
        if op == "BLOCK":
            self.stmts(n.list)
        elif op == "DCL":
            if not n.x.blank:
                self.dcl(n.x)
        elif op == "LABEL":
            st = self.labels.pop(n.label, None)
            if st == "looping":
                self.loop_depth += 1
        elif op == "IF":
            self.discard(n.cond)
            self.block(n.body)
            self.block(n.els)
        elif op == "FOR":
            self.loop_depth += 1
            self.discard(n.cond)
            self.stmt(n.post)
            self.block(n.body)
            self.loop_depth -= 1
        elif op == "RANGE":
            tmp = self.new_loc(None, True)
            self.expr(tmp.hole(), n.x)
            self.loop_depth += 1
            ks = self.addrs([n.key, n.value])
            if n.x.type.is_array():
                self.flow(self.note(ks[1], n, "range"), tmp)
            else:
                self.flow(self.deref(ks[1], n, "range-deref"), tmp)
            self.reassigned(ks, n)
            self.block(n.body)
            self.loop_depth -= 1
        elif op == "SWITCH":
            if n.guard is not None:
                ks = []
                for cas in n.cases:
                    cv = cas.cvar
                    if cv is None:
                        continue
                    k = self.dcl(cv)
                    if cv.type.has_pointers():
                        ks.append(self.dot_type(k, cv.type, cas, "switch case"))
                self.expr(self.tee_hole(*ks), n.guard.x)
            else:
                self.discard(n.x)
            for cas in n.cases:
                if n.guard is None:
                    self.discards(cas.list)
                self.block(cas.body)
        elif op == "SELECT":
            for cas in n.cases:
                self.stmt(cas.x)
                self.block(cas.body)
        elif op == "RECV":
            self.expr_skip_init(b.discard_hole(), n)
        elif op == "SEND":
            self.discard(n.x)
            self.assign_heap(n.y, "send", n)
        elif op == "AS":
            self.assign_list([n.x], [n.y], "assign", n)
        elif op == "ASOP":
            self.assign_list([n.x], [n.y], "assign", n)
        elif op == "AS2":
            self.assign_list(n.lhs, n.rhs, "assign-pair", n)
        elif op == "AS2DOTTYPE":
            self.assign_list(n.lhs, n.rhs, "assign-pair-dot-type", n)
        elif op == "AS2MAPR":
            self.assign_list(n.lhs, n.rhs, "assign-pair-mapr", n)
        elif op == "AS2RECV":
            self.assign_list(n.lhs, n.rhs, "assign-pair-receive", n)
        elif op == "AS2FUNC":
            self.stmts(n.rhs[0].init)
            ks = self.addrs(n.lhs)
            self.call(ks, n.rhs[0])
            self.reassigned(ks, n)
        elif op == "RETURN":
            self.assign_list(list(self.curfn.results), n.list, "return", n)
        elif op in ("CALLFUNC", "CALLINTER", "CLEAR", "CLOSE", "COPY", "DELETE", "PANIC", "PRINT", "PRINTLN", "RECOVER",
                    "APPEND", "INLCALL"):
            self.call(None, n)
        elif op in ("GO", "DEFER"):
            self.go_defer(n)
        else:
            # other expression statements evaluate for side effects
            self.discard(n)

    def dcl(self, n: Name) -> Hole:
        loc = self.b.old_loc(n)
        loc.loop_depth = self.loop_depth
        return loc.hole()

    # -- expressions ----------------------------------------------------------------------------------------

    def expr(self, k: Hole, n: Optional[Node]):
        if n is None:
            return
        if not isinstance(n, Name):
            self.stmts(n.init)
        self.expr_skip_init(k, n)

    def discard(self, n):
        self.expr(self.b.discard_hole(), n)

    def discards(self, lst):
        for n in lst or []:
            self.discard(n)

    def expr_skip_init(self, k: Hole, n: Optional[Node]):
        if n is None:
            return
        b = self.b
        t = n.type
        if k.derefs >= 0 and t is not None and not t.is_untyped() and not isinstance(t, T.Tuple) and not t.has_pointers():
            k = Hole(b.blank_loc, k.derefs, k.notes, k.addrtaken)
        op = n.op
        if op in ("LITERAL", "NIL", "TYPE", "METHEXPR"):
            return
        if op == "NAME":
            if n.cls in (ir.PFUNC, ir.PEXTERN) or n.blank:
                return
            self.flow(k, b.old_loc(n))
        elif op in ("PLUS", "NEG", "BITNOT", "NOT"):
            self.discard(n.x)
        elif op in ("ADD", "SUB", "OR", "XOR", "MUL", "DIV", "MOD", "LSH", "RSH", "AND", "ANDNOT", "EQ", "NE", "LT",
                    "LE", "GT", "GE", "ANDAND", "OROR"):
            self.discard(n.x)
            self.discard(n.y)
        elif op == "ADDR":
            self.expr(self.addr_h(k, n, "address-of"), n.x)
        elif op == "DEREF":
            self.expr(self.deref(k, n, "indirection"), n.x)
        elif op in ("DOT", "DOTMETH", "DOTINTER"):
            self.expr(self.note(k, n, "dot"), n.x)
        elif op == "DOTPTR":
            self.expr(self.deref(k, n, "dot of pointer"), n.x)
        elif op in ("DOTTYPE", "DOTTYPE2"):
            self.expr(self.dot_type(k, n.type, n, "dot"), n.x)
        elif op == "INDEX":
            if n.x.type.is_array():
                self.expr(self.note(k, n, "fixed-array-index-of"), n.x)
            else:
                self.expr(self.deref(k, n, "dot of pointer"), n.x)
            self.discard(n.index)
        elif op == "INDEXMAP":
            self.discard(n.x)
            self.discard(n.index)
        elif op in ("SLICE", "SLICEARR", "SLICE3", "SLICE3ARR", "SLICESTR"):
            self.expr(self.note(k, n, "slice"), n.x)
            self.discard(n.low)
            self.discard(n.high)
            self.discard(n.max)
        elif op in ("CONV", "CONVNOP"):
            if n.type is not None and n.type.is_unsafe_ptr() and n.x.type is not None and n.x.type.is_uintptr():
                self.unsafe_value(k, n.x)
            else:
                self.expr(k, n.x)
        elif op == "CONVIFACE":
            if not n.x.type.is_interface() and not is_direct_iface(n.x.type):
                k = self.spill(k, n)
            self.expr(self.note(k, n, "interface-converted"), n.x)
        elif op == "SLICE2ARR":
            self.expr(self.deref(k, n, "slice-to-array"), n.x)
        elif op == "SLICE2ARRPTR":
            self.expr(k, n.x)
        elif op == "RECV":
            self.discard(n.x)
        elif op in ("CALLFUNC", "CALLINTER", "INLCALL", "LEN", "CAP", "MIN", "MAX", "COMPLEX", "REAL", "IMAG", "APPEND",
                    "COPY", "RECOVER", "UNSAFEADD", "UNSAFESLICE", "UNSAFESTRING", "UNSAFESTRINGDATA", "UNSAFESLICEDATA"):
            self.call([k], n)
        elif op == "NEW":
            self.spill(k, n)
        elif op == "MAKESLICE":
            self.spill(k, n)
            self.discard(n.len)
            self.discard(n.cap)
        elif op == "MAKECHAN":
            self.discard(n.len)
        elif op == "MAKEMAP":
            self.spill(k, n)
            self.discard(n.len)
        elif op == "METHVALUE":
            closure_k = self.spill(k, n)
            fn = n.method
            if fn is not None:
                sig = fn.sig
                ks = [b.heap_hole() for _ in sig.results]
                param_k = self.tag_hole(ks, fn, -1)
            else:
                param_k = b.heap_hole()
            self.expr(self.tee_hole(param_k, closure_k), n.x)
        elif op == "PTRLIT":
            self.expr(self.spill(k, n), n.x)
        elif op == "ARRAYLIT":
            for elt in n.list:
                if elt.op == "KEY":
                    elt = elt.value
                self.expr(self.note(k, n, "array literal element"), elt)
        elif op == "SLICELIT":
            k = self.spill(k, n)
            for elt in n.list:
                if elt.op == "KEY":
                    elt = elt.value
                self.expr(self.note(k, n, "slice-literal-element"), elt)
        elif op == "STRUCTLIT":
            for elt in n.list:
                self.expr(self.note(k, n, "struct literal element"), elt.value)
        elif op == "MAPLIT":
            self.spill(k, n)
            for elt in n.list:
                self.assign_heap(elt.key, "map literal key", n)
                self.assign_heap(elt.value, "map literal value", n)
        elif op == "CLOSURE":
            k = self.spill(k, n)
            b.closures.append((k, n))
            fn = n.func
            if fn.is_closure():
                for cv in fn.closure_vars:
                    loc = b.old_loc(cv)
                    if not loc.captured:
                        loc.captured = True
                        if loc.loop_depth == self.loop_depth:
                            loc.reassigned = False
                b.walk_func(fn)
        elif op in ("RUNES2STR", "BYTES2STR", "STR2RUNES", "STR2BYTES", "RUNESTR"):
            self.spill(k, n)
            self.discard(n.x)
        elif op == "ADDSTR":
            self.spill(k, n)
            self.discards(n.list)
        elif op in ("PANIC", "PRINT", "PRINTLN", "DELETE", "CLOSE", "CLEAR"):
            self.call(None, n)
        else:
            raise AssertionError(f"unexpected expr {op}")

    # -- calls ------------------------------------------------------------------------------------------------

    def call(self, ks, call: Node):
        b = self.b

        def argument(k, arg):
            self.expr(self.note(k, call, "call parameter"), arg)

        op = call.op
        if op in ("CALLFUNC", "CALLINTER"):
            fns = []
            if op == "CALLFUNC":
                ro = b.reassign_oracle(self.curfn)
                v = ro.static_value(call.fun)
                fn = static_callee(v)
                if fn is not None:
                    fns = [fn]
                elif isinstance(v, Name):
                    fns = resolve_assigned_callees(ro.func_assignments(v))
            if ks is not None:
                for f in fns:
                    if b.in_mutual_batch(f):
                        for i, r in enumerate(f.results):
                            self.expr(ks[i], r)
            recv_arg = None
            if op == "CALLFUNC":
                callee_k = b.discard_hole()
                if not fns:
                    for k in ks or []:
                        if k.dst is not b.blank_loc:
                            callee_k = self.note(b.callee_hole(), call, "callee operand")
                            break
                self.expr(callee_k, call.fun)
            else:
                recv_arg = call.fun.x
            args = list(call.args)
            # receiver: method calls are T.M(recv, args...)
            has_recv = False
            if len(fns) == 1:
                has_recv = fns[0].recv_type is not None and (fns[0].recv is not None or fns[0].stub)
            elif op == "CALLFUNC" and call.fun.op == "METHEXPR":
                has_recv = True
            if has_recv and recv_arg is None:
                recv_arg, args = args[0], args[1:]
            nparams = len(args)
            if recv_arg is not None:
                argument(self.merged_tag_hole(ks, fns, -1, nparams), recv_arg)
            for i, a in enumerate(args):
                argument(self.merged_tag_hole(ks, fns, i, nparams), a)
        elif op == "APPEND":
            args = call.args
            k0 = ks[0] if ks else b.discard_hole()
            appendee_k = self.tee_hole(k0, b.mutator_hole())
            if args[0].type.u.elem_type.has_pointers():
                appendee_k = self.tee_hole(appendee_k, self.deref(b.heap_hole(), call, "appendee slice"))
            argument(appendee_k, args[0])
            if call.is_ddd:
                appended_k = b.discard_hole()
                if args[1].type.is_slice() and args[1].type.u.elem_type.has_pointers():
                    appended_k = self.deref(b.heap_hole(), call, "appended slice...")
                argument(appended_k, args[1])
            else:
                for a in args[1:]:
                    argument(b.heap_hole(), a)
            backing = self.spill(k0, call)
            backing.dst.loop_depth = 0
        elif op == "INLCALL":  # an inlined call (gomem.compile.inline): its body, then its results
            self.stmts(call.body)
            for i, r in enumerate(call.list):
                self.expr(ks[i] if ks is not None else b.discard_hole(), r)
        elif op == "COPY":
            argument(b.mutator_hole(), call.x)
            copied_k = b.discard_hole()
            if call.y.type.is_slice() and call.y.type.u.elem_type.has_pointers():
                copied_k = self.deref(b.heap_hole(), call, "copied slice")
            argument(copied_k, call.y)
        elif op == "PANIC":
            argument(b.heap_hole(), call.x)
        elif op == "COMPLEX":
            self.discard(call.x)
            self.discard(call.y)
        elif op in ("DELETE", "PRINT", "PRINTLN", "RECOVER"):
            for a in call.args or []:
                self.discard(a)
        elif op in ("MIN", "MAX"):
            for a in call.args:
                argument(ks[0], a)
        elif op in ("LEN", "CAP", "REAL", "IMAG", "CLOSE"):
            self.discard(call.x)
        elif op == "CLEAR":
            argument(b.mutator_hole(), call.x)
        elif op in ("UNSAFESTRINGDATA", "UNSAFESLICEDATA"):
            argument(ks[0], call.x)
        elif op in ("UNSAFEADD", "UNSAFESLICE", "UNSAFESTRING"):
            argument(ks[0], call.x)
            self.discard(call.y)
        else:
            raise AssertionError(f"unexpected call op {op}")

    def unsafe_value(self, k: Hole, n: Node):
        """A uintptr expression that may hold a pointer converted from unsafe.Pointer."""
        self.stmts(n.init)
        op = n.op
        if op in ("CONV", "CONVNOP"):
            if n.x.type is not None and n.x.type.is_unsafe_ptr():
                self.expr(k, n.x)
            else:
                self.discard(n.x)
        elif op in ("PLUS", "NEG", "BITNOT"):
            self.unsafe_value(k, n.x)
        elif op in ("ADD", "SUB", "OR", "XOR", "MUL", "DIV", "MOD", "AND", "ANDNOT"):
            self.unsafe_value(k, n.x)
            self.unsafe_value(k, n.y)
        elif op in ("LSH", "RSH"):
            self.unsafe_value(k, n.x)
            self.discard(n.y)
        else:
            self.expr_skip_init(self.b.discard_hole(), n)

    def go_defer(self, n: Node):
        b = self.b
        k = b.heap_hole()
        if n.op == "DEFER" and self.loop_depth == 1:
            k = self.later(b.discard_hole())
        call = n.x
        self.expr(k, call.fun)

    def merged_tag_hole(self, ks, fns, idx, nparams) -> Hole:
        if not fns:
            return self.b.heap_hole()
        holes = []
        for f in fns:
            offset = nparams - len(f.sig.params)
            j = idx - offset if idx >= 0 else -1
            holes.append(self.tag_hole(ks, f, j))
        return self.tee_hole(*holes)

    def param_name(self, fn: Func, j: int) -> Optional[Name]:
        if j < 0:
            return fn.recv
        if j < len(fn.params):
            return fn.params[j]
        return None

    def tag_hole(self, ks, fn: Optional[Func], j: int) -> Hole:
        b = self.b
        if fn is None:
            return b.heap_hole()
        if b.in_mutual_batch(fn):
            p = self.param_name(fn, j)
            if p is None or p.blank:
                return b.discard_hole()
            return self.addr(p)
        tag = param_leaks(fn, j)
        if tag is UNKNOWN_LEAKS:
            b.unknown_callees.setdefault(id(self.curfn), set()).add(getattr(fn, "display", fn.name))
            return b.unknown_loc.hole()
        tag_ks = []
        if tag[LEAK_HEAP] >= 0:
            tag_ks.append(b.heap_hole().shift(tag[LEAK_HEAP]))
        if tag[LEAK_MUTATOR] >= 0:
            tag_ks.append(b.mutator_hole().shift(tag[LEAK_MUTATOR]))
        if tag[LEAK_CALLEE] >= 0:
            tag_ks.append(b.callee_hole().shift(tag[LEAK_CALLEE]))
        if ks is not None:
            for i in range(NUM_RESULTS):
                x = tag[LEAK_RESULT0 + i]
                if x >= 0 and i < len(ks):
                    tag_ks.append(ks[i].shift(x))
        return self.tee_hole(*tag_ks)

    # -- assignments -----------------------------------------------------------------------------------------

    def addr(self, n: Optional[Node]) -> Hole:
        b = self.b
        if n is None or (isinstance(n, Name) and n.blank):
            return b.discard_hole()
        k = b.heap_hole()
        op = n.op
        if op == "NAME":
            if n.cls == ir.PEXTERN:
                return k
            return b.old_loc(n).hole()
        if op == "DOT":
            return self.addr(n.x)
        if op == "INDEX":
            self.discard(n.index)
            if n.x.type.is_array():
                return self.addr(n.x)
            self.mutate(n.x)
            return k
        if op in ("DEREF", "DOTPTR"):
            self.mutate(n.x)
            return k
        if op == "INDEXMAP":
            self.discard(n.x)
            self.assign_heap(n.index, "key of map put", n)
            return k
        raise AssertionError(f"unexpected addr {op}")

    def mutate(self, n):
        self.expr(self.b.mutator_hole(), n)

    def addrs(self, lst) -> list:
        return [self.addr(n) for n in lst]

    def assign_heap(self, src, why, where):
        self.expr(self.note(self.b.heap_hole(), where, why), src)

    def assign_list(self, dsts, srcs, why, where):
        ks = self.addrs(dsts)
        for i, k in enumerate(ks):
            src = srcs[i] if i < len(srcs) else None
            dst = dsts[i]
            if dst is not None and src is not None and is_self_assign(dst, src):
                if self.b.m:
                    self.b.out.warn(where.pos, f"{self.curfn.name} ignoring self-assignment in {fmt_node(where)}", kind="selfassign")
                k = self.b.discard_hole()
            self.expr(self.note(k, where, why), src)
        self.reassigned(ks, where)

    def reassigned(self, ks, where):
        if where.op == "AS" and where.y is None:
            dst = where.x
            if isinstance(dst, Name) and dst.defn is None:
                return
        for k in ks:
            loc = k.dst
            n = loc.n
            if isinstance(n, Name) and n.defn is where and where.op != "RANGE":
                continue
            loc.reassigned = True


def param_leaks(fn: Func, j: int) -> list:
    """The leaks of an already analysed (or standard-library) function's parameter j (-1: receiver)."""
    if fn.stub:
        tags = fn.tags
        idx = j + (1 if fn.recv_type is not None else 0)
        if tags is None or idx >= len(tags) or tags[idx] is None:
            return list(HEAP_LEAKS)
        return tags[idx]
    p = fn.recv if j < 0 else (fn.params[j] if j < len(fn.params) else None)
    if p is None:
        return list(NO_LEAKS)
    t = p.extra
    if t is None:
        return list(HEAP_LEAKS)
    return t


def resolve_assigned_callees(assigns) -> list:
    fns = []
    for asn in assigns or []:
        if asn.y is None or is_zero(asn.y):
            continue
        c = static_callee(asn.y)
        if c is None:
            return []
        fns.append(c)
    return fns


# -- self assignments ---------------------------------------------------------------------------------------


def is_slice_self_assign(dst: Node, src: Node) -> bool:
    if dst.op == "DEREF":
        dst_x = dst.x
    elif dst.op == "DOTPTR":
        dst_x = dst.x
    else:
        return False
    if dst_x.op != "NAME":
        return False
    if src.op in ("SLICE", "SLICE3", "SLICESTR"):
        pass
    elif src.op in ("SLICEARR", "SLICE3ARR"):
        if src.x.op == "ADDR":
            return False
    else:
        return False
    base = src.x
    if base.op in ("DEREF", "DOTPTR"):
        base_x = base.x
    else:
        return False
    if base_x.op != "NAME":
        return False
    return dst_x.canonical() is base_x.canonical()


def same_safe_expr(l: Node, r: Node) -> bool:
    while l.op == "CONVNOP":
        l = l.x
    while r.op == "CONVNOP":
        r = r.x
    if l.op != r.op or not T.identical(l.type, r.type) if (l.type is not None and r.type is not None) else l.op != r.op:
        return False
    op = l.op
    if op == "NAME":
        return l.canonical() is r.canonical()
    if op in ("DOT", "DOTPTR"):
        return l.sel == r.sel and same_safe_expr(l.x, r.x)
    if op in ("DEREF", "LEN", "CAP", "NOT", "BITNOT", "PLUS", "NEG", "CONV"):
        return same_safe_expr(l.x, r.x)
    if op == "INDEX":
        return same_safe_expr(l.x, r.x) and same_safe_expr(l.index, r.index)
    if op in ("ADD", "SUB", "OR", "XOR", "MUL", "LSH", "RSH", "AND", "ANDNOT", "DIV", "MOD"):
        return same_safe_expr(l.x, r.x) and same_safe_expr(l.y, r.y)
    if op == "LITERAL":
        return l.val == r.val
    if op == "NIL":
        return True
    return False


def may_affect_memory(n: Node) -> bool:
    op = n.op
    if op in ("NAME", "LITERAL", "NIL"):
        return False
    if op in ("ADD", "SUB", "OR", "XOR", "MUL", "LSH", "RSH", "AND", "ANDNOT", "DIV", "MOD"):
        return may_affect_memory(n.x) or may_affect_memory(n.y)
    if op == "INDEX":
        return may_affect_memory(n.x) or may_affect_memory(n.index)
    if op in ("CONVNOP", "CONV"):
        return may_affect_memory(n.x)
    if op in ("LEN", "CAP", "NOT", "BITNOT", "PLUS", "NEG"):
        return may_affect_memory(n.x)
    if op in ("DOT", "DOTPTR"):
        return may_affect_memory(n.x)
    if op == "DEREF":
        return may_affect_memory(n.x)
    return True


def is_self_assign(dst: Node, src: Node) -> bool:
    if is_slice_self_assign(dst, src):
        return True
    if dst is None or src is None or dst.op != src.op:
        return False
    if dst.op in ("DOT", "DOTPTR"):
        return same_safe_expr(dst.x, src.x)
    if dst.op == "INDEX":
        if may_affect_memory(dst.index) or may_affect_memory(src.index):
            return False
        return same_safe_expr(dst.x, src.x)
    return False


# -- driver -----------------------------------------------------------------------------------------------------


def visit_funcs_bottom_up(funcs: list[Func], analyze):
    """Strongly connected components of the call graph, callees first (closures stay with their parents)."""
    node_id: dict[int, int] = {}
    stack: list[Func] = []
    gen = [0]
    DONE = 1 << 62

    def refs(fn: Func):
        out = []

        def v(n):
            if isinstance(n, Name):
                if n.cls == ir.PFUNC and n.fn is not None and not n.fn.stub:
                    out.append(n.fn)
            elif n.op in ("METHEXPR", "METHVALUE", "DOTMETH"):
                if n.method is not None and not n.method.stub:
                    out.append(n.method)
            if n.op == "CLOSURE":
                out.append(n.func)

        walk_nodes(fn.body, v, into_closures=False)
        return out

    def visit(fn: Func) -> int:
        i = node_id.get(id(fn))
        if i is not None:
            return i
        gen[0] += 1
        my = gen[0]
        node_id[id(fn)] = my
        gen[0] += 1
        min_gen = gen[0]
        stack.append(fn)
        for callee in refs(fn):
            m = visit(callee)
            if m < min_gen:
                min_gen = m
        if (min_gen == my or min_gen == my + 1) and not fn.is_closure():
            recursive = min_gen == my
            i = len(stack) - 1
            while i >= 0:
                x = stack[i]
                node_id[id(x)] = DONE
                if x is fn:
                    break
                i -= 1
            block = stack[i:]
            del stack[i:]
            analyze(block, recursive)
        return min_gen

    for fn in funcs:
        if not fn.is_closure():
            visit(fn)


def analyze(funcs: list[Func], out: Output):
    oracles: dict = {}

    def run(block, recursive):
        todo = [f for f in block if f.unsupported is None]
        for f in block:
            if f.unsupported is not None:
                mark_unsupported(f)
        if not todo:
            return
        mark = len(out.lines), len(out.records)
        try:
            Batch(out, oracles).run(todo)
        except Exception as e:  # a gap in gomem's analysis: report it for these functions only
            if os.environ.get("GOMEM_DEBUG"):
                raise
            del out.lines[mark[0]:]
            del out.records[mark[1]:]
            for f in todo:
                f.unsupported = (f.pos, f"internal error in gomem's analysis ({type(e).__name__}: {e})")
                mark_unsupported(f)
                out.unsupported.append((f.pos, f.name, f.unsupported[1]))

    visit_funcs_bottom_up(funcs, run)


def mark_unsupported(fn: Func):
    """A function gomem does not analyse: its callers' verdicts that depend on it are not printed."""
    fn.esc = ESC_TAGGED
    for p in ([fn.recv] if fn.recv is not None else []) + fn.params:
        p.extra = UNKNOWN_LEAKS
