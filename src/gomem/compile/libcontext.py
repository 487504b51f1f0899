"""The ``context`` calls: :class:`ContextLib`, a mixin of :class:`.lib.Lib`.

A Context is an interface value; the package's own contexts (``backgroundCtx``, ``todoCtx``,
``*cancelCtx``, ``*timerCtx``, ``*valueCtx``) are types of the program's interface tables whose
methods (Deadline, Done, Err, Value, String) are native: they call the helpers of
:mod:`gomem.std.support_context`, which keeps the contexts in model memory.  ``context.Canceled``
and ``context.DeadlineExceeded`` are package variables in the image, set by the package's init
(``ctx_init``, run with the linker's static initialisers).
"""

from __future__ import annotations

from . import types as T

BACKGROUND = T.Named("backgroundCtx", "context", "context", False)
TODO = T.Named("todoCtx", "context", "context", False)
CANCEL = T.Named("cancelCtx", "context", "context", False)
TIMER = T.Named("timerCtx", "context", "context", False)
VALUE = T.Named("valueCtx", "context", "context", False)
DEADLINE_EXCEEDED = T.Named("deadlineExceededError", "context", "context", False)
for _t in (BACKGROUND, TODO, CANCEL, TIMER, VALUE, DEADLINE_EXCEEDED):
    _t.under = T.Struct([])
CANCEL_PTR, TIMER_PTR, VALUE_PTR = T.Pointer(CANCEL), T.Pointer(TIMER), T.Pointer(VALUE)


class ContextLib:
    """The handlers (see the module docstring)."""

    def _ctx(self, fg, n) -> dict:
        """The interface type words of the contexts, registering their native methods once."""
        pg = fg.pg
        got = getattr(pg, "_ctx_tabs", None)
        if got is not None:
            return got
        ctx_t = self._context_type(n)
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
        native(VALUE_PTR, "Deadline", "ctx_Deadline(g, 'value', {r})")
        native(VALUE_PTR, "Done", "ctx_valueCtx_Done(g, {r})")
        native(VALUE_PTR, "Err", "ctx_valueCtx_Err(g, {r})")
        native(VALUE_PTR, "Value", "ctx_valueCtx_Value(g, {r}, a0)", 1)
        native(DEADLINE_EXCEEDED, "Error", pg.string_const("context deadline exceeded"))
        native(DEADLINE_EXCEEDED, "Timeout", "True")
        native(DEADLINE_EXCEEDED, "Temporary", "True")
        es, _ = self._error_tabs(fg)
        tabs = {k: tables.tab(ctx_t, t) for k, t in (("bg", BACKGROUND), ("todo", TODO), ("cancel", CANCEL_PTR),
                                                     ("timer", TIMER_PTR), ("value", VALUE_PTR))}
        gv_c, gv_d = pg.std_global("context", "Canceled", T.ERROR), pg.std_global("context", "DeadlineExceeded", T.ERROR)
        closures = pg.closures
        pg.std_init_lines.append(
            f"ctx_init(g, {tabs['bg']}, {tabs['todo']}, {tabs['cancel']}, {tabs['timer']}, {tabs['value']}, {es}, "
            f"{tables.tab(T.ERROR, DEADLINE_EXCEEDED)}, {fg.chan_type(done_t, n)}, {gv_c}, {gv_d}, "
            f"{pg.string_const('context canceled')}, {closures.code_word('ctx_cancel_code')}, "
            f"{closures.code_word('ctx_deadline_code')})")
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
        return f"context_Cause(g, {fg.arg_list(n.args)[0]})"
