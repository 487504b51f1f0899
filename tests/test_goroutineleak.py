"""Go 1.26's goroutine-leak profile on gomem's collector, judged by Go's own test.

``runtime/goroutineleakprofile_test.go`` and its programs (``runtime/testdata/testgoroutineleakprofile``)
ship with the toolchain; :mod:`goroutineleak` reads the test's case table and judges gomem's runs
as the test judges Go's.  Also: the goroutine profile's ``debug=1`` and ``debug=2`` texts against
real Go's for the same program (functions, files and lines; the PCs are the model's own).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gomem.cmd import realgo

sys.path.insert(0, str(Path(__file__).parent))
import goroutineleak as gl  # noqa: E402

GO = realgo.find_go()
requires_go = pytest.mark.skipif(GO is None, reason=realgo.NO_GO_REASON)
ROOT = gl.goroot() if GO else None
CASES = {c.name: c for c in gl.cases(ROOT)} if ROOT else {}
#: the cases the model cannot pass yet, each with the reason (strict: an unexpected pass fails)
KNOWN: dict[str, str] = {}
TOP = [n for n, c in CASES.items() if not c.goker]


def _case(name: str):
    if name in KNOWN:
        return pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN[name], strict=True))
    return name


@requires_go
@pytest.mark.parametrize("name", [_case(n) for n in TOP] or ["none"])
def test_micro_stress_and_pattern_cases_as_go_judges_them(name):
    case = CASES[name]
    v = gl.judge(case, [gl.run_case(ROOT, case, seed) for seed in range(1, gl.RUNS + 1)])
    assert v.ok, "\n".join(v.errors)


@requires_go
@pytest.mark.parametrize("gc", ["stw", "go1.3", "go1.5", "yuasa"])
def test_every_era_finds_the_same_leaks(gc):
    """One run of each non-flaky micro test under every era's collector: the leak GC is the root policy's."""
    bad = []
    for name in TOP:
        case = CASES[name]
        if not case.simple or name in KNOWN:
            continue
        v = gl.judge(case, [gl.run_case(ROOT, case, 1, gc=gc)])
        if not v.ok:
            bad.append(f"{name}: {v.errors}")
    assert not bad, "\n".join(bad)


def test_extract_leaks_reads_a_dump_as_the_go_test_does():
    dump = ("goroutine 1 [running]:\nmain.main()\n\t/x/main.go:38 +0x133\n\n"
            "goroutine 7 [chan receive (nil chan) (leaked)]:\nmain.NilRecv.func1()\n\t/x/simple.go:44 +0x17\n"
            "created by main.NilRecv in goroutine 1\n\t/x/simple.go:42 +0x30\n\n"
            "goroutine 8 [chan send]:\nmain.g()\n\t/x/simple.go:50 +0x17\n"
            "created by main.main in goroutine 1\n\t/x/simple.go:49 +0x30\n")
    leaks = gl.extract_leaks(dump)
    assert leaks == ["NilRecv.func1()  7 [chan receive (nil chan)]:"]
    assert re.search(CASES["NilRecv"].expected[0] if CASES else r"NilRecv\.func1\(.* \[chan receive \(nil chan\)\]",
                     leaks[0])


PROG = """package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
)

func worker(ch chan int, wg *sync.WaitGroup) {
	wg.Done()
	<-ch
}

func main() {
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(ch, &wg)
	}
	wg.Wait()
	runtime.Gosched()
	pprof.Lookup("goroutine").WriteTo(os.Stdout, %d)
}
"""


def _frames(text: str) -> list[tuple[str, str]]:
    """(function, file:line) of every frame line pair, the PCs and argument words left out."""
    out = []
    lines = text.splitlines()
    for a, b in zip(lines, lines[1:]):
        m = re.match(r"^(created by )?([\w./()*\[\]]+?)(\(.*\))?( in goroutine \d+)?$", a)
        f = re.match(r"^\t(\S+?:\d+)( \+0x[0-9a-f]+)?$", b)
        if m and f:
            out.append((m.group(2), os.path.basename(f.group(1))))
    return out


@requires_go
@pytest.mark.parametrize("debug", [1, 2])
def test_goroutine_profile_names_the_frames_go_names(tmp_path, debug):
    """The same program's goroutine profile on gomem and on Go: the same goroutines in the same states
    (debug=2's headers), the same functions at the same lines (debug=2's frames and created-by lines; debug=1's
    ``#`` lines beyond the runtime/pprof frames Go shows and the model has not)."""
    src = tmp_path / "prog.go"
    src.write_text(PROG % debug)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOMAXPROCS": "1"}
    go = subprocess.run([GO, "run", str(src)], capture_output=True, text=True, env=env, timeout=300)
    assert go.returncode == 0, go.stderr
    gm = subprocess.run(["gomem", "run", str(src), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert gm.returncode == 0, gm.stderr
    if debug == 2:
        heads = lambda t: [re.sub(r"goroutine \d+", "goroutine N", h) for h in re.findall(r"^goroutine .*$", t, re.M)]
        assert heads(gm.stdout) == heads(go.stdout)
        want = [f for f in _frames(go.stdout) if not f[0].startswith("runtime/pprof.")]
        assert _frames(gm.stdout) == want
    else:
        assert gm.stdout.splitlines()[0] == go.stdout.splitlines()[0] == "goroutine profile: total 4"
        hashes = lambda t: [(m.group(1), os.path.basename(m.group(2)))
                            for m in re.finditer(r"^#\t0x[0-9a-f]+\t(\S+)\+0x[0-9a-f]+\t+(\S+)$", t, re.M)
                            if not m.group(1).startswith("runtime/pprof.")]
        assert hashes(gm.stdout) == hashes(go.stdout)
        counts = lambda t: sorted(int(m) for m in re.findall(r"^(\d+) @", t, re.M))
        assert counts(gm.stdout) == counts(go.stdout) == [1, 3]


def _traces(path) -> list[tuple[int, list[str]]]:
    """``go tool pprof -traces``'s samples: (count, functions leaf first), the runtime's frames left out: the
    profile's own (runtime/pprof's and the goroutineProfileWithLabels it calls: the model writes the profile
    from its runtime, not from Go functions on the caller's stack) and a parked goroutine's gopark,
    chanrecv, chanrecv1 (the model's stacks hold only the program's frames; debug=1 and 2 hide these too)."""
    r = subprocess.run([GO, "tool", "pprof", "-traces", str(path)], capture_output=True, text=True,
                       env=realgo.build_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    out = []
    for block in r.stdout.split("-----------+-------------------------------------------------------")[1:]:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        count, first = lines[0].split(None, 1)
        funcs = [first.strip()] + [ln.strip() for ln in lines[1:]]
        out.append((int(count), [f for f in funcs if not f.startswith(("runtime/pprof.", "runtime."))]))
    return sorted(out)


@requires_go
def test_goroutine_profile_proto_reads_in_go_tool_pprof_as_gos(tmp_path):
    """``WriteTo(w, 0)``: the gzipped profile.proto of the goroutine profile; ``go tool pprof -traces`` reads the
    same samples (counts and stacks) from gomem's file as from real Go's for the same program."""
    src = tmp_path / "prog.go"
    src.write_text(PROG % 0)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOMAXPROCS": "1"}
    go = subprocess.run([GO, "run", str(src)], capture_output=True, env=env, timeout=300)
    assert go.returncode == 0, go.stderr
    gm = subprocess.run(["gomem", "run", str(src), "--no-progress"], capture_output=True, timeout=300)
    assert gm.returncode == 0, gm.stderr
    assert gm.stdout[:2] == go.stdout[:2] == b"\x1f\x8b"  # gzip
    (tmp_path / "go.pb.gz").write_bytes(go.stdout)
    (tmp_path / "gomem.pb.gz").write_bytes(gm.stdout)
    want = _traces(tmp_path / "go.pb.gz")
    assert [c for c, _ in want] == [1, 3]
    assert _traces(tmp_path / "gomem.pb.gz") == want
