"""``gomem vs-go``: the gctrace parser (every Go version since 1.5), the table, the command line.

The parser's sample lines follow each version's format as ``runtime/extern.go``
documents it and ``gcMarkTermination`` (``runtime/mgc.go``) prints it:

* Go 1.5-1.6: five clock phases (sweep termination, scan, install write
  barrier, mark, mark termination) and seven CPU figures with the mark's
  assist/background/idle split by ``/``; ``# MB goal, # P``;
* Go 1.7-1.17: three phases, ``#+#/#/#+# ms cpu``;
* Go 1.18 on: ``# MB stacks, # MB globals`` before ``# P`` (documented as
  ``#MB globals``);
* Go 1.26 on: `` (checking for goroutine leaks)`` may follow the ``%``.

The tests that run real Go are marked ``realgo`` (skipped without a toolchain).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from gomem.cmd import cli, realgo, vsgo
from gomem.cmd.report import TraceCycle
from gomem.cmd.report import read_gctrace as parse_gctrace
from gomem.cmd.report import read_gctrace_line as parse_gctrace_line
from gomem.cmd.vsgo import Comparison, Side

CORPUS = Path(__file__).parent / "gorun" / "corpus"
requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

GO15 = ("gc 1 @0.005s 3%: 0.12+0.45+0.011+1.1+0.25 ms clock, "
        "0.25+0.10+0.011+0.95/0.83/0+0.50 ms cpu, 4->4->2 MB, 4 MB goal, 2 P")
GO16_FORCED = ("gc 12 @1.402s 1%: 0.016+0+0+0.39+0.052 ms clock, 0.064+0+0+0.10/0.31/0.52+0.21 ms cpu, "
               "8->8->3 MB, 16 MB goal, 4 P (forced)")
GO17 = ("gc 3 @0.017s 1%: 0.021+0.53+0.015 ms clock, 0.043+0.17/0.35/0.55+0.030 ms cpu, "
        "4->4->0 MB, 5 MB goal, 4 P")
GO112_FORCED = ("gc 7 @2.104s 0%: 0.011+0.39+0.032 ms clock, 0.023+0/0.34/0.46+0.065 ms cpu, "
                "0->0->0 MB, 4 MB goal, 4 P (forced)")
GO118 = ("gc 2 @0.004s 7%: 0.12+1.8+0.002 ms clock, 0.24+0.12/0.20/0.087+0.005 ms cpu, "
         "3->4->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P")
GO118_DOC = ("gc 2 @0.004s 7%: 0.12+1.8+0.002 ms clock, 0.24+0.12/0.20/0.087+0.005 ms cpu, "
             "3->4->2 MB, 4 MB goal, 0 MB stacks, 0MB globals, 2 P")
GO127 = ("gc 26 @0.098s 15%: 0.009+1.2+0.001 ms clock, 0.018+0/0.20/1.9+0.003 ms cpu, "
         "10->10->7 MB, 20 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)")
GO126_LEAKS = ("gc 5 @0.101s 3% (checking for goroutine leaks): 0.015+2.1+0.004 ms clock, "
               "0.030+0.5/1.0/0.2+0.008 ms cpu, 12->13->6 MB, 13 MB goal, 1 MB stacks, 0 MB globals, 8 P")


class TestParseLine:
    def test_go15_five_phases(self):
        c = parse_gctrace_line(GO15)
        assert c is not None
        assert (c.n, c.at, c.pct) == (1, 0.005, 3)
        assert c.clock_ms == [0.12, 0.45, 0.011, 1.1, 0.25]
        assert c.cpu_ms == [0.25, 0.10, 0.011, 0.95, 0.83, 0.0, 0.50]
        assert (c.heap0, c.heap1, c.heap2, c.goal, c.procs) == (4, 4, 2, 4, 2)
        assert c.stacks is None and c.globals is None and not c.forced
        assert c.era == "go1.5"
        assert c.pause_ms == pytest.approx(0.12 + 0.25)

    def test_go16_forced(self):
        c = parse_gctrace_line(GO16_FORCED)
        assert c is not None and c.forced and c.n == 12 and c.goal == 16 and c.procs == 4
        assert c.era == "go1.5"

    def test_go17_three_phases(self):
        c = parse_gctrace_line(GO17)
        assert c is not None
        assert c.clock_ms == [0.021, 0.53, 0.015]
        assert c.cpu_ms == [0.043, 0.17, 0.35, 0.55, 0.030]
        assert (c.heap0, c.heap1, c.heap2, c.goal, c.procs) == (4, 4, 0, 5, 4)
        assert c.era == "go1.7"

    def test_go112_forced_zero_times(self):
        c = parse_gctrace_line(GO112_FORCED)
        assert c is not None and c.forced and c.cpu_ms[1] == 0.0 and c.heap2 == 0

    @pytest.mark.parametrize("line", [GO118, GO118_DOC])
    def test_go118_stacks_and_globals(self, line):
        c = parse_gctrace_line(line)
        assert c is not None
        assert (c.stacks, c.globals, c.procs, c.goal) == (0, 0, 2, 4)
        assert c.era == "go1.18"

    def test_go127_forced(self):
        c = parse_gctrace_line(GO127)
        assert c is not None and c.forced and (c.n, c.heap0, c.heap1, c.heap2, c.goal) == (26, 10, 10, 7, 20)

    def test_goroutine_leak_note(self):
        c = parse_gctrace_line(GO126_LEAKS)
        assert c is not None
        assert c.note == "(checking for goroutine leaks)"
        assert (c.n, c.pct, c.stacks, c.procs) == (5, 3, 1, 8)

    def test_whole_ms_times(self):
        c = parse_gctrace_line("gc 9 @12.345s 41%: 0.10+123+0.050 ms clock, 0.20+88/30/0+0.10 ms cpu, "
                               "900->950->400 MB, 960 MB goal, 0 MB stacks, 0 MB globals, 16 P")
        assert c is not None and c.clock_ms[1] == 123 and c.heap1 == 950 and c.procs == 16

    def test_gomem_own_lines_parse(self):
        from gomem.runtime.trace import CycleRecord, gctrace_line

        rec = CycleRecord(n=3, t_sweep_term=2_000_000, t_mark=2_003_000, t_mark_term=3_000_000, t_end=3_003_000,
                          heap0=5 << 20, heap1=6 << 20, heap2=2 << 20, heap_goal=6 << 20, procs=2, forced=True)
        c = parse_gctrace_line(gctrace_line(rec))
        assert c is not None and (c.n, c.heap0, c.heap1, c.heap2, c.goal, c.procs, c.forced) == (3, 5, 6, 2, 6, 2, True)

    @pytest.mark.parametrize("line", [
        "GC forced",
        "scvg0: inuse: 3, idle: 1, sys: 5, released: 0, consumed: 5 (MB)",
        "scvg: 0 MB released",
        "pacer: assist ratio=2.39 (scan 4 MB in 5->6 MB) workers=0+0.25",
        "scav 0 KiB work (bg), 0 KiB work (eager), 512 KiB now, 99% util",
        "scan: total 1+2+3=6 objs, 1+1=2 spans",
        "stretch tree of depth 17\t check: 262143",
        "gc 1 @0.005s 3%: 0.12+0.45 ms clock, 0.25+0.10/0.2/0+0.50 ms cpu, 4->4->2 MB, 4 MB goal, 2 P",  # 2 phases
        "gc 1 @0.005s 3%: 0.12+0.45+0.1 ms clock, 0.25+0.10/0.2/0+0.50 ms cpu, 4->4->2 MB, 4 MB goal, 2 P extra",
        "gc 1 @0.005s: 0.12+0.45+0.1 ms clock, 0.25+0.10/0.2/0+0.50 ms cpu, 4->4->2 MB, 4 MB goal, 2 P",  # no %
        "gc1(1): 0+0+182+0 us, 0 -> 0 MB, 21 (21-0) objects",  # Go 1.4 and before: not supported
        "",
    ])
    def test_not_gctrace(self, line):
        assert parse_gctrace_line(line) is None

    def test_prefix_and_crlf(self):
        """A line the program's own unterminated output ran into, with Windows line ends."""
        c = parse_gctrace_line("working... " + GO17 + "\r\n")
        assert c is not None and c.n == 3
        assert parse_gctrace_line("xgc 1 @0.005s 3%: 0.1+0.2+0.3 ms clock, 0.1+0/0/0+0.1 ms cpu, 1->1->0 MB, 4 MB goal, 1 P") is None

    def test_beta_hash_numbering(self):
        c = parse_gctrace_line(GO17.replace("gc 3 ", "gc #3 "))
        assert c is not None and c.n == 3


class TestParseLog:
    def test_skips_other_lines(self):
        log = "\n".join(["hello", GO17.replace("gc 3", "gc 1"), "GC forced", "scvg: 0 MB released",
                         GO17.replace("gc 3", "gc 2"), "pacer: x", GO17])
        cycles = parse_gctrace(log)
        assert [c.n for c in cycles] == [1, 2, 3]

    def test_keeps_the_last_run(self):
        run1 = [GO17.replace("gc 3", f"gc {i}") for i in (1, 2, 3)]
        run2 = [GO118.replace("gc 2", f"gc {i}") for i in (1, 2)]
        cycles = parse_gctrace("\n".join(run1 + run2))
        assert [c.n for c in cycles] == [1, 2] and all(c.era == "go1.18" for c in cycles)

    def test_empty(self):
        assert parse_gctrace("") == []


def cyc(n: int, h0: int, h1: int, h2: int, goal: int | None, pct: int = 5, forced: bool = False) -> TraceCycle:
    return TraceCycle(n, n / 100, pct, [0.1, 1.0, 0.1], [0.1, 0.2, 0.3, 0.0, 0.1], h0, h1, h2, goal,
                      0, 0, 1, forced)


def comparison(go: list[TraceCycle], mine: list[TraceCycle]) -> Comparison:
    return Comparison("binary-trees", {"depth": 10}, {"gogc": 100, "gomemlimit": None, "procs": 1, "seed": 1,
                                                      "gctrace_log": None},
                      Side("go", go, ["a"], "go1.27.3", "run", 0.5), Side("gomem", mine, ["a"], "gomem", "run", 2.0))


class TestSummary:
    def test_figures_and_deviation(self):
        go = [cyc(1, 4, 5, 2, 4), cyc(2, 5, 6, 2, 6, pct=10), cyc(3, 5, 6, 3, 6, pct=12)]
        mine = [cyc(1, 4, 4, 2, 4), cyc(2, 4, 5, 2, 5, pct=9)]
        cmp = comparison(go, mine)
        g, m = cmp.go.summary, cmp.gomem.summary
        assert g["gc_count"] == 3 and m["gc_count"] == 2
        assert g["goal_mean"] == pytest.approx(16 / 3)
        assert g["heap0_mean"] == pytest.approx(14 / 3) and g["heap1_mean"] == pytest.approx(17 / 3)
        assert g["peak"] == 6 and m["peak"] == 5
        assert g["live_last"] == 3 and m["live_last"] == 2
        assert g["gc_cpu"] == 12 and m["gc_cpu"] == 9
        dev = cmp.deviations()
        assert dev["gc_count"] == pytest.approx(-100 / 3)
        assert dev["gc_cpu"] == pytest.approx(-25.0)
        assert dev["forced"] == 0.0

    def test_deviation_edge_cases(self):
        assert vsgo.deviation(None, 3) is None
        assert vsgo.deviation(3, None) is None
        assert vsgo.deviation(0, 0) == 0.0
        assert vsgo.deviation(1, 0) is None
        assert vsgo.deviation(115, 100) == pytest.approx(15.0)

    def test_no_cycles(self):
        s = vsgo.summarize_trace([])
        assert s["gc_count"] == 0 and s["goal_mean"] is None and s["live_last"] is None

    def test_format_summary(self):
        cmp = comparison([cyc(1, 4, 5, 2, 4), cyc(2, 5, 6, 2, 6)], [cyc(1, 4, 4, 2, 4)])
        text = vsgo.format_summary(cmp)
        lines = text.splitlines()
        assert lines[0].split() == ["Go", "gomem", "deviation"]
        row = next(line for line in lines if line.startswith("GC count"))
        assert row.split()[-3:] == ["2", "1", "-50.0%"]
        goal = next(line for line in lines if line.startswith("heap goal"))
        assert goal.split()[-3:] == ["5.0", "4.0", "-20.0%"]


class TestTable:
    def test_rows_and_deltas(self):
        go = [cyc(1, 4, 5, 2, 4), cyc(2, 5, 6, 3, 6)]
        mine = [cyc(1, 4, 4, 2, 4), cyc(2, 4, 5, 2, 5), cyc(3, 4, 5, 2, 5, forced=True)]
        text = vsgo.format_table(comparison(go, mine))
        lines = text.splitlines()
        assert "Go heap MB" in lines[0] and "gomem heap MB" in lines[0]
        assert set(lines[1]) == {"-"}
        r1 = lines[2].split()
        assert r1 == ["1", "4->5->2", "4", "4->4->2", "4", "+0", "-1", "+0", "+0"]
        r2 = lines[3].split()
        assert r2 == ["2", "5->6->3", "6", "4->5->2", "5", "-1", "-1", "-1", "-1"]
        r3 = lines[4].split()
        assert r3 == ["3", "4->5->2*", "5"]  # gomem only; forced
        assert lines[-1] == "(* forced: runtime.GC)"

    def test_rows_limit(self):
        go = [cyc(i, 4, 5, 2, 4) for i in range(1, 21)]
        text = vsgo.format_table(comparison(go, go), rows=6)
        lines = text.splitlines()[2:]
        assert [ln.split()[0] for ln in lines] == ["1", "2", "3", "...", "18", "19", "20"]
        assert "(14 cycles not shown)" in lines[3]

    def test_comparison_text(self):
        cmp = comparison([cyc(1, 4, 5, 2, 4)], [cyc(1, 4, 4, 2, 4)])
        text = vsgo.format_comparison(cmp)
        assert text.startswith("gomem vs-go binary-trees depth=10  GOGC=100 GOMEMLIMIT=off GOMAXPROCS=1")
        assert "program output: identical" in text
        assert "cycle" in text
        assert "cycle" not in vsgo.format_comparison(cmp, rows=0)


class TestGoSide:
    def test_go_args(self):
        from gomem.workloads import flag_args

        assert flag_args({"depth": 16}, 1) == ["-depth=16"]
        assert flag_args({"live": 10, "seed": 0}, 7) == ["-live=10", "-seed=7"]
        assert flag_args({"seed": 3}, 7) == ["-seed=3"]

    def test_go_env(self):
        assert vsgo.go_env(100, None, 2) == {"GODEBUG": "gctrace=1", "GOGC": "100", "GOMAXPROCS": "2",
                                            "GOMEMLIMIT": "off"}
        assert vsgo.go_env(-1, 16 << 20, 1)["GOGC"] == "off"
        assert vsgo.go_env(-1, 16 << 20, 1)["GOMEMLIMIT"] == str(16 << 20)

    def test_the_toolchain_builds_without_the_runtimes_settings(self):
        """The compiler is a Go program and the go command replays what it printed from its cache: built under
        the run's GODEBUG=gctrace=1, every later build of those packages would print gctrace lines."""
        from gomem.cmd import realgo

        env = realgo.build_env({**vsgo.go_env(50, 16 << 20, 2), "GOEXPERIMENT": "nogreenteagc"})
        assert not {"GODEBUG", "GOGC", "GOMEMLIMIT", "GOMAXPROCS"} & set(env)
        assert env["GOEXPERIMENT"] == "nogreenteagc" and env["GOTOOLCHAIN"] == "local"

    def test_every_go_program_is_there(self):
        from gomem import workloads

        names = {w.name for w in workloads.all_workloads()}
        for wl in ("binary-trees", "churn", "lru"):
            assert wl in names
            src = vsgo.go_program(wl)
            assert src.is_file() and src.read_text().startswith("//")
            # every parameter of the workload is a flag of the Go program (seed included)
            text = src.read_text()
            for prm in workloads.get(wl).params:
                assert f'"{prm.name}"' in text, (wl, prm.name)

    def test_workload_without_go_version(self, tmp_path):
        with pytest.raises(Exception, match="no Go version"):
            vsgo.go_program("random")


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main(argv)
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


def write_log(tmp_path: Path, lines: list[str], name: str = "gctrace.log") -> str:
    p = tmp_path / name
    p.write_text("some program output\n" + "\n".join(lines) + "\n")
    return str(p)


class TestCommandLine:
    def test_gctrace_log(self, tmp_path):
        log = write_log(tmp_path, [GO17.replace("gc 3", f"gc {i}").replace("4 P", "1 P") for i in (1, 2, 3)])
        rc, out, err = run_cli(["vs-go", "binary-trees", "--param", "depth=8", "--gctrace-log", log])
        assert rc == 0, err
        assert f"gctrace log {log} (unknown (go1.7 format))" in out
        row = next(line for line in out.splitlines() if line.startswith("GC count"))
        assert row.split()[2] == "3"  # Go's count, from the log
        assert "program output" not in out  # nothing to compare with a log

    def test_log_procs_default_and_note(self, tmp_path):
        log = write_log(tmp_path, [GO118])  # 2 P
        js = tmp_path / "out.json"
        rc, out, err = run_cli(["vs-go", "binary-trees", "--param", "depth=6", "--gctrace-log", log,
                                "--json", str(js)])
        assert rc == 0, err
        doc = json.loads(js.read_text())
        assert doc["config"]["procs"] == 2
        assert doc["go"]["cycles"][0]["era"] == "go1.18"
        assert doc["go"]["summary"]["gc_count"] == 1
        assert set(doc["deviation_percent"]) >= {"gc_count", "goal_mean", "heap0_mean", "heap1_mean",
                                                 "live_last", "gc_cpu"}
        assert doc["workload"] == "binary-trees" and doc["params"] == {"depth": 6}
        rc, out, err = run_cli(["vs-go", "binary-trees", "--param", "depth=6", "--gctrace-log", log, "--procs", "1"])
        assert rc == 0
        assert "the log's runs had 2 P, gomem runs with 1" in err

    def test_log_from_an_old_go(self, tmp_path):
        log = write_log(tmp_path, [GO15, GO16_FORCED.replace("gc 12", "gc 2")])
        rc, out, err = run_cli(["vs-go", "lru", "--param", "ops=2000", "--gctrace-log", log, "--rows", "0"])
        assert rc == 0, err
        assert "go1.5 format" in out
        assert "cycle" not in out.split("\n\n")[1]  # --rows 0: summary only
        forced = next(line for line in out.splitlines() if "of them forced" in line)
        assert forced.split()[3] == "1"

    def test_random_workload_with_a_log(self, tmp_path):
        """A workload without a Go program can still be compared with a captured log."""
        log = write_log(tmp_path, [GO17.replace("4 P", "1 P")])
        rc, out, err = run_cli(["vs-go", "random", "--param", "steps=50", "--gctrace-log", log, "--rows", "0"])
        assert rc == 0, err

    @pytest.mark.parametrize("argv, message", [
        (["vs-go", "nosuch"], "unknown workload"),
        (["vs-go", "binary-trees", "--gogc", "lots"], "GOGC"),
        (["vs-go", "binary-trees", "--gomemlimit", "12 MB"], "GOMEMLIMIT"),
        (["vs-go", "binary-trees", "--procs", "0"], "--procs"),
        (["vs-go", "binary-trees", "--param", "width=3"], "no parameter"),
        (["vs-go", "binary-trees", "--rows", "-1"], "--rows"),
        (["vs-go", "binary-trees", "--gctrace-log", "/nonexistent/gctrace.log"], "cannot read gctrace log"),
        (["vs-go", "random"], "no Go version"),
        (["vs-go"], "the following arguments are required"),
        (["vs-go", "binary-trees", "--", "-depth", "3"], "only a Go program takes ARGS"),
        (["vs-go", str(CORPUS / "copy.go"), "--param", "depth=3"], "--param is for built-in workloads"),
        (["vs-go", "/nonexistent/prog.go"], "open /nonexistent/prog.go: no such file or directory"),
    ])
    def test_bad_input(self, argv, message):
        rc, out, err = run_cli(argv)
        assert rc == 2
        assert err.startswith("gomem: ") and message in err and err.count("\n") == 1, err

    def test_log_without_gctrace(self, tmp_path):
        p = tmp_path / "empty.log"
        p.write_text("hello\nGC forced\n")
        rc, out, err = run_cli(["vs-go", "binary-trees", "--gctrace-log", str(p)])
        assert rc == 2 and "no gctrace lines" in err

    def test_json_unwritable(self, tmp_path):
        log = write_log(tmp_path, [GO17])
        rc, out, err = run_cli(["vs-go", "binary-trees", "--gctrace-log", log, "--json", str(tmp_path / "no" / "x.json")])
        assert rc == 2 and err.endswith("/no/x.json: no such file or directory\n") and err.startswith("gomem: open ")

    def test_help_lists_vs_go(self):
        rc, out, err = run_cli(["--help"])
        assert "vs-go" in out + err


@requires_go
@pytest.mark.realgo
class TestAgainstRealGo:
    def test_binary_trees_side_by_side(self, tmp_path):
        js = tmp_path / "bt.json"
        rc, out, err = run_cli(["vs-go", "binary-trees", "--param", "depth=12", "--procs", "1", "--json", str(js)])
        assert rc == 0, err
        assert "program output: identical" in out
        doc = json.loads(js.read_text())
        assert doc["go"]["version"].startswith("go")
        assert doc["go"]["env"]["GODEBUG"] == "gctrace=1" and doc["go"]["env"]["GOMAXPROCS"] == "1"
        assert doc["go"]["summary"]["gc_count"] >= 1 and doc["gomem"]["summary"]["gc_count"] >= 1
        assert all(c["procs"] == 1 for c in doc["go"]["cycles"] + doc["gomem"]["cycles"])

    @pytest.mark.parametrize("workload, params", [
        ("binary-trees", {"depth": 8}),
        ("churn", {"live": 4096, "static": 256, "replacements": 20000, "ptrs": 4, "seed": 1}),
        ("lru", {"capacity": 256, "ops": 20000, "keys": 1024, "seed": 1}),
    ])
    def test_go_programs_print_the_same_lines(self, workload, params):
        """Each Go version prints the workload's lines: identical for binary-trees, same shape for the random ones."""
        go = vsgo.run_go(workload, params, 100, None, 1)
        mine = vsgo.run_gomem(workload, params, 100, None, 1)
        assert len(go.output) == len(mine.output)
        if workload == "binary-trees":
            assert go.output == mine.output
        else:
            assert go.output[0] == mine.output[0]  # the header line with the parameters
            for a, b in zip(go.output[1:], mine.output[1:]):
                assert a.split(":")[0] == b.split(":")[0] or a.split()[0] == b.split()[0]

    def test_go_program_failure_is_reported(self):
        with pytest.raises(Exception, match="exited with status 2"):
            vsgo.run_go("churn", {"live": 10, "static": 20}, 100, None, 1)


@requires_go
@pytest.mark.realgo
class TestGoPrograms:
    """``gomem vs-go PROGRAM.go [-- ARGS]``: a user's program, the same source and arguments on both sides."""

    def test_program_with_args(self, tmp_path):
        js = tmp_path / "osargs.json"
        rc, out, err = run_cli(["vs-go", str(CORPUS / "osargs.go"), "--rows", "0", "--json", str(js), "--", "a", "bb"])
        assert rc == 0, err
        assert out.splitlines()[0].startswith(f"gomem vs-go {CORPUS / 'osargs.go'} -- a bb  GOGC=100")
        assert "program output: identical" in out and "exit status" not in out
        doc = json.loads(js.read_text())
        assert doc["args"] == ["a", "bb"] and doc["go"]["args"] == ["a", "bb"]
        assert doc["go"]["output"] == doc["gomem"]["output"] and any("bb" in ln for ln in doc["go"]["output"])

    def test_gc_cycles_side_by_side(self):
        cmp = vsgo.compare(str(CORPUS / "strconcat.go"), {})
        assert cmp.go.summary["gc_count"] >= 10 and cmp.gomem.summary["gc_count"] >= 10
        assert cmp.go.output == cmp.gomem.output

    def test_a_panic_is_compared_not_raised(self):
        cmp = vsgo.compare(str(CORPUS / "panicindex.go"), {})
        assert cmp.go.extra["exit_status"] == cmp.gomem.extra["exit_status"] == 2
        assert vsgo.output_verdict(cmp)[-1] == "exit status: Go 2, gomem 2 (the same)"

    def test_differing_output_names_the_line(self):
        go = Side("go", [], ["a", "b"], source="run", extra={"exit_status": 0})
        me = Side("gomem", [], ["a", "c"], source="run", extra={"exit_status": 1})
        cmp = Comparison("x.go", {}, {}, go, me)
        assert vsgo.output_verdict(cmp) == ["program output: differs at line 2: Go 'b', gomem 'c'",
                                            "exit status: Go 0, gomem 1 (different)"]
