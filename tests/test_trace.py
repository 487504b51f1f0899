"""gomem.runtime.trace: Go's fmtNSAsMS / itoaDiv and the gctrace line, byte for byte.

The reference is ``runtime/mgc.go`` (``itoaDiv``, ``fmtNSAsMS`` and the
print in ``gcMarkTermination``); :func:`go_itoa_div` below is a
line-by-line port of Go's buffer loop, used as a second implementation to
check gomem's against.  tests/test_realgo_gctrace.py checks both against the
real runtime's own function.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gomem.cmd.report import FMT_NS_AS_MS, GCTRACE_RE, parse_gctrace_line
from gomem.runtime.trace import CycleRecord, EventLog, fmt_ns_as_ms, gctrace_line, itoa_div


def go_itoa_div(val: int, dec: int) -> str:
    """Go's itoaDiv, ported statement by statement (24-byte buffer, filled from the end)."""
    buf = [""] * 24
    i = len(buf) - 1
    idec = i - dec
    while val >= 10 or i >= idec:
        buf[i] = chr(val % 10 + ord("0"))
        i -= 1
        if i == idec:
            buf[i] = "."
            i -= 1
        val //= 10
    buf[i] = chr(val + ord("0"))
    return "".join(buf[i:])


def go_fmt_ns_as_ms(ns: int) -> str:
    if ns >= 10_000_000:
        return go_itoa_div(ns // 1_000_000, 0)
    x = ns // 1000
    if x == 0:
        return "0"
    dec = 3
    while x >= 100:
        x //= 10
        dec -= 1
    return go_itoa_div(x, dec)


@pytest.mark.parametrize(
    "ns, want",
    [
        (5_000, "0.005"),
        (170_000, "0.17"),
        (1_000_000, "1.0"),
        (9_990_000, "9.9"),
        (10_000_000, "10"),
        (0, "0"),
        (123_456_789, "123"),
        (999, "0"),  # under 1 us
        (1_000, "0.001"),
        (50_000, "0.050"),  # two significant digits keep a trailing zero
        (99_999, "0.099"),
        (100_000, "0.10"),
        (999_999, "0.99"),
        (9_999_999, "9.9"),  # truncated, never rounded
        (10_999_999, "10"),
        (1_234_567_890_123, "1234567"),
    ],
)
def test_fmt_ns_as_ms(ns: int, want: str) -> None:
    assert fmt_ns_as_ms(ns) == want
    assert go_fmt_ns_as_ms(ns) == want


def test_fmt_ns_as_ms_negative_is_zero() -> None:
    # Go takes a uint64; gomem never produces a negative span, and clamps one to 0
    assert fmt_ns_as_ms(-5) == "0"


@given(st.integers(min_value=0, max_value=10**13))
def test_fmt_ns_as_ms_matches_go_port_and_grammar(ns: int) -> None:
    s = fmt_ns_as_ms(ns)
    assert s == go_fmt_ns_as_ms(ns)
    assert re.fullmatch(FMT_NS_AS_MS, s), s


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_itoa_div_matches_go(val: int, dec: int) -> None:
    # Go's loop pads a one-digit value to two digits when dec == 0 ("05");
    # the runtime never calls it that way (fmtNSAsMS uses dec 0 only from 10 up)
    if dec == 0 and val < 10:
        assert go_itoa_div(val, 0) == f"0{val}"
        return
    assert itoa_div(val, dec) == go_itoa_div(val, dec)


@pytest.mark.parametrize("ms, want", [(0, "0.000"), (1, "0.001"), (98, "0.098"), (1234, "1.234"), (61_000, "61.000")])
def test_start_time_three_decimals(ms: int, want: str) -> None:
    assert itoa_div(ms, 3) == want


def _rec(**kw) -> CycleRecord:
    base = dict(
        n=1,
        t_sweep_term=1_000_000,
        t_mark=1_170_000,
        t_mark_term=2_170_000,
        t_end=2_175_000,
        stwprocs=2,
        assist_time=410_000,
        background_time=100_000,
        idle_time=91_000,
        heap0=3 << 20,
        heap1=(4 << 20) + 12345,
        heap2=(1 << 20) + 999,
        heap_goal=4 << 20,
        stack_scan=0,
        globals_scan=4096,
        procs=2,
        gc_cpu_percent=10,
    )
    base.update(kw)
    return CycleRecord(**base)


def test_gctrace_line_exact() -> None:
    # the shape of the first line in go-runtime-facts.md §6.1
    line = gctrace_line(_rec())
    assert line == (
        "gc 1 @0.001s 10%: 0.17+1.0+0.005 ms clock, 0.34+0.41/0.10/0.091+0.010 ms cpu, "
        "3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P"
    )
    assert GCTRACE_RE.fullmatch(line)


def test_gctrace_line_forced() -> None:
    rec = _rec(
        n=26,
        t_sweep_term=98_400_000,
        t_mark=98_409_000,
        t_mark_term=99_609_000,
        t_end=99_610_000,
        assist_time=0,
        background_time=200_000,
        idle_time=1_900_000,
        heap0=10 << 20,
        heap1=(10 << 20) + 5,
        heap2=7 << 20,
        heap_goal=20 << 20,
        gc_cpu_percent=15,
        forced=True,
    )
    line = gctrace_line(rec)
    assert line == (
        "gc 26 @0.098s 15%: 0.009+1.2+0.001 ms clock, 0.018+0/0.20/1.9+0.002 ms cpu, "
        "10->10->7 MB, 20 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)"
    )
    d = parse_gctrace_line(line)
    assert d is not None and d["forced"] and d["n"] == 26 and d["goal"] == 20
    assert d["cpu_idle"] == "1.9" and d["clock_mark"] == "1.2"


def test_gctrace_line_large_values() -> None:
    # whole ms from 10 ms; MB truncated (>>20); seconds keep three decimals
    rec = _rec(
        n=3,
        t_sweep_term=12_345_678_901,
        t_mark=12_345_678_901 + 25_000_000,
        t_mark_term=12_345_678_901 + 25_000_000 + 1_500_000_000,
        t_end=12_345_678_901 + 25_000_000 + 1_500_000_000 + 9_999,
        stwprocs=8,
        assist_time=123_456_789,
        background_time=4_000_000_000,
        idle_time=0,
        heap0=(1 << 30) - 1,
        heap1=1 << 30,
        heap2=(512 << 20) + (1 << 19),
        heap_goal=2 << 30,
        stack_scan=(3 << 20) + 1,
        globals_scan=(1 << 20),
        procs=8,
        gc_cpu_percent=100,
    )
    assert gctrace_line(rec) == (
        "gc 3 @12.345s 100%: 25+1500+0.009 ms clock, 200+123/4000/0+0.079 ms cpu, "
        "1023->1024->512 MB, 2048 MB goal, 3 MB stacks, 1 MB globals, 8 P"
    )


def test_gctrace_line_zero_cycle() -> None:
    line = gctrace_line(CycleRecord(n=1))
    assert line == (
        "gc 1 @0.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 0->0->0 MB, 0 MB goal, 0 MB stacks, 0 MB globals, 1 P"
    )
    assert GCTRACE_RE.fullmatch(line)


@pytest.mark.parametrize(
    "bad",
    [
        "gc 0 @0.001s 10%: 0.17+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
        "gc 1 @0.01s 10%: 0.17+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
        "gc 1 @0.001s 10%: 0.170+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
        "gc 1 @0.001s 10%: 0.17+1+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
        "gc 1 @0.001s 10%: 0.17+1.0+0.0050 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
        "gc 1 @0.001s 10%: 0.17+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 #MB globals, 2 P",
        "gc 1 @0.001s 10%: 0.17+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced) ",
        "gc 1 @0.001s 10%: 10.5+1.0+0.005 ms clock, 0.35+0.41/0.10/0.091+0.010 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
    ],
)
def test_gctrace_regex_is_strict(bad: str) -> None:
    assert GCTRACE_RE.fullmatch(bad) is None
    assert parse_gctrace_line(bad) is None


def test_event_log_subscribers_and_keep() -> None:
    log = EventLog(keep=False)
    seen = []
    log.subscribers.append(seen.append)
    log.emit(5, "gc-begin", 0, cycle=1)
    assert log.events == [] and len(seen) == 1 and seen[0].data == {"cycle": 1}
    assert "gc-begin" in str(seen[0])
