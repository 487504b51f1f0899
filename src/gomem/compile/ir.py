"""The typed intermediate form the escape analysis walks.

It mirrors the shape of the gc compiler's IR after type checking (``ir.Node``
ops, implicit conversions and address-ofs made explicit, method calls turned
into function calls with the receiver first, variadic arguments packed into
an implicit slice literal, go/defer calls wrapped in closures), because the
analysis, its positions and its printed expressions are defined on that form.

``fmt_node`` prints an expression as the compiler's ``%v`` does
(``exprFmt``); ``fmt_stmt`` prints statements for ``-m=2`` notes.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Optional

from ..std import strconv
from . import types as T

Pos = tuple  # (line, col), both 1-based; col counts bytes

# classes of names
PAUTO, PPARAM, PPARAMOUT, PEXTERN, PFUNC = "PAUTO", "PPARAM", "PPARAMOUT", "PEXTERN", "PFUNC"


#: the attributes of a node that hold one operand node, and those that hold lists of nodes (statements,
#: arguments, case clauses), in the order the walks over the IR visit them
NODE_ATTRS = ("x", "y", "fun", "cond", "post", "key", "value", "index", "low", "high", "max", "len", "cap", "guard")
LIST_ATTRS = ("args", "list", "lhs", "rhs", "body", "els", "cases")


def operands(n: "Node") -> list:
    """The nodes directly under *n*: its init statements, then its NODE_ATTRS and LIST_ATTRS in order."""
    out = list(n.init or [])
    for a in NODE_ATTRS:
        v = getattr(n, a)
        if isinstance(v, Node):
            out.append(v)
    for a in LIST_ATTRS:
        v = getattr(n, a)
        if isinstance(v, list):
            out.extend(v)
    return out


class Node:
    """An expression or statement; ``op`` is the compiler's op name without the leading O."""

    __slots__ = ("op", "pos", "type", "implicit", "x", "y", "args", "list", "init", "body", "els", "cond",
                 "post", "cases", "lhs", "rhs", "fun", "is_ddd", "key", "value", "index", "low", "high", "max",
                 "sel", "method", "val", "func", "def_", "asop", "incdec", "label", "len", "cap", "cvar",
                 "recv_type", "field", "transient", "wrapper", "decl_names", "extra", "spos", "cas", "guard", "heap",
                 "inlres", "src_pos")

    def __init__(self, op: str, pos: Pos, type: Optional[T.Type] = None, **kw):
        self.op = op
        self.pos = pos
        self.type = type
        self.implicit = False
        self.x = self.y = None
        self.args = None
        self.list = None
        self.init: list = []
        self.body = None
        self.els = None
        self.cond = None
        self.post = None
        self.cases = None
        self.lhs = None
        self.rhs = None
        self.fun = None
        self.is_ddd = False
        self.key = self.value = self.index = None
        self.low = self.high = self.max = None
        self.sel = None
        self.method = None
        self.val = None
        self.func = None
        self.def_ = False
        self.asop = None
        self.incdec = False
        self.label = None
        self.len = self.cap = None
        self.cvar = None
        self.recv_type = None
        self.field = None
        self.transient = False
        self.wrapper = False
        self.decl_names = None
        self.extra = None
        self.spos = None  # syntax position of the source expression (for implicit conversions)
        self.cas = None
        self.guard = None
        self.inlres = None  # a call the inliner reports inlined but keeps (a stdlib body): its results' names
        self.src_pos = None  # an inlined copy's position in the callee (``pos`` is the call's): the line table's
        for k, v in kw.items():
            setattr(self, k, v)

    def __repr__(self):
        try:
            s = fmt_node(self)
        except Exception:  # pragma: no cover - debugging aid
            s = "?"
        return f"<{self.op} {self.pos} {s}>"


class Name(Node):
    """A variable, parameter, result, global or function name (ONAME)."""

    __slots__ = ("sym", "cls", "curfn", "defn", "outer", "byval", "addrtaken", "used_addr", "opt", "is_closure_var",
                 "fn", "pkgname", "autotmp", "blank", "const_val")

    def __init__(self, sym: str, pos: Pos, type: Optional[T.Type], cls: str, curfn=None):
        super().__init__("NAME", pos, type)
        self.sym = sym
        self.cls = cls
        self.curfn = curfn
        self.defn = None  # defining statement (OAS/OAS2/ORANGE/type switch), or None
        self.outer: Optional[Name] = None  # for closure variables: the captured name
        self.byval = False
        self.addrtaken = False
        self.opt = None  # the analysis' location
        self.is_closure_var = False
        self.fn = None  # for PFUNC: the Func
        self.pkgname = ""  # for names from other packages
        self.autotmp = False
        self.blank = sym == "_"

    def canonical(self) -> "Name":
        n = self
        while n.outer is not None:
            n = n.outer
        return n

    def __repr__(self):
        return f"<NAME {self.sym} {self.cls} {self.pos}>"


class Func:
    """A function, method, closure or package init function."""

    def __init__(self, name: str, pos: Pos, sig: T.Signature):
        self.name = name  # as the compiler's FuncName prints it: main, T.M, (*T).M, main.func1
        self.pos = pos
        self.sig = sig
        self.nname: Optional[Name] = None
        self.recv: Optional[Name] = None
        self.params: list[Name] = []
        self.results: list[Name] = []
        self.dcl: list[Name] = []  # params (recv first), results, then locals in declaration order
        self.body: list[Node] = []
        self.has_body = True
        self.closure_vars: list[Name] = []
        self.oclosure: Optional[Node] = None  # the OCLOSURE expression, for function literals
        self.parent: Optional[Func] = None  # enclosing function of a literal
        self.wrapper = False  # go/defer wrapper
        self.esc = 0  # escFunc* state
        self.closure_results_lost = False
        self.tags: Optional[list] = None  # per param (recv first): leaks list, for analysed or stdlib functions
        self.stub = False  # from a standard-library stub (no body; uses tags)
        self.pkg = ""  # import path for stubs; "" for the analysed package
        self.unsupported: Optional[tuple] = None  # (pos, reason) when the body uses something not modelled
        self.closure_count = 0  # for naming literals: main.func1, main.func2 ...
        self.gowrap_count = 0
        self.deferwrap_count = 0
        self.is_init = False
        self.ptr_recv = False
        self.recv_type: Optional[T.Type] = None
        self.noescape = False

    def is_closure(self) -> bool:
        return self.oclosure is not None and len(self.closure_vars) > 0

    def __repr__(self):
        return f"<Func {self.name}>"


def contains_closure(f: Func, c: Func) -> bool:
    if f is c or c.oclosure is None:
        return False
    p = c.parent
    while p is not None:
        if p is f:
            return True
        p = p.parent
    return False


# -- constants ----------------------------------------------------------------------------------


def go_quote(s: str) -> str:
    """strconv.Quote of a Go string held as text (raw bytes as surrogate escapes): the model's
    :func:`gomem.std.strconv.Quote`, the one implementation."""
    return strconv.Quote(s.encode("utf-8", "surrogateescape")).decode("utf-8")


def go_quote_rune(r: int) -> str:
    """%q of a rune."""
    if r == ord("'"):
        return "'\\''"
    if r == ord('"'):
        return "'\"'"
    q = go_quote(chr(r)) if r < 0x110000 and not (0xD800 <= r < 0xE000) else '"\\ufffd"'
    return "'" + q[1:-1] + "'"


def fmt_go_g(x: float, prec: int = 6) -> str:
    """Go's fmt %.Ng / %g for float64 (shortest repr when prec < 0)."""
    import math
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if math.isnan(x):
        return "NaN"
    if prec < 0:
        r = repr(x)
        if "e" in r or "E" in r:
            m, e = r.split("e")
            ei = int(e)
            return f"{m}e{'-' if ei < 0 else '+'}{abs(ei):02d}"
        if r.endswith(".0"):
            r = r[:-2]
        # Go switches to exponent form for exp < -4 || exp >= 21 with shortest formatting
        if x != 0:
            exp = math.floor(math.log10(abs(x)))
            if exp < -4 or exp >= 21:
                s = f"{x:e}"
                m, e = s.split("e")
                m = repr(float(m)).rstrip("0").rstrip(".") if "." in m else m
                ei = int(e)
                return f"{m}e{'-' if ei < 0 else '+'}{abs(ei):02d}"
        return r
    s = "%.*g" % (prec, x)
    if "e" in s:
        m, e = s.split("e")
        ei = int(e)
        s = f"{m}e{'-' if ei < 0 else '+'}{abs(ei):02d}"
    return s


def fmt_const_value(val, kind: str) -> str:
    """go/constant's Value.String() for a value of the given constant kind (bool/int/float/complex/string)."""
    if kind == "bool":
        return "true" if val else "false"
    if kind == "string":
        s = go_quote(val)
        if len(s) > 72:
            s = s[:69] + "..."
        return s
    if kind == "int":
        return str(int(val))
    if kind == "float":
        f = float(val)
        s = fmt_go_g(f, 6)
        is_int = Fraction(val).denominator == 1 if not isinstance(val, float) else float(val).is_integer()
        if not is_int and "." not in s and "e" not in s:
            s = fmt_go_g(f, -1)
        return s
    if kind == "complex":
        c = complex(val)
        return f"({fmt_const_value(Fraction(c.real) if c.real == int(c.real) else c.real, 'float')} + {fmt_const_value(c.imag, 'float')}i)"
    return str(val)


def const_kind(val) -> str:
    if isinstance(val, bool):
        return "bool"
    if isinstance(val, str):
        return "string"
    if isinstance(val, int):
        return "int"
    if isinstance(val, (float, Fraction)):
        return "float"
    if isinstance(val, complex):
        return "complex"
    return "int"


DEFAULT_KIND_TYPE = {"bool": "bool", "int": "int", "float": "float64", "complex": "complex128", "string": "string"}
UNTYPED_KIND = {"bool": "untyped bool", "int": "untyped int", "float": "untyped float", "complex": "untyped complex",
                "string": "untyped string"}


def fmt_literal(n: Node) -> str:
    typ = n.type
    val = n.val
    kind = n.extra or const_kind(val)  # extra: the constant's kind after conversion
    if typ is not None and isinstance(typ, T.Basic) and typ.name in ("rune", "untyped rune"):
        if isinstance(val, int) and 0 <= val <= 0x10FFFF:
            return go_quote_rune(val)
    if typ is None or (isinstance(typ, T.Basic) and (typ.name == DEFAULT_KIND_TYPE.get(kind) or typ.kind == UNTYPED_KIND.get(kind))):
        return fmt_const_value(val, kind)
    return f"{T.fmt_type(typ)}({fmt_const_value(val, kind)})"


# -- printing expressions --------------------------------------------------------------------------

OP_PREC = {}
for _op in ("APPEND BYTES2STR ARRAYLIT SLICELIT RUNES2STR CALLFUNC CALLINTER CALLMETH CALL CAP CLEAR CLOSE COMPLIT "
            "CONVIFACE CONVNOP CONV COPY DELETE LEN LITERAL MAKESLICE MAKE MAPLIT MAX MIN NAME NEW "
            "NIL PANIC PAREN PRINTLN PRINT RUNESTR SLICE2ARR SLICE2ARRPTR STR2BYTES STR2RUNES STRUCTLIT TYPE INDEXMAP "
            "INDEX SLICE SLICESTR SLICEARR SLICE3 SLICE3ARR DOTINTER DOTMETH DOTPTR DOTTYPE2 DOTTYPE DOT XDOT "
            "METHVALUE METHEXPR UNSAFEADD UNSAFESLICE UNSAFESTRING UNSAFESTRINGDATA UNSAFESLICEDATA").split():
    OP_PREC[_op] = 8
for _op in "PLUS NOT BITNOT NEG ADDR DEREF RECV".split():
    OP_PREC[_op] = 7
for _op in "MUL DIV MOD LSH RSH AND ANDNOT".split():
    OP_PREC[_op] = 6
for _op in "ADD SUB OR XOR".split():
    OP_PREC[_op] = 5
for _op in "EQ LT LE GE GT NE".split():
    OP_PREC[_op] = 4
OP_PREC.update({"SEND": 3, "ANDAND": 2, "OROR": 1})

OP_NAMES = {"ADDR": "&", "ADD": "+", "ADDSTR": "+", "ANDAND": "&&", "ANDNOT": "&^", "AND": "&", "APPEND": "append",
            "CAP": "cap", "CLEAR": "clear", "CLOSE": "close", "COMPLEX": "complex", "BITNOT": "^", "COPY": "copy",
            "DELETE": "delete", "DIV": "/", "UNSAFEADD": "unsafe.Add", "UNSAFESLICE": "unsafe.Slice",
            "UNSAFESTRING": "unsafe.String", "UNSAFESTRINGDATA": "unsafe.StringData", "UNSAFESLICEDATA": "unsafe.SliceData", "EQ": "==", "GE": ">=", "GT": ">", "IMAG": "imag", "DEREF": "*",
            "LEN": "len", "LE": "<=", "LSH": "<<", "LT": "<", "MAKE": "make", "NEG": "-", "MAX": "max", "MIN": "min",
            "MOD": "%", "MUL": "*", "NEW": "new", "NE": "!=", "NOT": "!", "OROR": "||", "OR": "|", "PANIC": "panic",
            "PLUS": "+", "PRINTLN": "println", "PRINT": "print", "REAL": "real", "RECV": "<-", "RECOVER": "recover",
            "RSH": ">>", "SEND": "<-", "SUB": "-", "XOR": "^"}

BINARY_OPS = {"ADD", "AND", "ANDNOT", "DIV", "EQ", "GE", "GT", "LE", "LT", "LSH", "MOD", "MUL", "NE", "OR", "RSH",
              "SUB", "XOR"}


def fmt_list(nodes) -> str:
    return ", ".join(fmt_node(n) for n in nodes or [])


def fmt_node(n: Optional[Node], prec: int = 0) -> str:
    if n is None:
        return "<nil>"
    while n.op in ("ADDR", "DEREF", "CONV", "CONVNOP", "CONVIFACE") and n.implicit:
        n = n.x
    op = n.op
    nprec = OP_PREC.get(op, 0)
    if op == "TYPE" and n.type is not None and n.type.is_ptr() and not n.type.is_named():
        nprec = 7
    if prec > nprec:
        return "(" + fmt_node(n) + ")"
    if op == "PAREN":
        return "(" + fmt_node(n.x) + ")"
    if op == "NIL":
        if n.extra == "typed-nil":
            return f"({T.fmt_type(n.type)})(nil)"
        return "nil"
    if op == "LITERAL":
        return fmt_literal(n)
    if op == "NAME":
        if n.sym.startswith("~b"):
            return "_"
        return (n.pkgname + "." if n.pkgname else "") + n.sym
    if op == "TYPE":
        return T.fmt_type(n.type)
    if op == "CLOSURE":
        return "func literal"
    if op == "INLCALL":  # an inlined call prints as its result variable(s)
        return fmt_node(n.list[0]) if len(n.list) == 1 else "(." + fmt_list(n.list) + ")"
    if op == "PTRLIT":
        return "&" + fmt_node(n.x)
    if op in ("STRUCTLIT", "ARRAYLIT", "SLICELIT", "MAPLIT", "COMPLIT"):
        if n.implicit:
            return "... argument"
        return T.fmt_type(n.type) + "{" + ("..." if n.list else "") + "}"
    if op in ("XDOT", "DOT", "DOTPTR", "DOTINTER", "DOTMETH", "METHVALUE", "METHEXPR"):
        return fmt_node(n.x, nprec) + "." + n.sel
    if op in ("DOTTYPE", "DOTTYPE2"):
        return fmt_node(n.x, nprec) + ".(" + T.fmt_type(n.type) + ")"
    if op in ("INDEX", "INDEXMAP"):
        return fmt_node(n.x, nprec) + "[" + fmt_node(n.index) + "]"
    if op in ("SLICE", "SLICESTR", "SLICEARR", "SLICE3", "SLICE3ARR"):
        s = fmt_node(n.x, nprec) + "["
        if n.low is not None:
            s += fmt_node(n.low)
        s += ":"
        if n.high is not None:
            s += fmt_node(n.high)
        if op in ("SLICE3", "SLICE3ARR"):
            s += ":"
            if n.max is not None:
                s += fmt_node(n.max)
        return s + "]"
    if op in ("COMPLEX", "COPY", "UNSAFEADD", "UNSAFESLICE"):
        return f"{OP_NAMES[op]}({fmt_node(n.x)}, {fmt_node(n.y)})"
    if op in ("CONV", "CONVIFACE", "CONVNOP", "BYTES2STR", "RUNES2STR", "STR2BYTES", "STR2RUNES", "RUNESTR",
              "SLICE2ARR", "SLICE2ARRPTR"):
        ts = T.fmt_type(n.type)
        if n.type is None or n.type.sym() is None:
            ts = "(" + ts + ")"
        return ts + "(" + fmt_node(n.x) + ")"
    if op in ("REAL", "IMAG", "CAP", "CLEAR", "CLOSE", "LEN", "NEW", "PANIC"):
        if op == "NEW":
            return f"new({T.fmt_type(n.type.elem_type) if n.x is None else fmt_node(n.x)})"
        return f"{OP_NAMES[op]}({fmt_node(n.x)})"
    if op in ("APPEND", "DELETE", "MAKE", "MAX", "MIN", "RECOVER", "PRINT", "PRINTLN"):
        return f"{OP_NAMES[op]}({fmt_list(n.args)}{'...' if n.is_ddd else ''})"
    if op == "CALLFUNC" and n.inlres:  # printed as the compiler prints the OINLCALL it made of it
        return n.inlres[0] if len(n.inlres) == 1 else "(." + ", ".join(n.inlres) + ")"
    if op in ("CALL", "CALLFUNC", "CALLINTER", "CALLMETH"):
        return fmt_node(n.fun, nprec) + "(" + fmt_list(n.args) + ("..." if n.is_ddd else "") + ")"
    if op in ("MAKEMAP", "MAKECHAN", "MAKESLICE"):
        ts = T.fmt_type(n.type)
        if n.cap is not None:
            return f"make({ts}, {fmt_node(n.len)}, {fmt_node(n.cap)})"
        if n.len is not None and (op == "MAKESLICE" or not n.len.type.is_untyped()):
            return f"make({ts}, {fmt_node(n.len)})"
        return f"make({ts})"
    if op in ("PLUS", "NEG", "BITNOT", "NOT", "RECV", "ADDR"):
        s = OP_NAMES[op]
        if n.x is not None and n.x.op == op:
            s += " "
        return s + fmt_node(n.x, nprec + 1)
    if op == "DEREF":
        return "*" + fmt_node(n.x, nprec + 1)
    if op in BINARY_OPS or op in ("ANDAND", "OROR"):
        return fmt_node(n.x, nprec) + f" {OP_NAMES[op]} " + fmt_node(n.y, nprec + 1)
    if op == "SEND":
        return fmt_node(n.x, nprec) + " <- " + fmt_node(n.y, nprec + 1)
    if op == "ADDSTR":
        return " + ".join(fmt_node(x, nprec) for x in n.list)
    if op == "KEY":
        return f"{fmt_node(n.key)}:{fmt_node(n.value)}"
    if op == "STRUCTKEY":
        return f"{n.sel}:{fmt_node(n.value)}"
    if op in STMT_OPS:
        return fmt_stmt(n)
    return f"<node {OP_NAMES.get(op, op)}>"  # what the compiler prints for ops its printer lacks


STMT_OPS = {"AS", "AS2", "AS2DOTTYPE", "AS2FUNC", "AS2MAPR", "AS2RECV", "ASOP", "BLOCK", "RETURN", "GO", "DEFER",
            "IF", "FOR", "RANGE", "SELECT", "SWITCH", "CASE", "BREAK", "CONTINUE", "GOTO", "FALL", "LABEL", "DCL",
            "SELRECV2"}


def fmt_stmt(n: Node) -> str:
    op = n.op
    if op == "DCL":
        return f"var {n.x.sym} {T.fmt_type(n.x.type)}"
    if op == "AS":
        y = fmt_node(n.y)
        return f"{fmt_node(n.x)} {':=' if n.def_ else '='} {y}"
    if op == "ASOP":
        if n.incdec:
            return f"{fmt_node(n.x)}{'++' if n.asop == 'ADD' else '--'}"
        return f"{fmt_node(n.x)} {OP_NAMES[n.asop]}= {fmt_node(n.y)}"
    if op in ("AS2", "AS2DOTTYPE", "AS2FUNC", "AS2MAPR", "AS2RECV", "SELRECV2"):
        return f"{fmt_list(n.lhs)} {':=' if n.def_ else '='} {fmt_list(n.rhs)}"
    if op == "RETURN":
        return "return " + fmt_list(n.list)
    if op == "GO":
        return "go " + fmt_node(n.x)
    if op == "DEFER":
        return "defer " + fmt_node(n.x)
    if op in ("FOR", "RANGE"):
        return "for loop"
    if op in ("SELECT", "SWITCH"):
        return ("select" if op == "SELECT" else "switch") + " statement"
    if op == "IF":
        return f"if {fmt_node(n.cond)} {{ ... }}"
    if op in ("BREAK", "CONTINUE", "GOTO", "FALL"):
        word = {"BREAK": "break", "CONTINUE": "continue", "GOTO": "goto", "FALL": "fallthrough"}[op]
        return f"{word} {n.label}" if n.label else word
    if op == "LABEL":
        return f"{n.label}: "
    if op == "CASE":
        head = ("case " + fmt_list(n.list)) if n.list else "default"
        return head + ": " + "; ".join(fmt_node(s) for s in n.body or [])
    if op == "BLOCK":
        return "; ".join(fmt_node(s) for s in n.list or [])
    return f"<stmt {op}>"
