"""Tests for ``gomem.run`` (``gomem.api``): the Python API the command line and vs-go are built on."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import gomem
from gomem import api
from gomem.cmd import cli, vsgo
from gomem.errors import BadInput, GomemError, OutOfMemory
from gomem.cmd.report import parse_gctrace_line

HERE = Path(__file__).parent
ROOT = HERE.parent
BINARY_TREES_GO = ROOT / "src" / "gomem" / "workloads" / "go" / "binary_trees.go"
SMALL = {"depth": 8}


def readme_example() -> str:
    """The first indented code block of the README's "From Python" section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    block: list[str] = []
    for line in section.splitlines():
        if line.startswith("    "):
            block.append(line)
        elif block:
            break
    return textwrap.dedent("\n".join(block)) + "\n"


def test_readme_example_runs_as_written() -> None:
    code = readme_example()
    assert len(code.splitlines()) == 5 and code.startswith("import gomem\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    numgc, ncycles, heap_alloc = (int(x) for x in lines[0].split())
    assert numgc == ncycles >= 1 and heap_alloc > 0
    assert parse_gctrace_line(lines[1]) is not None
    assert lines[2].endswith("stretch tree of depth 13\t check: 16383")


def test_the_issue_one_liner_prints_two_equal_numbers() -> None:
    cmd = "import gomem; r = gomem.run('binary-trees', params={'depth': 12}); print(r.memstats['NumGC'], len(r.cycles))"
    p = subprocess.run([sys.executable, "-c", cmd], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    a, b = p.stdout.split()
    assert a == b and int(a) >= 1


def test_all_names_the_api() -> None:
    for name in ("run", "RunResult", "Runtime", "CostModel", "MODES", "workloads", "scenarios", "Heap", "GomemError"):
        assert name in gomem.__all__, name
        assert getattr(gomem, name) is not None
    assert gomem.run is api.run
    assert "go1.8" in gomem.MODES
    assert "binary-trees" in [w.name for w in gomem.workloads.all_workloads()]
    assert "tricolor" in gomem.scenarios.names()
    ns: dict = {}
    exec("from gomem import *", ns)
    assert set(gomem.__all__) <= set(ns)
    with pytest.raises(AttributeError):
        gomem.no_such_thing  # noqa: B018


def test_result_fields() -> None:
    r = gomem.run("binary-trees", params={"depth": 10}, gogc=25, procs=2, seed=3)
    assert r.ok and r.error is None and r.program == "binary-trees" and r.params == {"depth": 10}
    ms = r.memstats
    assert ms["NumGC"] == len(r.cycles) >= 1
    assert len(ms["PauseNs"]) == 256 and ms["PauseTotalNs"] == sum(ms["PauseNs"])
    assert sum(p["ns"] for p in r.pauses) == ms["PauseTotalNs"]
    assert {p["phase"] for p in r.pauses} <= {"sweep termination", "mark", "mark termination"}
    for i, c in enumerate(r.cycles, 1):
        d = parse_gctrace_line(c["gctrace"])
        assert d is not None and d["n"] == c["n"] == i and d["procs"] == 2
        assert d["heap0"] == c["heap0"] >> 20
    assert r.stdout == "".join(line + "\n" for line in r.output)
    assert r.stdout.startswith("stretch tree of depth 11\t check: 4095\n")
    assert r.runtime.gc.numgc == ms["NumGC"] and len(r.runtime.sched.ps) == 2
    assert r.summary.num_gc == ms["NumGC"]
    assert repr(r) == f"<RunResult binary-trees depth=10: {ms['NumGC']} GC cycles, {len(r.pauses)} pauses, {len(r.output)} output lines, ok>"


def test_settings_reach_the_runtime() -> None:
    r = gomem.run("binary-trees", params=["depth=6"], gc="stw", gogc="off", memory_limit="64MiB",
                  cost={"alloc": 7}, policy="random", layout="classic")
    rt = r.runtime
    assert rt.mode.name == "stw" and rt.cost.alloc == 7 and r.memstats["NumGC"] == 0
    assert rt.gc.pacer.memory_limit == 64 << 20 and rt.sched.policy == "random" and rt.heap.layout == "classic"


def test_final_gc_and_gctrace_callback() -> None:
    lines: list[str] = []
    r = gomem.run("binary-trees", params=SMALL, final_gc=True, gctrace=lines.append)
    assert [c["gctrace"] for c in r.cycles] == lines
    assert r.cycles[-1]["forced"] and r.memstats["NumForcedGC"] == 1


def test_go_program_stdout_is_captured_not_printed(capfd) -> None:
    r = gomem.run(str(BINARY_TREES_GO), args=["-depth", "6"])
    assert r.stdout == ("stretch tree of depth 7\t check: 255\n64\t trees of depth 4\t check: 1984\n"
                        "16\t trees of depth 6\t check: 2032\nlong lived tree of depth 6\t check: 127\n")
    assert r.output == r.stdout.splitlines() and r.go_program is not None
    assert r.memstats["Mallocs"] > 0
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_go_program_stdout_also_goes_to_a_stream() -> None:
    s = io.StringIO()
    r = gomem.run(BINARY_TREES_GO, args=["-depth", "7"], stdout=s)  # a Path will do
    assert s.getvalue() == r.stdout and r.stdout.startswith("stretch tree of depth 8\t")


def test_a_compiled_go_program_runs_as_its_source_does_every_time() -> None:
    """One compilation serves many runs: each starts from the package's initialisation, and prints and
    allocates what a run of the source does."""
    from gomem.compile import program

    prog = program.load(str(BINARY_TREES_GO))
    ref = gomem.run(str(BINARY_TREES_GO), args=["-depth", "6"])
    for depth in ("8", "6", "6"):
        r = gomem.run(prog, args=["-depth", depth])
        if depth == "6":
            assert r.stdout == ref.stdout and r.memstats["Mallocs"] == ref.memstats["Mallocs"]
        else:
            assert r.stdout.startswith("stretch tree of depth 9\t")
    with pytest.raises(BadInput, match="params are for built-in workloads"):
        gomem.run(prog, params={"depth": 3})


def test_bad_arguments_are_bad_input() -> None:
    with pytest.raises(BadInput, match="only a Go program takes args"):
        gomem.run("binary-trees", args=["-depth", "3"])
    with pytest.raises(BadInput, match="params are for built-in workloads"):
        gomem.run(str(BINARY_TREES_GO), params={"depth": 3})
    with pytest.raises(BadInput, match="unknown workload"):
        gomem.run("no-such-workload")
    with pytest.raises(BadInput, match="above the maximum"):
        gomem.run("binary-trees", params={"depth": 99})
    with pytest.raises(BadInput, match="unknown GC mode"):
        gomem.run("binary-trees", gc="go2")
    with pytest.raises(BadInput, match="GOMAXPROCS"):
        gomem.run("binary-trees", procs=0)
    with pytest.raises(BadInput, match="unknown cost"):
        gomem.run("binary-trees", cost={"nope": 1})


def test_a_failed_run_raises_with_the_partial_result() -> None:
    with pytest.raises(OutOfMemory) as e:
        gomem.run("binary-trees", params={"depth": 16}, gogc="off", max_heap=4 << 20)
    res = e.value.result
    assert res.error is e.value and not res.ok and res.runtime is not None
    r = gomem.run("binary-trees", params={"depth": 16}, gogc="off", max_heap=4 << 20, check=False)
    assert isinstance(r.error, OutOfMemory) and r.output == []


def test_timeout_stops_the_run() -> None:
    with pytest.raises(api.RunTimeout, match=r"^timed out after 0\.2 s of wall time: stopped at model time "):
        gomem.run("binary-trees", params={"depth": 18}, timeout=0.2)
    assert issubclass(api.RunTimeout, GomemError)
    # a run that ends in time is not disturbed afterwards
    r = gomem.run("binary-trees", params={"depth": 6}, timeout=60)
    assert r.ok
    with pytest.raises(BadInput, match="timeout"):
        gomem.run("binary-trees", timeout=0)


def test_cli_and_vs_go_run_through_the_api(monkeypatch, tmp_path) -> None:
    calls: list[str] = []
    real = api.run

    def spy(program, **kw):
        calls.append(program)
        return real(program, **kw)

    monkeypatch.setattr(api, "run", spy)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["run", "--param", "depth=6"]) == 0
    log = tmp_path / "gc.log"
    log.write_text("gc 1 @0.001s 1%: 0.010+0.10+0.010 ms clock, 0.010+0/0.10/0+0.010 ms cpu, "
                   "3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P\n")
    assert cli.main(["vs-go", "binary-trees", "--param", "depth=6", "--gctrace-log", str(log), "--rows", "0"]) == 0
    assert calls == ["binary-trees", "binary-trees"]


def test_one_place_assembles_a_runtime() -> None:
    for mod in (cli, vsgo):
        src = Path(mod.__file__).read_text()
        assert "Runtime(" not in src, mod.__name__
    assert not re.search(r"from \.cli import|from \. import cli|import gomem\.cli", Path(vsgo.__file__).read_text())
