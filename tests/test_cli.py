"""The ``gomem`` command line: runs, summaries, gctrace, JSON, bad input, exit statuses.

Most cases call :func:`gomem.cmd.cli.main` in-process with small parameters;
the README quickstart (``gomem run`` with every default) runs once as a
subprocess, as a user would type it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gomem.cmd import cli, runopts
from gomem import workloads
from gomem.runtime import types as gotypes
from gomem.errors import BadInput, InvariantViolation
from gomem.runtime.mstats import MemStats
from gomem.cmd.report import GCTRACE_RE, parse_gctrace_line
from gomem.workloads import Param, Workload

from clihelpers import gomem

SMALL = ["--param", "depth=8"]


def memstats_of(stdout: str) -> dict[str, str]:
    """The ``Name: value`` MemStats lines of a run's output."""
    names = set(MemStats.scalar_fields())
    out = {}
    for line in stdout.splitlines():
        k, sep, v = line.partition(":")
        if sep and k in names:
            out[k] = v.strip()
    return out


def _command() -> list[str]:
    exe = shutil.which("gomem")
    return [exe] if exe else [sys.executable, "-m", "gomem.cmd.cli"]


# -- the quickstart -------------------------------------------------------------------------


def test_quickstart_default_run_subprocess() -> None:
    """``gomem run`` with every default, as the README says: output, MemStats, summary, status 0."""
    r = subprocess.run([*_command(), "run"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no progress line when stderr is not a terminal, no trace
    out = r.stdout
    assert "stretch tree of depth 13\t check: 16383" in out
    assert "long lived tree of depth 12\t check: 8191" in out
    ms = memstats_of(out)
    assert set(ms) == set(MemStats.scalar_fields())
    assert int(ms["NumGC"]) >= 1 and int(ms["Mallocs"]) > 600_000
    assert int(ms["PauseTotalNs"]) > 0 and 0 < float(ms["GCCPUFraction"]) < 1
    for want in ("gomem run binary-trees depth=12 --gc go1.8 GOGC=100 GOMAXPROCS=1", "GC cycles:",
                 "STW pauses (model time):", "sweep termination", "mark termination", "GC CPU:",
                 "model time:", "simulator:", "allocs/s"):
        assert want in out, want


def test_help_and_no_command() -> None:
    rc, out, _ = gomem("--help")
    assert rc == 0 and "run" in out and "workloads" in out
    rc, out, _ = gomem("run", "--help")
    assert rc == 0 and "--gctrace" in out and "--json" in out and "--no-progress" in out
    rc, out, err = gomem()
    assert rc == 2 and out == "" and "usage" in err


# -- runs -------------------------------------------------------------------------------------


def test_run_small_prints_output_memstats_and_summary() -> None:
    rc, out, err = gomem("run", *SMALL, "--procs", "2", "--seed", "7", "--policy", "random")
    assert rc == 0 and err == ""
    assert out.startswith("stretch tree of depth 9\t check: 1023\n")
    assert "GOMAXPROCS=2" in out and "policy=random seed=7" in out
    ms = memstats_of(out)
    # 25,774 nodes and 19 objects of flag parsing and printing: real Go 1.27's Mallocs for
    # binary_trees.go -depth=8, its runtime's start-up subtracted (measured with tests/test_gorun_corpus.py);
    # and the two of the start-up gomem models (os.Args: goargs' argslice and the os package's copy)
    assert int(ms["Mallocs"]) == 25_793 + 2 and ms["EnableGC"] == "True"


def test_run_is_deterministic() -> None:
    a = gomem("run", "--param", "depth=10", "--procs", "3", "--gctrace", "--no-progress")
    b = gomem("run", "--param", "depth=10", "--procs", "3", "--gctrace", "--no-progress")
    strip = lambda s: re.sub(r"simulator: .*", "", s)  # noqa: E731 - wall time differs
    assert a[0] == b[0] == 0 and strip(a[1]) == strip(b[1]) and a[2] == b[2]


def test_gctrace_lines_equal_numgc_and_forced(tmp_path: Path) -> None:
    js = tmp_path / "run.json"
    rc, out, err = gomem("run", "--param", "depth=12", "--procs", "2", "--gctrace", "--final-gc", "--json", str(js))
    assert rc == 0
    lines = err.splitlines()
    assert lines[-1] == f"gomem: wrote {js}"
    lines = lines[:-1]
    ms = memstats_of(out)
    assert len(lines) == int(ms["NumGC"]) >= 3
    parsed = [parse_gctrace_line(line) for line in lines]
    assert all(parsed), lines
    assert [d["n"] for d in parsed] == list(range(1, len(lines) + 1))
    assert [d["forced"] for d in parsed] == [False] * (len(lines) - 1) + [True]
    assert int(ms["NumForcedGC"]) == 1
    assert all(d["procs"] == 2 for d in parsed)
    doc = json.loads(js.read_text())
    assert [c["forced"] for c in doc["cycles"]] == [d["forced"] for d in parsed]
    assert [c["gc_cpu_percent"] for c in doc["cycles"]] == [d["pct"] for d in parsed]


def test_gogc_off_runs_no_cycle() -> None:
    rc, out, err = gomem("run", *SMALL, "--gogc", "off", "--gctrace")
    assert rc == 0 and err == ""
    assert memstats_of(out)["NumGC"] == "0" and "STW pauses:     none" in out
    rc, out, _ = gomem("run", *SMALL, "--gogc=-1")  # negative: off, as Go reads it
    assert rc == 0 and memstats_of(out)["NumGC"] == "0"


def test_gogc_as_go_parses_it() -> None:
    low = memstats_of(gomem("run", "--param", "depth=12", "--gogc", "+25")[1])
    default = memstats_of(gomem("run", "--param", "depth=12")[1])
    assert int(low["NumGC"]) > int(default["NumGC"])


@pytest.mark.parametrize("mode", ["stw", "go1.3", "go1.5", "yuasa", "go1.8", "none"])
def test_every_gc_mode_runs(mode: str) -> None:
    rc, out, err = gomem("run", "--param", "depth=10", "--gc", mode, "--checkmark", "--final-gc", "--gctrace")
    assert rc == 0, err
    assert all(GCTRACE_RE.fullmatch(line) for line in err.splitlines())
    assert ("  mark  " in out) == (mode in ("stw", "go1.3"))  # only the stw modes pause for the mark


def test_cost_override_changes_model_time() -> None:
    base = gomem("run", *SMALL, "--gogc", "off")[1]
    slow = gomem("run", *SMALL, "--gogc", "off", "--cost", "alloc=100", "--cost", "stw=1")[1]
    t = lambda s: re.search(r"model time:\s+(\S+ \S+)", s).group(1)  # noqa: E731
    assert t(base) != t(slow)


# -- JSON -------------------------------------------------------------------------------------------


def test_json_contents(tmp_path: Path) -> None:
    js = tmp_path / "out.json"
    js.write_text("old")
    rc, out, _ = gomem("run", "--param", "depth=12", "--procs", "2", "--final-gc", "--cost", "stw=5000",
                       "--json", str(js))
    assert rc == 0
    doc = json.loads(js.read_text())
    assert list(tmp_path.iterdir()) == [js]  # written atomically: no temporary left behind
    assert doc["status"] == "ok" and doc["exit_status"] == 0 and "error" not in doc
    assert doc["workload"] == "binary-trees" and doc["params"] == {"depth": 12}
    cfg = doc["config"]
    assert cfg["procs"] == 2 and cfg["gc"] == "go1.8" and cfg["gc_percent"] == 100 and cfg["final_gc"]
    assert cfg["cost"]["stw"] == 5000 and cfg["policy"] == "rr" and cfg["seed"] == 1
    assert doc["output"][0] == "stretch tree of depth 13\t check: 16383"
    ms = doc["memstats"]
    assert str(ms["NumGC"]) == memstats_of(out)["NumGC"]
    assert len(doc["cycles"]) == ms["NumGC"] == doc["summary"]["num_gc"]
    assert [c["n"] for c in doc["cycles"]] == list(range(1, ms["NumGC"] + 1))
    for c in doc["cycles"]:
        assert c["t_sweep_term"] <= c["t_mark"] <= c["t_mark_term"] <= c["t_end"]
        assert {p["phase"] for p in c["pauses"]} == {"sweep termination", "mark termination"}
        assert c["pauses"][0]["ns"] >= 5000
    assert ms["PauseTotalNs"] == doc["summary"]["pause_total_ns"] == sum(p["ns"] for p in doc["pauses"])
    assert ms["PauseTotalNs"] == sum(p["ns"] for c in doc["cycles"] for p in c["pauses"])
    assert len(ms["PauseNs"]) == 256 and ms["PauseNs"][ms["NumGC"] - 1] > 0
    assert ms["NumForcedGC"] == doc["summary"]["num_forced_gc"] == 1
    assert ms["GCCPUFraction"] == doc["summary"]["gc_cpu_fraction"]
    assert doc["summary"]["pauses"]["per cycle"]["count"] == ms["NumGC"]
    assert len(ms["BySize"]) == 61


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle",
    [
        (["run", "no-such-workload"], "unknown workload 'no-such-workload'"),
        (["run", "--gogc", "abc"], "invalid GOGC value 'abc'"),
        (["run", "--gogc", "1_000"], "invalid GOGC value"),
        (["run", "--gogc", " 100"], "invalid GOGC value"),
        (["run", "--gogc", "OFF"], "invalid GOGC value"),
        (["run", "--gogc", "2147483648"], "invalid GOGC value"),
        (["run", "--procs", "0"], "--procs must be between 1 and 256"),
        (["run", "--procs", "257"], "--procs must be between 1 and 256"),
        (["run", "--procs", "two"], "--procs: invalid integer 'two'"),
        (["run", "--seed", "1.5"], "--seed: invalid integer"),
        (["run", "--gc", "go2"], "invalid choice: 'go2'"),
        (["run", "--policy", "lifo"], "invalid choice: 'lifo'"),
        (["run", "--param", "depth"], "--param wants KEY=VALUE"),
        (["run", "--param", "depth=x"], "parameter depth: invalid int 'x'"),
        (["run", "--param", "depth=99"], "above the maximum"),
        (["run", "--param", "width=3"], "has no parameter 'width'"),
        (["run", "--cost", "nope=1"], "unknown cost 'nope'"),
        (["run", "--cost", "alloc=-1"], "must not be negative"),
        (["run", "--cost", "alloc=fast"], "is not an integer"),
        (["run", "--max-heap", "lots"], "invalid size 'lots'"),
        (["run", "--gomemlimit", "12 MiB"], "invalid size"),
        (["run", "--json", "/no/such/dir/out.json"], "open /no/such/dir/out.json: no such file or directory"),
        (["run", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["sizeclass"], "sizeclass wants SIZE or --table"),
        (["sizeclass", "twelve"], "invalid size 'twelve'"),
        (["bogus"], "invalid choice: 'bogus'"),
    ],
)
def test_bad_input_one_line_status_2(args: list[str], needle: str) -> None:
    rc, out, err = gomem(*args)
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("gomem: "), err
    assert needle in err


def test_json_path_is_a_directory(tmp_path: Path) -> None:
    rc, _, err = gomem("run", *SMALL, "--json", str(tmp_path))
    assert rc == 2 and "is a directory" in err


def test_out_of_memory_is_status_2() -> None:
    rc, out, err = gomem("run", "--param", "depth=16", "--gogc", "off", "--max-heap", "4MiB")
    assert rc == 2 and out == "" and err.startswith("gomem: ") and err.count("\n") == 1
    assert "out of memory" in err


@pytest.mark.parametrize("text, want", [("0", 0), ("1234", 1234), ("1234B", 1234), ("64KiB", 65536),
                                        ("+2MiB", 2 << 20), ("2GiB", 2 << 30), ("1TiB", 1 << 40)])
def test_parse_size(text: str, want: int) -> None:
    assert cli.parse_size(text) == want


@pytest.mark.parametrize("text", ["", "B", "KiB", "-1", "1.5GiB", "1 GiB", "1KB", "1kib", "١٠", "9223372036854775808",
                                  "8388608TiB"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(BadInput):
        cli.parse_size(text)


# -- workloads the tests register -------------------------------------------------------------------


def _lost_object_main(g, params):
    """Hide an object from an unprotected concurrent mark (the seed article's lost-object picture).

    Globals ``a -> A -> B -> C`` and ``d -> D``.  Start a cycle, scan the two
    grey objects (A, D: D is black now), then ``D.left = C; B.left = nil``.
    Without a barrier nothing shades C.  ``load=1`` then sweeps and loads D.left.
    """
    rt = g.rt
    node = gotypes.default_registry().get("Node")
    ptr = gotypes.pointer_to(node)
    rt.data.declare("a", ptr)
    rt.data.declare("d", ptr)
    a, b, c, d = (g.new(node) for _ in range(4))
    g.set_global("a", a)
    g.set_global("d", d)
    g.store(a, 0, b)
    g.store(b, 0, c)
    yield
    gc = rt.gc
    gc.start(g.p)
    assert gc.mark_step(g.p, objects=2) == 2
    g.store(d, 0, c)
    g.store(b, 0, 0)
    gc.mark_step(g.p)
    gc.mark_done(g.p)
    yield
    if params["load"]:
        rt.heap.sweeper.finish()
        g.load(d, 0)
    return {"output": ["survived"]}


def _raises(exc: BaseException):
    def main(g, params):
        yield
        raise exc

    return main


@pytest.fixture
def extra_workloads(monkeypatch: pytest.MonkeyPatch) -> None:
    workloads.all_workloads()  # load the built-in ones first
    reg = workloads._REGISTRY
    for w in (
        Workload("test-lost-object", "hides an object from the mark", _lost_object_main,
                 (Param("load", 0, "sweep, then load the hidden pointer", int, 0, 1),)),
        Workload("test-invariant", "breaks an invariant", _raises(InvariantViolation("mark bits and alloc bits disagree"))),
        Workload("test-interrupt", "is interrupted", _raises(KeyboardInterrupt())),
    ):
        monkeypatch.setitem(reg, w.name, w)


def test_workloads_lists_every_registered_one(extra_workloads) -> None:
    rc, out, err = gomem("workloads")
    assert rc == 0 and err == ""
    for w in workloads.all_workloads():
        assert f"{w.name}: {w.description}" in out
        for p in w.params:
            assert f"--param {p.name}={p.default} " in out
    assert "test-lost-object: hides an object from the mark" in out
    assert "--param load=0  (int 0..1) sweep, then load the hidden pointer" in out
    assert "--param depth=12  (int 4..24)" in out


def test_lost_object_exit_4(extra_workloads, tmp_path: Path) -> None:
    js = tmp_path / "lost.json"
    rc, out, err = gomem("run", "test-lost-object", "--gc", "none", "--checkmark", "--json", str(js))
    assert rc == 4 and out == ""
    assert err.count("\n") == 2
    assert re.fullmatch(
        rf"gomem: wrote {re.escape(str(js))}\n"
        r"gomem: checkmark: GC cycle 1 \(none\) left reachable object 0x[0-9a-f]+ \(Node\) unmarked; "
        r"path: global d -> 0x[0-9a-f]+ -> 0x[0-9a-f]+\n",
        err,
    ), err
    doc = json.loads(js.read_text())
    assert doc["status"] == "error" and doc["exit_status"] == 4
    assert doc["error"]["type"] == "LostObject" and doc["error"]["lost"][0]["root"] == "global d"
    # with the hybrid barrier the same program is safe
    rc, out, err = gomem("run", "test-lost-object", "--gc", "go1.8", "--checkmark")
    assert rc == 0 and out.startswith("survived\n") and err == ""


def test_dangling_pointer_exit_4(extra_workloads) -> None:
    rc, out, err = gomem("run", "test-lost-object", "--gc", "none", "--clobberfree", "--param", "load=1")
    assert rc == 4 and out == "" and err.count("\n") == 1
    assert err.startswith("gomem: dangling pointer 0x") and "freed by the sweeper in GC cycle 1" in err
    rc, *_ = gomem("run", "test-lost-object", "--gc", "yuasa", "--clobberfree", "--param", "load=1")
    assert rc == 0


def test_random_workload_loses_objects_without_barrier() -> None:
    if "random" not in {w.name for w in workloads.all_workloads()}:
        pytest.skip("the random workload is not registered")
    rc, out, err = gomem("run", "random", "--gc", "none", "--checkmark", "--param", "steps=300")
    assert rc == 4 and out == "" and err.startswith("gomem: checkmark: ") and err.count("\n") == 1
    rc, out, err = gomem("run", "random", "--gc", "go1.8", "--checkmark", "--param", "steps=300")
    assert rc == 0, err


def test_invariant_violation_exit_3(extra_workloads) -> None:
    rc, out, err = gomem("run", "test-invariant")
    assert (rc, out, err) == (3, "", "gomem: mark bits and alloc bits disagree\n")


def test_interrupt_exit_130(extra_workloads) -> None:
    rc, out, err = gomem("run", "test-interrupt")
    assert (rc, out, err) == (130, "", "gomem: interrupted\n")


# -- the progress line ----------------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


_STATUS = re.compile(r"\r\x1b\[K(?:gomem: [^\r\n]*)?")


def test_stderr_writer_erases_status_before_a_line() -> None:
    s = io.StringIO()
    w = cli.StderrWriter(s)
    w.line("gc 1")
    w.status("gomem: working")
    w.line("gc 2")
    w.clear()
    assert s.getvalue() == "gc 1\n\r\x1b[Kgomem: working\r\x1b[Kgc 2\n"
    w.status("gomem: again")
    w.clear()
    assert s.getvalue().endswith("\r\x1b[Kgomem: again\r\x1b[K")


def test_progress_never_corrupts_gctrace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runopts, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(runopts, "PROGRESS_INTERVAL", 0.001)
    draws = []
    real = cli.Progress.__exit__

    def spy(self, *exc):
        real(self, *exc)
        draws.append(self.draws)

    monkeypatch.setattr(cli.Progress, "__exit__", spy)
    tty, out = FakeTTY(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", out)
    rc = cli.main(["run", "--param", "depth=12", "--procs", "2", "--gctrace"])
    raw = tty.getvalue()
    assert rc == 0 and draws and draws[0] >= 1
    assert "gomem: binary-trees" in raw and "\x1b[K" in raw
    assert raw.endswith("\n") or raw.endswith("\r\x1b[K")  # the status line is erased at the end
    # with the status lines taken out, stderr is exactly the gctrace lines, each whole
    lines = _STATUS.sub("", raw).splitlines()
    assert lines and all(GCTRACE_RE.fullmatch(line) for line in lines), lines
    assert len(lines) == int(memstats_of(out.getvalue())["NumGC"])
    assert "\x1b" not in out.getvalue()


def test_guarded_writes_erase_the_progress_line() -> None:
    """A Go program's stdout/stderr writes (through StderrWriter.guard) erase the progress line first."""
    tty, other = FakeTTY(), io.StringIO()
    w = cli.StderrWriter(tty)
    g = w.guard(other)
    assert w.status("gomem: working")
    g.write("program output\n")
    assert tty.getvalue() == "\r\x1b[Kgomem: working\r\x1b[K" and other.getvalue() == "program output\n"
    g.write("more\n")  # nothing to erase: nothing written to the terminal
    assert tty.getvalue() == "\r\x1b[Kgomem: working\r\x1b[K"
    assert w.guard(g) is g and g.getvalue() == "program output\nmore\n"  # the rest is the stream's


def test_progress_waits_for_an_unfinished_line() -> None:
    """While a program's line on the terminal is unfinished the progress line is not drawn (it would split it)."""
    tty = FakeTTY()
    w = cli.StderrWriter(tty)
    g = w.guard(tty)
    g.write("half a ")
    assert w.status("gomem: working") is False
    g.write("line\n")
    assert w.status("gomem: working") is True
    assert tty.getvalue() == "half a line\n\r\x1b[Kgomem: working"


class _Bytes(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_guarded_buffer_of_a_terminal() -> None:
    """A Go program writes bytes to stdout.buffer: that is guarded too, and shares the text layer's line state."""
    raw = _Bytes()
    text = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    text.isatty = lambda: True  # type: ignore[method-assign]
    err = FakeTTY()
    w = cli.StderrWriter(err)
    g = w.guard(text)
    assert w.status("gomem: x")
    g.buffer.write(b"no newline")
    assert err.getvalue() == "\r\x1b[Kgomem: x\r\x1b[K" and raw.getvalue() == b"no newline"
    assert w.status("gomem: y") is False
    g.write("!\n")
    assert w.status("gomem: y") is True


def test_progress_text_fits_the_terminal() -> None:
    """Model time, GC cycles, bytes allocated and wall seconds always fit; heap and a long path give way."""
    from gomem.runtime.runtime import Runtime

    rt = Runtime()
    w = cli.StderrWriter(io.StringIO())
    wide = cli.Progress(rt, "churn", w).text(200)
    assert re.fullmatch(r"gomem: churn [|/\\-] model 0 ns, GC 0, heap 0 B, allocated 0 B, wall \d+\.\d s", wide), wide
    long_path = "/home/someone/projects/go/src/example.com/deeply/nested/package/cmd/longprogram.go"
    line = cli.Progress(rt, long_path, w).text(79)
    assert len(line) <= 79 and line.startswith("gomem: longprogram.go ") and ", wall " in line, line
    assert "model 0 ns" in line and "GC 0" in line and "allocated 0 B" in line
    assert w.width() == 80  # not a terminal: 80 columns


def test_progress_never_corrupts_program_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A Go program's stdout and os.Stderr lines on the terminal stay whole while the progress line is redrawn."""
    monkeypatch.setattr(runopts, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(runopts, "PROGRESS_INTERVAL", 0.001)
    draws = []
    real = cli.Progress.__exit__

    def spy(self, *exc):
        real(self, *exc)
        draws.append(self.draws)

    monkeypatch.setattr(cli.Progress, "__exit__", spy)
    src = tmp_path / "talk.go"
    src.write_text(
        "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\ntype node struct{ l, r *node }\n\n"
        "func build(d int) *node {\n\tif d == 0 {\n\t\treturn &node{}\n\t}\n\treturn &node{build(d - 1), build(d - 1)}\n}\n\n"
        "func main() {\n\tfor i := 0; i < 12; i++ {\n\t\tbuild(9)\n\t\tfmt.Println(\"out\", i)\n"
        "\t\tfmt.Fprint(os.Stderr, \"err \")\n\t\tbuild(6)\n\t\tfmt.Fprintln(os.Stderr, i)\n\t}\n}\n"
    )
    tty = FakeTTY()  # stdout and stderr on one terminal, as in an interactive shell
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", tty)
    rc = cli.main(["run", str(src)])
    raw = tty.getvalue()
    assert rc == 0 and draws and draws[0] >= 1, (draws, raw[:500])
    assert sys.stderr is tty  # the guard is gone after the run
    lines = _STATUS.sub("", raw).splitlines()
    prog = [line for line in lines if line.startswith(("out ", "err "))]
    expect = [x for i in range(12) for x in (f"out {i}", f"err {i}")]
    assert prog == expect, lines[:40]
    assert lines[: len(expect)] == expect  # nothing else in between, nothing appended


def test_no_progress_flag_and_non_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runopts, "PROGRESS_DELAY", 0.0)
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli.main(["run", *SMALL, "--no-progress"]) == 0
    assert tty.getvalue() == ""


def test_broken_pipe_is_quiet() -> None:
    cmd = [*_command(), "run", "--param", "depth=10"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    assert p.stdout is not None
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode() if p.stderr else ""
    assert p.wait(timeout=120) == 0
    assert "Traceback" not in err and "Exception ignored" not in err


# -- bounds, timeouts, sizes, devices and encodings (issue 17) -----------------------------------


def test_every_workload_parameter_is_bounded() -> None:
    for w in workloads.all_workloads():
        for prm in w.params:
            assert prm.minimum is not None and prm.maximum is not None, (w.name, prm.name)
            assert prm.minimum <= prm.default <= prm.maximum, (w.name, prm.name)
    rc, out, err = gomem("workloads")
    assert rc == 0 and "--param replacements=327680  (int 0..1000000000)" in out


@pytest.mark.parametrize("value, needle", [
    ("1e21", "gomem: parameter replacements: invalid int '1e21'"),
    (str(10**21), f"gomem: parameter replacements: {10**21} is above the maximum 1000000000"),
])
def test_unbounded_param_is_one_line(value: str, needle: str) -> None:
    rc, out, err = gomem("run", "churn", "--param", f"replacements={value}")
    assert rc == 2 and out == "" and err == needle + "\n"


def test_timeout_stops_a_run_with_one_line(tmp_path: Path) -> None:
    js = tmp_path / "run.json"
    rc, out, err = gomem("run", "--param", "depth=18", "--timeout", "0.3", "--json", str(js))
    assert rc == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"gomem: wrote {js}" and len(lines) == 2
    assert re.fullmatch(r"gomem: timed out after 0\.3 s of wall time: stopped at model time .+ after \d+ GC cycles?", lines[1])
    doc = json.loads(js.read_text())
    assert doc["status"] == "error" and doc["error"]["type"] == "RunTimeout"
    for bad in ("0", "-1", "soon", "inf"):
        rc, _, err = gomem("run", "--timeout", bad)
        assert rc == 2 and err == f"gomem: --timeout: want a positive number of seconds, got {bad!r}\n"


def test_vs_go_takes_the_timeout_too(tmp_path: Path) -> None:
    log = tmp_path / "gc.log"
    log.write_text("gc 1 @0.001s 1%: 0.010+0.10+0.010 ms clock, 0.010+0/0.10/0+0.010 ms cpu, "
                   "3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P\n")
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=18", "--gctrace-log", str(log), "--timeout", "0.3")
    assert rc == 2 and err.startswith("gomem: timed out after 0.3 s") and err.count("\n") == 1


@pytest.mark.parametrize("text", ["16", "0x10", "0X10", "0o20", "020", "0b10000", "1_6", "0x_10", "+16"])
def test_sizeclass_reads_sizes_as_go_parseint_base_0(text: str) -> None:
    want = gomem("sizeclass", "16")
    assert want[0] == 0 and "request:      16 bytes" in want[1]
    assert gomem("sizeclass", text) == want


@pytest.mark.parametrize("text", ["twelve", "0x", "1__6", "16_", "0b2", "08", " 16", "99999999999999999999"])
def test_sizeclass_rejects_what_parseint_rejects(text: str) -> None:
    rc, out, err = gomem("sizeclass", text)
    assert rc == 2 and out == "" and err.startswith(f"gomem: invalid size {text!r}: strconv.ParseInt: parsing ")


def test_sizeclass_help_and_readme_say_how_size_is_read() -> None:
    rc, out, _ = gomem("sizeclass", "--help")
    assert rc == 0 and "ParseInt(s, 0, 64)" in " ".join(out.split())
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "`strconv.ParseInt(s, 0, 64)`" in readme and "`0x10`" in readme


def test_vs_go_html_page(tmp_path: Path) -> None:
    log = tmp_path / "gc.log"
    log.write_text("gc 1 @0.001s 1%: 0.010+0.10+0.010 ms clock, 0.010+0/0.10/0+0.010 ms cpu, "
                   "3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P\n"
                   "gc 2 @0.002s 1%: 0.010+0.10+0.010 ms clock, 0.010+0/0.10/0+0.010 ms cpu, "
                   "3->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 1 P\n")
    page = tmp_path / "vs.html"
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=12", "--gctrace-log", str(log), "--html", str(page))
    assert rc == 0, err
    assert err.splitlines()[-1] == f"gomem: wrote {page}"
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.replace("http-equiv", "")
    assert "gomem vs-go binary-trees depth=12" in html
    assert html.count('<svg class="chart vsgo"') == 2
    assert '<polyline class="go"' in html and '<polyline class="gomem"' in html
    assert "GC count" in html and "deviation" in html
    rc, _, err = gomem("vs-go", "binary-trees", "--gctrace-log", str(log), "--html", "")
    assert rc == 2 and err.count("\n") == 1


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="os.mknod of a character device needs root")


@needs_root
@pytest.mark.parametrize("argv", [
    ["run", "--param", "depth=6"],
    ["sizeclass", "--table"],
    ["scenario", "run", "tricolor"],
])
def test_stdout_on_a_full_device_is_one_line(tmp_path: Path, argv: list[str]) -> None:
    import stat as stat_

    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat_.S_IFCHR, os.makedev(1, 7))
    with open(full, "w") as dev:
        p = subprocess.run([*_command(), *argv], stdout=dev, stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 2
    assert p.stderr == "gomem: write /dev/stdout: no space left on device\n"
    assert stat_.S_ISCHR(full.stat().st_mode)


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "", "LC_ALL": "C", "PYTHONUTF8": "0"}])
def test_scenario_text_on_an_ascii_terminal(env: dict[str, str]) -> None:
    for argv in (["scenario", "list"], ["scenario", "run", "tricolor"]):
        p = subprocess.run([*_command(), *argv], capture_output=True, timeout=300, env={**os.environ, **env})
        assert p.returncode == 0 and p.stderr == b"", p.stderr
        out = p.stdout.decode("ascii")
        assert "(\\u4e09\\u8272\\u6807\\u8bb0\\u6cd5)" in out  # the Chinese title, escaped rather than a traceback
