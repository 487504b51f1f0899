"""The progress line's percent done and time left (issue 17): known work only, on a terminal only."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

import gomem
from gomem import workloads
from gomem.cmd import cli, runopts
from gomem.runtime.runtime import Runtime


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "name, params",
    [("binary-trees", {"depth": 8}), ("binary-trees", {"depth": 10}),
     ("churn", {"live": 4096, "static": 256, "replacements": 20000})],
)
def test_expected_bytes_are_what_the_run_allocates(name: str, params: dict) -> None:
    """The estimate is the run's TotalAlloc: exactly for churn, within fmt's few hundred bytes for binary-trees."""
    want = workloads.expected_alloc_bytes(name, params)
    got = gomem.run(name, params=params).memstats["TotalAlloc"]
    assert want is not None and want <= got <= want + 4096, (want, got)


def test_work_depending_on_random_draws_is_unknown() -> None:
    assert workloads.expected_alloc_bytes("lru", {}) is None
    assert workloads.expected_alloc_bytes("random", {}) is None


def test_percent_and_time_left_from_bytes_allocated() -> None:
    rt = Runtime()
    p = cli.Progress(rt, "churn", cli.StderrWriter(io.StringIO()))
    assert p.done(1.0) is None  # nothing expected: no percent
    p.expect(1000)
    rt.heap.stats.total_alloc = 250
    assert p.done(3.0) == "25%, 9 s left"  # 3 s for a quarter: 9 s for the rest
    rt.heap.stats.total_alloc = 5000  # more than expected: never 100% before the end
    assert p.done(3.0).startswith("99%")
    assert p.text(200).startswith("gomem: churn ") and "99%, 0 s left, model" in p.text(200)


def test_time_left_reads_as_minutes_and_hours() -> None:
    assert [runopts._fmt_left(s) for s in (0.2, 42, 185, 7800)] == ["0 s", "42 s", "3 min 5 s", "2 h 10 min"]


def _run_on_a_tty(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> str:
    monkeypatch.setattr(runopts, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(runopts, "PROGRESS_INTERVAL", 0.001)
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli.main(argv) == 0
    return tty.getvalue()


def test_builtin_workload_shows_percent(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _run_on_a_tty(monkeypatch, ["run", "binary-trees", "--param", "depth=12"])
    assert re.search(r"gomem: binary-trees [|/\\-] \d+%", raw), raw[:300]


def test_go_program_shows_no_percent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    src = tmp_path / "t.go"
    src.write_text("package main\n\ntype n struct{ l, r *n }\n\nfunc b(d int) *n {\n\tif d == 0 {\n\t\treturn &n{}\n"
                   "\t}\n\treturn &n{b(d - 1), b(d - 1)}\n}\n\nfunc main() {\n\tfor i := 0; i < 40; i++ {\n"
                   "\t\tb(10)\n\t}\n}\n")
    raw = _run_on_a_tty(monkeypatch, ["run", str(src)])
    assert "gomem: t.go" in raw or "gomem: " + str(src) in raw, raw[:300]
    assert not re.search(r"gomem: \S+ [|/\\-] \d+%", raw), raw[:300]
