"""The ``runtime/metrics`` calls: :class:`MetricsLib`, a mixin of :class:`.lib.Lib`.

``metrics.Read`` and ``metrics.All`` lower to the helpers of
:mod:`gomem.std.support_metrics` (which also says what is simplified); the
``Value`` methods, which Go inlines, read the value form of a ``Value`` (the
tuple ``(kind, scalar, pointer)``) and panic with Go's words on the wrong
kind.
"""

from __future__ import annotations


class MetricsLib:
    """The handlers (see the module docstring)."""

    def call_metrics_Read(self, fg, n):
        (m,) = fg.arg_list(n.args or [])
        return f"metrics_Read(g, {m})"

    def call_metrics_All(self, fg, n):
        return "metrics_All(g)"

    def m_runtime_metrics_Value_Kind(self, fg, n):
        return f"({fg.expr(n.args[0])})[0]"

    def m_runtime_metrics_Value_Uint64(self, fg, n):
        return f"metrics_Value_Uint64({fg.expr(n.args[0])})"

    def m_runtime_metrics_Value_Float64(self, fg, n):
        return f"metrics_Value_Float64({fg.expr(n.args[0])})"

    def m_runtime_metrics_Value_Float64Histogram(self, fg, n):
        return f"metrics_Value_Float64Histogram({fg.expr(n.args[0])})"
