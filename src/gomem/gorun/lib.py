"""The standard-library calls this increment runs: ``fmt.Print*``, ``flag.Int``, ``flag.Parse``.

Each call allocates what Go's allocates where the program can see it:
``fmt``'s variadic ``...any`` argument packs each operand into an interface,
and ``runtime.convT64`` puts an integer outside ``staticuint64s`` (0..255)
in an 8-byte noscan object on the heap (through the tiny allocator) when the
escape analysis says the operand escapes, as it does for every fmt call.
``flag.Int`` returns a pointer to a heap ``int``.  What fmt allocates for
itself (its ``pp`` from a ``sync.Pool``, its buffer) is runtime start-up to
a first approximation and is not modelled in this increment.
"""

from __future__ import annotations

from ..escape.check_base import Unsupported
from .codegen import INT_BITS


class Lib:
    def call(self, fg, n, fun) -> str:
        key = f"{fun.pkgname}.{fun.sym}"
        h = getattr(self, "call_" + key.replace(".", "_"), None)
        if h is None:
            raise Unsupported(n.pos, f"gomem cannot run this yet: the function {key}")
        return h(fg, n)

    # -- fmt ----------------------------------------------------------------------------------

    def _operands(self, fg, n, first: int) -> list[str]:
        args = n.args or []
        if len(args) != first + 1 or args[first].op != "SLICELIT":
            raise Unsupported(n.pos, "gomem cannot run this yet: passing a slice to fmt with ...")
        out = []
        for e in args[first].list or []:
            if e.op != "CONVIFACE":
                raise Unsupported(e.pos, "gomem cannot run this yet: an interface value as a fmt operand")
            x = e.x
            k = x.type.u.kind
            escapes = id(e) in fg.pg.heap_allocs
            if k in INT_BITS:
                out.append(f"box_int(g, {fg.expr(x)}, {escapes}, {INT_BITS[k]})")
            elif k in ("string", "untyped string") and x.op == "LITERAL":
                out.append(repr(x.val))
            elif k == "bool":
                out.append(f"bool({fg.expr(x)})")
            else:
                raise Unsupported(x.pos, f"gomem cannot run this yet: a fmt operand of type {x.type}")
        return out

    def call_fmt_Printf(self, fg, n) -> str:
        fmtarg = n.args[0]
        if fmtarg.op != "LITERAL":
            raise Unsupported(n.pos, "gomem cannot run this yet: a format that is not a constant")
        return f"printf(g, {fmtarg.val!r}, ({', '.join(self._operands(fg, n, 1))},))"

    def call_fmt_Println(self, fg, n) -> str:
        return f"println_(g, ({', '.join(self._operands(fg, n, 0))},))"

    def call_fmt_Print(self, fg, n) -> str:
        return f"print_(g, ({', '.join(self._operands(fg, n, 0))},))"

    # -- flag ---------------------------------------------------------------------------------

    def call_flag_Int(self, fg, n) -> str:
        name, default, usage = n.args
        for a in (name, default, usage):
            if a.op != "LITERAL":
                raise Unsupported(a.pos, "gomem cannot run this yet: flag.Int with non-constant arguments")
        return fg.spill(f"flag_int(g, {name.val!r}, {int(default.val)}, {usage.val!r})")

    def call_flag_Parse(self, fg, n) -> str:
        return "flag_parse(g)"

