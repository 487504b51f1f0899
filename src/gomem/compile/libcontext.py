"""The ``context`` calls: :class:`ContextLib`, a mixin of :class:`.lib.Lib`.

A Context is an interface value; the package's own contexts (``backgroundCtx``, ``todoCtx``,
``*cancelCtx``, ``*timerCtx``, ``*valueCtx``) are types of the program's interface tables whose
methods (Deadline, Done, Err, Value, String) are native: they call the helpers of
:mod:`gomem.std.support_context`, which keeps the contexts in model memory.  ``context.Canceled``
and ``context.DeadlineExceeded`` are package variables in the image, set by the package's init
(``ctx_init``, run with the linker's static initialisers).  ``withoutCancelCtx`` is a value type (a
struct holding the parent), boxed by its conversion to Context as Go's ``convT`` boxes it; so is
``stopCtx`` (the parent and the stop func its AfterFunc returned), which ``propagateCancel`` puts
between a child and a parent implementing ``afterFuncer``.
"""

from __future__ import annotations

from . import types as T

BACKGROUND = T.Named("backgroundCtx", "context", "context", False)
TODO = T.Named("todoCtx", "context", "context", False)
CANCEL = T.Named("cancelCtx", "context", "context", False)
TIMER = T.Named("timerCtx", "context", "context", False)
VALUE = T.Named("valueCtx", "context", "context", False)
WITHOUT = T.Named("withoutCancelCtx", "context", "context", False)
STOP = T.Named("stopCtx", "context", "context", False)
DEADLINE_EXCEEDED = T.Named("deadlineExceededError", "context", "context", False)
for _t in (BACKGROUND, TODO, CANCEL, TIMER, VALUE, WITHOUT, DEADLINE_EXCEEDED):
    _t.under = T.Struct([])
CANCEL_PTR, TIMER_PTR, VALUE_PTR = T.Pointer(CANCEL), T.Pointer(TIMER), T.Pointer(VALUE)
#: context's afterFuncer: ``interface { AfterFunc(func()) func() bool }``
STOP_FUNC = T.Signature([], [T.Param("", T.BOOL)])
AFTER_FUNCER = T.Interface([T.IMethod("AfterFunc", T.Signature([T.Param("", T.Signature([], []))],
                                                                [T.Param("", STOP_FUNC)]))])


class ContextLib:
    """The handlers (see the module docstring)."""

    def _ctx(self, fg, n, ctx_t=None) -> dict:
        """The interface type words of the contexts, registering their native methods once (*ctx_t*: the
        Context type, when *n*'s result is not one)."""
        pg = fg.pg
        got = getattr(pg, "_ctx_tabs", None)
        if got is not None:
            return got
        ctx_t = ctx_t or self._context_type(n)
        WITHOUT.under = T.Struct([T.Field("c", ctx_t)])
        STOP.under = T.Struct([T.Field("Context", ctx_t, True), T.Field("stop", STOP_FUNC)])
        tables = pg.ifaces
        done_t = ctx_t.u.method("Done").sig.results[0].type

        def native(t, name, call, nargs=0):
            tables.native_method(t, name, [f"return {call.format(r='d')}"], [f"return {call.format(r='v')}"], nargs)

        for t, kind in ((BACKGROUND, "bg"), (TODO, "todo")):
            native(t, "Deadline", "ctx_empty_Deadline(g, {r})")
            native(t, "Done", "ctx_empty_Done(g, {r})")
            native(t, "Err", "ctx_empty_Err(g, {r})")
            native(t, "Value", "ctx_empty_Value(g, {r}, a0)", 1)
            text = "context.Background" if kind == "bg" else "context.TODO"
            native(t, "String", pg.string_const(text))
        for t, kind in ((CANCEL_PTR, "cancel"), (TIMER_PTR, "timer")):
            native(t, "Deadline", f"ctx_Deadline(g, {kind!r}, {{r}})")
            native(t, "Done", "ctx_Done(g, {r})")
            native(t, "Err", "ctx_Err(g, {r})")
            native(t, "Value", "ctx_Value(g, {r}, a0)", 1)
        native(CANCEL_PTR, "String", "ctx_cancel_String(g, {r})")
        native(VALUE_PTR, "String", "ctx_value_String(g, {r})")
        tables.native_method(WITHOUT, "Deadline", ["return ctx_empty_Deadline(g, d)"],
                             ["return ctx_empty_Deadline(g, v)"])
        tables.native_method(WITHOUT, "Done", ["return 0"], ["return 0"])
        tables.native_method(WITHOUT, "Err", ["return (0, 0)"], ["return (0, 0)"])
        tables.native_method(WITHOUT, "Value", ["return ctx_withoutCancel_Value(g, d, a0)"],
                             ["return ctx_withoutCancel_Value_v(g, v[0], a0)"], 1)
        tables.native_method(WITHOUT, "String", ["return ctx_without_String(g, d)"],
                             ["return ctx_without_String_v(g, v[0])"])
        for name, call, nargs in (("Deadline", "ctx_stop_Deadline(g, {r})", 0), ("Done", "ctx_stop_Done(g, {r})", 0),
                                  ("Err", "ctx_stop_Err(g, {r})", 0), ("Value", "ctx_stop_Value(g, {r}, a0)", 1)):
            tables.native_method(STOP, name, ["return " + call.format(r="(W[(d - B) >> 3], W[((d - B) >> 3) + 1])")],
                                 ["return " + call.format(r="v[0]")], nargs)
        native(VALUE_PTR, "Deadline", "ctx_Deadline(g, 'value', {r})")
        native(VALUE_PTR, "Done", "ctx_valueCtx_Done(g, {r})")
        native(VALUE_PTR, "Err", "ctx_valueCtx_Err(g, {r})")
        native(VALUE_PTR, "Value", "ctx_valueCtx_Value(g, {r}, a0)", 1)
        native(DEADLINE_EXCEEDED, "Error", pg.string_const("context deadline exceeded"))
        native(DEADLINE_EXCEEDED, "Timeout", "True")
        native(DEADLINE_EXCEEDED, "Temporary", "True")
        es, _ = self._error_tabs(fg)
        tabs = {k: tables.tab(ctx_t, t) for k, t in (("bg", BACKGROUND), ("todo", TODO), ("cancel", CANCEL_PTR),
                                                     ("timer", TIMER_PTR), ("value", VALUE_PTR),
                                                     ("without", WITHOUT), ("stop", STOP))}
        gv_c, gv_d = pg.std_global("context", "Canceled", T.ERROR), pg.std_global("context", "DeadlineExceeded", T.ERROR)
        closures = pg.closures
        pg.std_init_lines.append(
            f"ctx_init(g, {tabs['bg']}, {tabs['todo']}, {tabs['cancel']}, {tabs['timer']}, {tabs['value']}, {es}, "
            f"{tables.tab(T.ERROR, DEADLINE_EXCEEDED)}, {fg.chan_type(done_t, n)}, {gv_c}, {gv_d}, "
            f"{pg.string_const('context canceled')}, {closures.code_word('ctx_cancel_code')}, "
            f"{closures.code_word('ctx_deadline_code')}, {tabs['without']}, {tables.td(CANCEL_PTR)}, "
            f"{tables.td(T.Pointer(T.INT))}, {closures.code_word('ctx_cancel_cause_code')}, "
            f"{closures.code_word('ctx_afterfunc_stop_code')}, {tabs['stop']}, {tables.iface_id(AFTER_FUNCER)}, "
            f"{closures.code_word('ctx_afterfuncer_code')})")
        pg._ctx_tabs = tabs
        return tabs

    @staticmethod
    def _context_type(n) -> T.Type:
        t = n.type
        return t.types[0] if isinstance(t, T.Tuple) else t

    def call_context_Background(self, fg, n):
        return f"({self._ctx(fg, n)['bg']}, ZEROBASE)"

    def call_context_TODO(self, fg, n):
        return f"({self._ctx(fg, n)['todo']}, ZEROBASE)"

    def call_context_WithCancel(self, fg, n):
        self._ctx(fg, n)
        return f"context_WithCancel(g, {fg.arg_list(n.args)[0]})"

    def call_context_WithCancelCause(self, fg, n):
        self._ctx(fg, n)
        return f"context_WithCancelCause(g, {fg.arg_list(n.args)[0]})"

    def call_context_WithDeadlineCause(self, fg, n):
        self._ctx(fg, n)
        parent, d, cause = fg.arg_list(n.args)
        return f"context_WithDeadlineCause(g, {parent}, {d}, {cause})"

    def call_context_WithTimeoutCause(self, fg, n):
        self._ctx(fg, n)
        parent, d, cause = fg.arg_list(n.args)
        return f"context_WithTimeoutCause(g, {parent}, {d}, {cause})"

    def call_context_WithoutCancel(self, fg, n):
        self._ctx(fg, n)
        return fg.spill_val(f"context_WithoutCancel(g, {fg.arg_list(n.args)[0]})", n.type)

    def call_context_AfterFunc(self, fg, n):
        """``AfterFunc(ctx, f)``: *f*'s name goes with it, for the traceback of the goroutine it runs in."""
        self._ctx(fg, n, n.args[0].type)
        ctx, f = fg.arg_list(n.args)
        return fg.spill_val(f"context_AfterFunc(g, {ctx}, {f}, {fg.go_name(n.args[1])!r})", n.type)

    def call_context_WithTimeout(self, fg, n):
        self._ctx(fg, n)
        parent, d = fg.arg_list(n.args)
        return f"context_WithTimeout(g, {parent}, {d})"

    def call_context_WithDeadline(self, fg, n):
        self._ctx(fg, n)
        parent, d = fg.arg_list(n.args)
        return f"context_WithDeadline(g, {parent}, {d})"

    def call_context_WithValue(self, fg, n):
        self._ctx(fg, n)
        parent, k, v = fg.arg_list(n.args)
        return fg.spill_val(f"context_WithValue(g, {parent}, {k}, {v})", n.type)

    def call_context_Cause(self, fg, n):
        self._ctx(fg, n, n.args[0].type)
        return f"context_Cause(g, {fg.arg_list(n.args)[0]})"
