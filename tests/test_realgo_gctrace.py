"""gomem's gctrace lines against the real Go runtime's, field by field.

``tests/go/gctrace_probe.go`` builds binary trees (a long-lived one and
short-lived rounds), calls ``runtime.GC()`` once halfway, and prints its
final ``NumGC``/``NumForcedGC``; it runs with ``GODEBUG=gctrace=1
GOMAXPROCS=2``.  gomem runs the same program on the model runtime
(and, separately, ``gomem run --gctrace --final-gc`` as a user would).  Both
sides' lines must match the one strict grammar of :data:`gomem.cmd.report.GCTRACE_RE`
(every time field in ``fmtNSAsMS``'s output grammar), number their cycles
1, 2, 3 … with no gap, print exactly as many lines as ``NumGC``, and mark
exactly the forced cycles ``(forced)``.

Also: gomem's :func:`~gomem.runtime.trace.fmt_ns_as_ms` against the runtime's own
``fmtNSAsMS``, reached with ``go:linkname``.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
from pathlib import Path

import pytest

from gomem import api
from gomem.cmd import cli, realgo
from gomem.errors import GomemError
from gomem.cmd.report import FMT_NS_AS_MS, GCTRACE_RE, parse_gctrace_line
from gomem.runtime.runtime import Runtime
from gomem.runtime.trace import fmt_ns_as_ms

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
pytestmark = [requires_go, pytest.mark.realgo]

PROBE = Path(__file__).parent / "go" / "gctrace_probe.go"
DEPTH, ROUNDS = 14, 40
TIME_FIELDS = ("clock_sweep_term", "clock_mark", "clock_mark_term", "cpu_sweep_term", "cpu_assist",
               "cpu_background", "cpu_idle", "cpu_mark_term")


def check_lines(lines: list[str], num_gc: int, num_forced: int, procs: int,
                forced_cycles: set[int] | None = None) -> list[dict]:
    """The checks both sides must pass; returns the parsed lines.

    *forced_cycles*: which cycles were forced, where known (gomem's records
    say; real Go only counts them).
    """
    assert len(lines) == num_gc, lines
    parsed = []
    for line in lines:
        m = GCTRACE_RE.fullmatch(line)
        assert m is not None, f"not a gctrace line: {line!r}"
        d = parse_gctrace_line(line)
        assert d is not None
        for f in TIME_FIELDS:
            assert re.fullmatch(FMT_NS_AS_MS, d[f]), (f, line)
        assert d["procs"] == procs
        assert 0 <= d["pct"] <= 100
        parsed.append(d)
    assert [d["n"] for d in parsed] == list(range(1, num_gc + 1))
    assert sum(d["forced"] for d in parsed) == num_forced
    if forced_cycles is not None:
        assert {d["n"] for d in parsed if d["forced"]} == forced_cycles
    at = [float(d["at"]) for d in parsed]
    assert at == sorted(at)
    return parsed


@pytest.fixture(scope="module")
def go_run() -> tuple[list[str], dict]:
    r = realgo.run_go_source(PROBE, args=[str(DEPTH), str(ROUNDS)], env={"GODEBUG": "gctrace=1", "GOMAXPROCS": "2"})
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    return r.stderr.splitlines(), stats


def gomem_probe(procs: int = 2) -> tuple[list[str], Runtime]:
    """The same probe program on the model runtime (compiled by gomem.compile.program), gctrace lines captured."""
    lines: list[str] = []
    res = api.run(PROBE, args=[str(DEPTH), str(ROUNDS)], procs=procs, gctrace=lines.append)
    return lines, res.runtime


def test_real_go_gctrace_lines(go_run) -> None:
    lines, stats = go_run
    assert stats["NumForcedGC"] == 1 and stats["NumGC"] >= 3
    parsed = check_lines(lines, stats["NumGC"], stats["NumForcedGC"], 2)
    assert parsed[0]["goal"] == 4  # heapMinimum at GOGC=100


def test_gomem_gctrace_lines_match_the_same_grammar(go_run) -> None:
    go_lines, go_stats = go_run
    lines, rt = gomem_probe()
    forced = {r.n for r in rt.gc.records if r.forced}
    assert len(forced) == rt.gc.num_forced == go_stats["NumForcedGC"] == 1
    parsed = check_lines(lines, rt.gc.numgc, rt.gc.num_forced, 2, forced)
    go_parsed = [parse_gctrace_line(line) for line in go_lines]
    # same fields, same kinds of value: both sides' first cycle has the 4 MB minimum goal,
    # both run several cycles and force one in the middle of the run
    assert set(parsed[0]) == set(go_parsed[0])
    assert parsed[0]["goal"] == go_parsed[0]["goal"] == 4
    assert len(parsed) >= 3 and len(go_parsed) >= 3
    for side in (parsed, go_parsed):
        (fc,) = [d["n"] for d in side if d["forced"]]
        assert 1 < fc < len(side)


def test_gomem_cli_gctrace_lines(go_run) -> None:
    """``gomem run --gctrace --final-gc --procs 2``: stderr holds only gctrace lines, NumGC of them."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main(["run", "binary-trees", "--param", "depth=12", "--procs", "2", "--gctrace", "--final-gc"])
    finally:
        sys.stdout, sys.stderr = old
    assert rc == 0
    ms = {k: v.strip() for k, _, v in (line.partition(":") for line in out.getvalue().splitlines())}
    num_gc = int(ms["NumGC"])
    assert int(ms["NumForcedGC"]) == 1
    check_lines(err.getvalue().splitlines(), num_gc, 1, 2, {num_gc})


LINKNAME_PROBE = """\
package main

import (
	"bufio"
	"fmt"
	"os"
	_ "unsafe"
)

//go:linkname fmtNSAsMS runtime.fmtNSAsMS
func fmtNSAsMS(buf []byte, ns uint64) []byte

func main() {
	in := bufio.NewScanner(os.Stdin)
	var buf [24]byte
	for in.Scan() {
		var ns uint64
		fmt.Sscan(in.Text(), &ns)
		fmt.Println(string(fmtNSAsMS(buf[:], ns)))
	}
}
"""


def test_fmt_ns_as_ms_against_the_runtime() -> None:
    """Every boundary and a spread of random values, formatted by the real runtime's fmtNSAsMS."""
    import subprocess

    try:
        binary = realgo.build_go_source(LINKNAME_PROBE, build_flags=["-ldflags=-checklinkname=0"])
    except GomemError as e:  # pragma: no cover - a toolchain that forbids the linkname
        pytest.skip(f"cannot link to runtime.fmtNSAsMS: {e}")
    rng = random.Random(1)
    values = [0, 1, 999, 1000, 1001, 5_000, 9_999, 10_000, 50_000, 99_999, 100_000, 170_000, 999_999,
              1_000_000, 1_050_000, 9_990_000, 9_999_999, 10_000_000, 10_999_999, 123_456_789, 10**12]
    for digits in range(1, 14):
        values += [rng.randrange(10 ** (digits - 1), 10**digits) for _ in range(20)]
    r = subprocess.run([str(binary)], input="\n".join(map(str, values)) + "\n", capture_output=True, text=True,
                       env=realgo.go_env(), timeout=60)
    assert r.returncode == 0, r.stderr
    got = r.stdout.splitlines()
    assert len(got) == len(values)
    for ns, want in zip(values, got):
        assert fmt_ns_as_ms(ns) == want, ns
