"""The ``time`` calls: :class:`TimeLib`, a mixin of :class:`.lib.Lib`.

Each lowers to a helper of :mod:`gomem.std.support_time` (which says what is modelled on model
time and what is simplified).  A ``Time`` is its value form, the tuple ``(wall, ext, loc)``; a
``Duration`` an int; a ``*Timer``/``*Ticker`` the timer object's address.  The timers' channel
element type (``chan Time``) is the generated ``ElemType`` of the ``C`` field's type.
"""

from __future__ import annotations


class TimeLib:
    """The handlers (see the module docstring)."""

    @staticmethod
    def _time_chan(fg, n, timer_result: bool) -> str:
        """The generated ElemType of ``chan Time``, from the call's result type."""
        t = n.type
        ch = t.elem().u.fields[0].type if timer_result else t
        return fg.chan_type(ch, n)

    def call_time_Now(self, fg, n):
        return "time_Now(g)"

    def call_time_Since(self, fg, n):
        return f"time_Since(g, {fg.arg_list(n.args)[0]})"

    def call_time_Until(self, fg, n):
        return f"time_Until(g, {fg.arg_list(n.args)[0]})"

    def call_time_Sleep(self, fg, n):
        return f"time_Sleep(g, {fg.arg_list(n.args)[0]})"

    def m_time_Time_Sub(self, fg, n):
        t, u = fg.arg_list(n.args)
        return f"time_Sub(g, {t}, {u})"

    def m_time_Time_Add(self, fg, n):
        t, d = fg.arg_list(n.args)
        return f"time_Add(g, {t}, {d})"

    def m_time_Time_Before(self, fg, n):
        t, u = fg.arg_list(n.args)
        return f"time_t_Before(g, {t}, {u})"

    def m_time_Time_After(self, fg, n):
        t, u = fg.arg_list(n.args)
        return f"time_t_After(g, {t}, {u})"

    def m_time_Time_UnixNano(self, fg, n):
        return f"time_UnixNano(g, {fg.arg_list(n.args)[0]})"

    def m_time_Time_UnixMicro(self, fg, n):
        return f"(time_UnixNano(g, {fg.arg_list(n.args)[0]}) // 1000)"

    def m_time_Time_UnixMilli(self, fg, n):
        return f"(time_UnixNano(g, {fg.arg_list(n.args)[0]}) // 1000000)"

    def m_time_Time_Unix(self, fg, n):
        return f"time_Unix(g, {fg.arg_list(n.args)[0]})"

    def m_time_Duration_String(self, fg, n):
        return fg.spill_val(f"duration_String(g, {fg.arg_list(n.args)[0]})", n.type)

    def m_time_Duration_Seconds(self, fg, n):
        return f"duration_Seconds({fg.arg_list(n.args)[0]})"

    def m_time_Duration_Milliseconds(self, fg, n):
        return f"go_quo({fg.arg_list(n.args)[0]}, 1000000)"

    def m_time_Duration_Microseconds(self, fg, n):
        return f"go_quo({fg.arg_list(n.args)[0]}, 1000)"

    def m_time_Duration_Nanoseconds(self, fg, n):
        return f"({fg.arg_list(n.args)[0]})"

    def call_time_NewTimer(self, fg, n):
        return fg.spill(f"time_NewTimer(g, {self._time_chan(fg, n, True)}, {fg.arg_list(n.args)[0]})")

    def call_time_NewTicker(self, fg, n):
        return fg.spill(f"time_NewTicker(g, {self._time_chan(fg, n, True)}, {fg.arg_list(n.args)[0]})")

    def call_time_After(self, fg, n):
        return fg.spill(f"time_After(g, {self._time_chan(fg, n, False)}, {fg.arg_list(n.args)[0]})")

    def call_time_Tick(self, fg, n):
        return fg.spill(f"time_Tick(g, {self._time_chan(fg, n, False)}, {fg.arg_list(n.args)[0]})")

    def call_time_AfterFunc(self, fg, n):
        d, f = fg.arg_list(n.args)
        return fg.spill(f"time_AfterFunc(g, {d}, {f})")

    def m_time_Timer_Stop(self, fg, n):
        return f"timer_Stop(g, {fg.arg_list(n.args)[0]})"

    def m_time_Timer_Reset(self, fg, n):
        t, d = fg.arg_list(n.args)
        return f"timer_Reset(g, {t}, {d})"

    def m_time_Ticker_Stop(self, fg, n):
        return f"(timer_Stop(g, {fg.arg_list(n.args)[0]}), None)[1]"

    def m_time_Ticker_Reset(self, fg, n):
        t, d = fg.arg_list(n.args)
        return f"ticker_Reset(g, {t}, {d})"
