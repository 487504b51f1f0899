"""The CPU profile over model time (gomem.runtime.cpuprof, gomem.std.pprof.write_cpu_proto, --cpuprofile).

Samples every period of model CPU time on each P; the stacks are the program's frames with the
runtime's on top, or the collector's own; the file reads in the real ``go tool pprof``.  The
programs here are small: the rates the API takes (``cpuprofilerate``, as runtime.SetCPUProfileRate)
give them enough samples; the command line samples at Go's 100 Hz.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gomem import api
from gomem.cmd import realgo
from gomem.runtime import cpuprof
from gomem.runtime.sched import P
from gomem.runtime.symtab import goroot
from gomem.std import pprof

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clihelpers import gomem  # noqa: E402

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

#: a program that spends its model time calling one function (each call pushes and pops a frame),
#: and a tenth of it in another
HOT = """package main

import "fmt"

func hot(n int) int {
	if n == 0 {
		return 0
	}
	return hot(n-1) + 1
}

func cold(n int) int {
	if n == 0 {
		return 0
	}
	return cold(n-1) + 1
}

func main() {
	s := 0
	for i := 0; i < 20000; i++ {
		s += hot(10)
		if i%10 == 0 {
			s += cold(10)
		}
	}
	fmt.Println(s)
}
"""

#: a live heap of 80,000 small objects held through slices, marked by 20 forced cycles while the
#: program allocates a little
GCHEAVY = """package main

import (
	"fmt"
	"runtime"
)

type leaf struct {
	a, b *leaf
}

var keep [][]*leaf

func build(n int) []*leaf {
	s := make([]*leaf, n)
	for i := range s {
		s[i] = &leaf{}
	}
	return s
}

func main() {
	for i := 0; i < 4; i++ {
		keep = append(keep, build(20000))
	}
	for i := 0; i < 20; i++ {
		runtime.GC()
		build(1000)
	}
	fmt.Println(len(keep))
}
"""

RATE = 200_000  # 5 us of model CPU time per sample
HOT_RATE = 1_000_000  # 1 us: the calls cost a few ns each


def _write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def _run(path: str, **kw):
    return api.run(path, stdout=open(os.devnull, "w"), **kw)


def _frames(prof, stack) -> list[str]:
    return [f.function for pc in stack for f in prof.symtab.frames(pc)]


def _share(prof, pred) -> int:
    return sum(n for stk, n in prof.samples.items() if pred(_frames(prof, stk)))


def _pprof(*args: str) -> str:
    r = subprocess.run([realgo.find_go(), "tool", "pprof", *args], capture_output=True, text=True,
                       env=realgo.go_env())
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def hot(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("hot"), "hot.go", HOT)
    res = _run(path, cpuprofilerate=HOT_RATE)
    return path, res


@pytest.fixture(scope="module")
def gcheavy(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("gc"), "gcheavy.go", GCHEAVY)
    res = _run(path, cpuprofilerate=RATE, procs=2)
    return path, res


def test_samples_count_the_model_cpu_time_of_each_p(hot, gcheavy):
    for _, res in (hot, gcheavy):
        prof = res.runtime.cpuprof
        per_p = [0] * len(res.runtime.sched.ps)
        assert prof.total == sum(prof.samples.values())
        # every P: one sample per period of the CPU time charged to it, the first one a random part in
        for i, ns in enumerate(prof.cpu_ns):
            per_p[i] = ns // prof.period
        assert abs(prof.total - sum(per_p)) <= len(per_p)


def test_on_one_p_the_cpu_time_is_the_clock_less_its_idle_waits(hot):
    """GOMAXPROCS=1, one goroutine that never waits: the P is busy all the time, so the samples are
    the P's clock over the period (the clock the model's gctrace and pauses are read from)."""
    _, res = hot
    prof = res.runtime.cpuprof
    p = res.runtime.sched.ps[0]
    assert p.idle_time == 0
    assert abs(prof.total - p.now // prof.period) <= 1
    assert prof.total > 500


def test_the_hot_function_is_on_top(hot):
    """hot is called 10x as often as cold: its frames take 10x the samples."""
    _, res = hot
    prof = res.runtime.cpuprof
    flat: dict[str, int] = {}
    for stk, n in prof.samples.items():
        leaf = _frames(prof, stk)[0]
        flat[leaf] = flat.get(leaf, 0) + n
    top = max(flat, key=flat.get)
    assert top == "main.hot", flat
    assert 7 <= flat["main.hot"] / flat["main.cold"] <= 13, flat
    assert flat["main.hot"] > 0.8 * prof.total


def test_the_collector_shows_in_proportion_to_what_the_model_charged(gcheavy):
    """The mark workers' samples are the workers' model time over the period, the assists' theirs,
    within the sampling's granularity (each stretch of work gains or loses at most one sample)."""
    _, res = gcheavy
    prof = res.runtime.cpuprof
    period = prof.period
    recs = res.runtime.gc.records
    worker_ns = sum(r.background_time + r.idle_time for r in recs)
    workers = _share(prof, lambda fs: "runtime.gcBgMarkWorker" in fs)
    drains = _share(prof, lambda fs: fs[0] == "runtime.gcDrain")
    assert workers > 0.5 * prof.total  # a GC-heavy program: most of its time is marking
    assert abs(workers - worker_ns / period) <= 0.05 * worker_ns / period + 5, (workers, worker_ns / period)
    assert drains <= workers
    kinds = {f for stk in prof.samples for f in _frames(prof, stk) if f.startswith("runtime.gcDrainMarkWorker")}
    assert kinds <= {"runtime.gcDrainMarkWorkerDedicated", "runtime.gcDrainMarkWorkerFractional",
                     "runtime.gcDrainMarkWorkerIdle"} and kinds
    mallocs = _share(prof, lambda fs: any(f.startswith("runtime.mallocgc") for f in fs))
    assert mallocs > 0
    # the allocations' own price (cost.alloc each) is a floor for the samples in mallocgc's frames
    ms = res.memstats
    assert mallocs >= 0.9 * ms["Mallocs"] * res.runtime.cost.alloc / period - 5
    # the forced cycles are called from main: runtime.GC -> gcStart -> stopTheWorldWithSema
    stw = [fs for fs in (_frames(prof, s) for s in prof.samples) if fs[0] == "runtime.stopTheWorldWithSema"]
    assert any(fs[1] == "runtime.gcStart" and "runtime.GC" in fs for fs in stw)


def test_a_pause_is_the_cpu_time_of_the_p_that_stops_the_world(tmp_path):
    """Every P's clock jumps over a stop-the-world pause, but only the P running the collector's
    work spends CPU time in it (the others are stopped): with 2 P's, the samples in the pause
    (stopTheWorldWithSema, and gcStart's or gcMarkTermination's own work) are the pauses' total
    over the period once, not twice -- each pause gaining or losing at most one."""
    res = _run(_write(tmp_path, "gcheavy.go", GCHEAVY), cpuprofilerate=2_000_000, procs=2)
    prof = res.runtime.cpuprof
    leaves = ("runtime.stopTheWorldWithSema", "runtime.gcStart", "runtime.gcMarkTermination")
    stw = _share(prof, lambda fs: fs[0] in leaves)
    pauses = res.runtime.gc.pauses
    want = sum(ns for _, _, _, ns in pauses) / prof.period
    assert want > 4 * len(pauses)
    assert abs(stw - want) <= len(pauses), (stw, want)


def test_runtime_frames_have_their_go_source_positions(gcheavy):
    """Every runtime function in the profile is declared where the profile says, in GOROOT's source."""
    _, res = gcheavy
    prof = res.runtime.cpuprof
    src_dir = os.path.join(goroot(), "src", "runtime")
    if not os.path.isdir(src_dir):
        pytest.skip("no Go runtime source under GOROOT")
    seen = {}
    for stk in prof.samples:
        for pc in stk:
            for f in prof.symtab.frames(pc):
                if f.function.startswith("runtime.") or f.function == "gcWriteBarrier":
                    seen[f.function] = f
    assert "runtime.gcDrain" in seen and "runtime.gcBgMarkWorker" in seen
    for name, f in seen.items():
        lines = Path(f.file).read_text().split("\n")
        decl = lines[f.start_line - 1]
        short = name.rsplit(".", 1)[-1]
        if short.startswith("func") and short[4:].isdigit():
            assert "func(" in decl, (name, decl)
        elif f.file.endswith(".s"):
            assert decl.startswith("TEXT") and short in decl, (name, decl)
        else:
            assert decl.startswith("func ") and re.search(r"\b" + re.escape(short) + r"[\[(]", decl), (name, decl)
        assert f.start_line <= f.line < f.start_line + 1000


def test_the_proto_has_go_cpu_profile_fields(gcheavy):
    _, res = gcheavy
    prof = res.runtime.cpuprof
    p = pprof.read_profile(prof.proto())
    assert [(t.type, t.unit) for t in p.sample_types] == [("samples", "count"), ("cpu", "nanoseconds")]
    assert (p.period_type.type, p.period_type.unit) == ("cpu", "nanoseconds")
    assert p.period == prof.period == 1_000_000_000 // RATE
    assert p.default_sample_type == ""
    assert p.duration_nanos == prof.duration_ns() > 0
    assert sum(s.values[0] for s in p.samples) == prof.total
    assert all(s.values[1] == s.values[0] * p.period and not s.labels for s in p.samples)


def test_same_seed_same_bytes_other_seed_other_samples(tmp_path, hot):
    path, res = hot
    again = _run(path, cpuprofilerate=HOT_RATE).runtime.cpuprof
    assert again.proto() == res.runtime.cpuprof.proto()
    other = _run(path, cpuprofilerate=HOT_RATE, seed=7).runtime.cpuprof
    assert other.next_at != res.runtime.cpuprof.next_at


def test_no_profile_no_hook(tmp_path):
    """Off, the P's keep their class: the clock is the plain slot and the C fast paths apply."""
    res = _run(_write(tmp_path, "hot.go", HOT))
    assert all(type(p) is P for p in res.runtime.sched.ps)
    assert res.runtime.cpuprof is None
    on = _run(_write(tmp_path, "hot.go", HOT), cpuprofilerate=RATE)
    assert all(type(p) is P for p in on.runtime.sched.ps)  # stopped: given back
    assert on.runtime.now == res.runtime.now  # the profile charges nothing


def test_bad_rate():
    for bad in (0, -5, 1.5):
        with pytest.raises(Exception, match="CPU profile rate"):
            api.run("binary-trees", cpuprofilerate=bad)


@requires_go
def test_go_tool_pprof_reads_top_traces_and_list(tmp_path, gcheavy, hot):
    for name, (path, res) in (("gc", gcheavy), ("hot", hot)):
        out = tmp_path / f"{name}.pprof"
        out.write_bytes(res.runtime.cpuprof.proto())
        top = _pprof("-top", str(out))
        assert "Type: cpu" in top
        lines = [l.split() for l in top.splitlines() if re.match(r"\s+[\d.]+(ms|us|s)\s", l)]
        if name == "hot":
            assert lines[0][5] == "main.hot", top
        else:
            assert lines[0][5] == "runtime.gcDrain", top
            assert "runtime.gcBgMarkWorker" in top
        traces = _pprof("-traces", str(out))
        assert "-----------+" in traces and "runtime.main" in traces
        listing = _pprof("-list", "main.hot" if name == "hot" else "main.build", str(out))
        assert "ROUTINE" in listing


@requires_go
def test_cli_cpuprofile(tmp_path):
    src = _write(tmp_path, "gcheavy.go", GCHEAVY)
    out = tmp_path / "cpu.pprof"
    rc, stdout, err = gomem("run", src, "--cpuprofile", str(out), "--procs", "2")
    assert rc == 0, err
    assert stdout == "4\n"
    top = _pprof("-top", str(out))
    assert "Type: cpu" in top and "runtime.gcBgMarkWorker" in top
    p = pprof.read_profile(out.read_bytes())
    assert p.period == cpuprof.PERIOD_NS == 10_000_000


def test_cli_cpuprofile_bad_input(tmp_path):
    src = _write(tmp_path, "hot.go", HOT)
    bad = tmp_path / "no" / "cpu.pprof"
    rc, stdout, err = gomem("run", src, "--cpuprofile", str(bad))
    assert rc == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("gomem: ") and "no such file or directory" in err
    assert not bad.parent.exists()
    rc, _, err = gomem("run", "binary-trees", "--cpuprofile", str(tmp_path / "x.pprof"))
    assert rc == 2 and err.startswith("gomem: --cpuprofile is for Go programs")
    assert not (tmp_path / "x.pprof").exists()
    rc, _, err = gomem("vs-go", src, "--cpuprofile", str(tmp_path / "y.pprof"))  # a gomem run's own option
    assert rc == 2 and "unrecognized arguments: --cpuprofile" in err
    assert not (tmp_path / "y.pprof").exists()


REAL_CPU = """package main

import (
	"os"
	"runtime/pprof"
)

var sink int

func spin() {
	for i := 0; i < 200_000_000; i++ {
		sink += i % 7
	}
}

func main() {
	f, _ := os.Create(os.Args[1])
	pprof.StartCPUProfile(f)
	spin()
	pprof.StopCPUProfile()
	f.Close()
}
"""


def _top_fields(data: bytes) -> list[int]:
    """profile.proto's top-level field numbers in order, each run of one number once."""
    import gzip

    out: list[int] = []
    for num, _, _ in pprof._fields(gzip.decompress(data)):
        if not out or out[-1] != num:
            out.append(num)
    return out


@requires_go
def test_the_encoding_is_laid_out_as_real_go_writes_it(tmp_path, hot):
    """A real Go CPU profile and the model's: the same header fields in the same order (time, the two
    sample types, duration, period type, period), then locations and functions before the samples
    that use them, the mappings, the string table; no labels, no default sample type."""
    (tmp_path / "go.mod").write_text("module realcpu\n\ngo 1.27\n")
    (tmp_path / "main.go").write_text(REAL_CPU)
    exe = tmp_path / "realcpu"
    r = subprocess.run([realgo.find_go(), "build", "-o", str(exe), "."], cwd=tmp_path, capture_output=True,
                       text=True, env=realgo.build_env())
    assert r.returncode == 0, r.stderr
    out = tmp_path / "real.pprof"
    subprocess.run([str(exe), str(out)], check=True, env=realgo.go_env())
    real = out.read_bytes()
    ours = hot[1].runtime.cpuprof.proto()
    assert _top_fields(real)[:5] == _top_fields(ours)[:5] == [9, 1, 10, 11, 12]
    for fields in (_top_fields(real), _top_fields(ours)):
        assert fields[-2:] == [3, 6] and set(fields[5:-2]) == {2, 4, 5}
        assert fields[5] == 4  # a sample's locations come first
    rp, op = pprof.read_profile(real), pprof.read_profile(ours)
    assert rp.sample_types == op.sample_types and rp.period_type == op.period_type
    assert rp.default_sample_type == op.default_sample_type == ""
    assert rp.period == 10_000_000
    for p in (rp, op):
        assert all(not s.labels and s.values[1] == s.values[0] * p.period for s in p.samples)
        assert all(f.system_name == f.name for f in p.functions)
