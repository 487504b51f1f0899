"""One copy of each thing (issue 16, item 3): one gctrace parser, one strconv.Quote, shared test fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gomem.cmd import report, vsgo
from gomem.runtime import types
from gomem.compile import ir
from gomem.std import strconv
from gomem.runtime.trace import CycleRecord, gctrace_line

TESTS = Path(__file__).parent

GO127 = ("gc 7 @0.123s 4%: 0.012+1.5+0.003 ms clock, 0.024+0.10/0.95/0+0.006 ms cpu, "
         "10->11->5 MB, 12 MB goal, 0 MB stacks, 0 MB globals, 2 P")
GO117 = "gc 3 @0.012s 2%: 0.010+1.2+0.020 ms clock, 0.040+0.30/1.0/0.10+0.080 ms cpu, 4->5->1 MB, 5 MB goal, 4 P"


# -- gctrace --------------------------------------------------------------------------------------


def test_vs_go_reads_gctrace_with_reports_parser() -> None:
    src = Path(vsgo.__file__).read_text()
    assert "re.compile" not in src and "GCTRACE_ANY_RE" not in src and "def parse_gctrace" not in src
    assert vsgo.read_gctrace is report.read_gctrace and vsgo.TraceCycle is report.TraceCycle


@pytest.mark.parametrize("line", [GO127, GO127 + " (forced)"])
def test_strict_fields_come_from_the_one_parser(line: str) -> None:
    d = report.parse_gctrace_line(line)
    c = report.read_gctrace_line(line)
    assert d is not None and c is not None and d == c.fields()
    assert d["n"] == c.n == 7 and d["at"] == "0.123" and d["clock_mark"] == "1.5" and d["cpu_background"] == "0.95"
    assert (d["heap0"], d["heap1"], d["heap2"], d["goal"], d["procs"]) == (10, 11, 5, 12, 2)
    assert d["forced"] == line.endswith("(forced)")


def test_strict_grammar_is_go_1_27s_only() -> None:
    assert report.read_gctrace_line(GO117) is not None
    assert report.parse_gctrace_line(GO117) is None  # no stacks/globals: an older Go
    assert report.parse_gctrace_line(GO127.replace("0.012+", "0.0120+")) is None  # not fmtNSAsMS
    assert report.parse_gctrace_line("noise " + GO127) is None
    assert report.read_gctrace_line("noise " + GO127).n == 7


def test_gomems_own_lines_read_back() -> None:
    rec = CycleRecord(n=3, t_sweep_term=5_000_000, t_mark=5_003_000, t_mark_term=6_000_000, t_end=6_003_000,
                      heap0=5 << 20, heap1=6 << 20, heap2=2 << 20, heap_goal=8 << 20, procs=1, gc_cpu_percent=7)
    line = gctrace_line(rec)
    d = report.parse_gctrace_line(line)
    assert d is not None and (d["n"], d["pct"], d["heap1"], d["goal"]) == (3, 7, 6, 8)


# -- strconv.Quote --------------------------------------------------------------------------------

QUOTE_CASES = ['json:"name,omitempty"', "tab\there", "nul\x00del\x7f", "\u0085next-line", "\u00a0nbsp",
               "é 中文 😀", "\u200b zero width", "\ufeffbom", "\udce2\udc82\udcac", "\udcff raw byte", "", 'a"b\\c']


@pytest.mark.parametrize("s", QUOTE_CASES)
def test_one_quote(s: str) -> None:
    want = strconv.Quote(s.encode("utf-8", "surrogateescape")).decode()
    assert types._go_quote(s) == want
    assert ir.go_quote(s) == want


def test_quote_is_gos() -> None:
    # U+0085 is not printable in Go: \u0085, not a \x escape; raw bytes that spell UTF-8 are that rune
    assert ir.go_quote("\u0085") == '"\\u0085"'
    assert ir.go_quote("\udce2\udc82\udcac") == '"€"'
    assert ir.go_quote("\udcff") == '"\\xff"'


def test_no_quote_of_their_own() -> None:
    for mod in (types, ir):
        src = Path(mod.__file__).read_text()
        assert "_ESCAPES" not in src and "isprintable" not in src, mod.__name__


# -- test fixtures ----------------------------------------------------------------------------------


def test_fixtures_and_helpers_are_shared() -> None:
    plain_heap = re.compile(r"@pytest\.fixture\ndef heap\(\):\n    h = Heap\(\)\n    yield h\n    h\.close\(\)\n")
    for f in sorted(TESTS.glob("test_*.py")):
        src = f.read_text()
        assert not plain_heap.search(src), f"{f.name} defines the heap fixture conftest.py has"
        assert not re.search(r"^def run_inline\(", src, re.M), f"{f.name} defines gchelpers.run_inline again"
    assert plain_heap.search((TESTS / "conftest.py").read_text())


def test_conftest_heap_fixture(heap) -> None:
    from gomem.runtime.malloc import Heap

    assert isinstance(heap, Heap) and heap.stats.heap_live == 0
