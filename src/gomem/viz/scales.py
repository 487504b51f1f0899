"""Axis scales for the charts: round tick values, and the unit a byte or nanosecond axis is labelled in."""

from __future__ import annotations

import math


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (about *n* of them)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    out = []
    v = start
    while v <= hi + step * 1e-9:
        out.append(round(v, 12))
        v += step
    if out[-1] < hi:
        out.append(round(out[-1] + step, 12))
    return out


def byte_unit(maxv: float) -> tuple[str, float]:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if maxv >= (1 << shift):
            return unit, float(1 << shift)
    return "B", 1.0


def time_unit(maxv: float) -> tuple[str, float]:
    for unit, div in (("s", 1e9), ("ms", 1e6), ("\u00b5s", 1e3)):
        if maxv >= div:
            return unit, div
    return "ns", 1.0
