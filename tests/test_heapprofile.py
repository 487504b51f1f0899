"""The heap profile: the program's line table, Go's sampling cycle, and sites agreeing with real Go's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gomem import api
from gomem.cmd import realgo
from gomem.compile import program as gorun
from gomem.runtime import mprof

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pprofcompare  # noqa: E402

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
CORPUS = Path(__file__).resolve().parent / "gorun" / "corpus"

INLINED = """package main

import "runtime"

func small(x int) *int {
	p := new(int)
	*p = x
	return p
}

var keep []*int

func main() {
	runtime.MemProfileRate = 1
	for i := 0; i < 3; i++ {
		keep = append(keep, small(i))
	}
	runtime.GC()
}
"""


def test_an_inlined_allocation_has_both_frames(tmp_path):
    src = tmp_path / "inl.go"
    src.write_text(INLINED)
    res = api.run(str(src))
    mp = res.runtime.memprof
    sites = {}
    for rec in mp.records():
        frames = [(f.function, f.line) for pc in rec.stack for f in mp.symtab.frames(pc)]
        sites.setdefault(tuple(frames[:2]), 0)
        sites[tuple(frames[:2])] += rec.alloc_objects
    # new(int) is tiny: only the allocation that starts a tiny block is sampled, as in Go
    assert sites[(("main.small", 6), ("main.main", 16))] >= 1
    assert any(k[0] == ("main.main", 16) for k in sites)  # the append's growth


def test_the_cycle_publishes_two_gcs_late_and_runtime_gc_at_once():
    class C:
        next_sample = 0
        mem_prof_rate = 1

    mp = mprof.MemProfile(lambda x: x & ~0xFFF, None, rate=1)
    mp.record_malloc(0x1010, 16, ("site",))
    assert [r.alloc_objects for r in mp.records(inuse_zero=False)] == [1]  # nothing published: every cycle folded
    mp2 = mprof.MemProfile(lambda x: x & ~0xFFF, None, rate=1)
    mp2.next_cycle(); mp2.flush()
    mp2.record_malloc(0x1010, 16, ("a",))
    mp2.record_malloc(0x2010, 16, ("b",))
    mp2.next_cycle(); mp2.flush()  # b was made in cycle C+2: not yet visible
    mp2.sweep_span(0x2000, 16, lambda i: True)  # b freed by the sweep after that GC
    assert [b.allocs for b in mp2.buckets] == [0, 0]  # published: nothing yet
    mp2.post_sweep()  # runtime.GC: everything up to this GC
    assert [(b.allocs, b.frees) for b in mp2.buckets] == [(1, 1), (1, 0)]
    assert sorted((r.stack, r.alloc_objects, r.free_objects) for r in mp2.records()) == [(("a",), 1, 0), (("b",), 1, 1)]


def test_fastexprand_has_the_rate_as_mean():
    import random

    rng = random.Random(7)
    n = 20000
    mean = sum(mprof.fastexprand(512 * 1024, lambda: rng.getrandbits(32)) for _ in range(n)) / n
    assert abs(mean / (512 * 1024) - 1) < 0.03  # the exponential's spread over 20000 draws is 0.7%


@requires_go
@pytest.mark.parametrize("name", ["append_ints.go", "interp.go", "sync_cond.go", "sortslice.go"])
def test_sites_agree_with_real_go_at_rate_1(name, tmp_path):
    want = pprofcompare.real_go_sites(CORPUS / name, tmp_path)
    got = pprofcompare.gomem_sites(CORPUS / name, tmp_path)
    assert pprofcompare.differences(got, want) == []


@requires_go
def test_memprofile_reads_in_go_tool_pprof(tmp_path):
    src = tmp_path / "inl.go"
    src.write_text(INLINED)
    out = tmp_path / "heap.pb.gz"
    r = subprocess.run([sys.executable, "-c", "from gomem.cmd.cli import main; import sys; sys.exit(main())",
                        "run", str(src), "--memprofile", str(out), "--memprofilerate", "1"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    top = subprocess.run([realgo.find_go(), "tool", "pprof", "-sample_index=alloc_space", "-top", str(out)],
                         capture_output=True, text=True, env=realgo.go_env())
    assert top.returncode == 0, top.stderr
    assert "main.main" in top.stdout
