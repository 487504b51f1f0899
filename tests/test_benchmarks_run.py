"""The benchmark scripts run and print every row (their figures are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOC = ROOT / "benchmarks" / "alloc.py"


def test_alloc_quick_prints_every_size(tmp_path):
    """`alloc.py --quick` exits 0, prints a pointer-free and a pointerful row per size, and writes its JSON."""
    out = tmp_path / "alloc.json"
    r = subprocess.run([sys.executable, str(ALLOC), "--quick", "--json", str(out)],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines()]
    for size in (8, 16, 64, 512, 4096, 40000):
        for kind in ("pointer-free", "pointerful"):
            assert any(row[:2] == [str(size), kind] for row in rows), f"no row for {size} B {kind}:\n{r.stdout}"
    assert "f(size)" in r.stdout and "bytearray(size)" in r.stdout
    assert r.stdout.count("fixed overhead (RSS of an empty Heap)") == 2
    assert r.stdout.count("RSS growth / HeapSys") == 2
    figures = json.loads(out.read_text())
    assert {(a["size"], a["pointers"]) for a in figures["alloc"]} == {
        (s, p) for s in (8, 16, 64, 512, 4096, 40000) for p in (False, True)}
    assert all(a["allocs_per_s"] > 0 for a in figures["alloc"])
    assert [m["written"] for m in figures["memory"]] == [True, False]


def test_gorun_benchmarks_run():
    """benchmarks/gorun_binary_trees.py and alloc_path.py run small and print their figures."""
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "benchmarks"
    r = subprocess.run([sys.executable, str(bench / "gorun_binary_trees.py"), "--depth", "6"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "ratio gomem / CPython" in r.stdout and "allocations per second on gomem" in r.stdout
    r = subprocess.run([sys.executable, str(bench / "alloc_path.py"), "-n", "20000"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "allocs/s" in r.stdout


def test_goroutine_benchmarks_run():
    """benchmarks/goroutines.py runs small and prints both programs' figures."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "goroutines.py"), "--n", "2000"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "ping-pong" in r.stdout and "spawn-park-wake" in r.stdout
    assert r.stdout.count("ratio") == 2


def test_cpuprofile_benchmark_runs():
    """benchmarks/cpuprofile_overhead.py runs small and prints both runs' figures."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cpuprofile_overhead.py"), "--depth", "6",
                        "--repeat", "1", "--hz", "100000"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "profile off" in r.stdout and "profile on (100000 Hz)" in r.stdout and "ratio on / off" in r.stdout
    assert "P class P," in r.stdout and "P class ProfiledP" in r.stdout


def test_syncops_prints_real_go_beside_the_cost_model():
    """benchmarks/syncops.py runs the Go program and prints a row per operation with the model's price."""
    import pytest

    from gomem.cmd import realgo

    if realgo.find_go() is None:
        pytest.skip(realgo.NO_GO_REASON)
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "syncops.py"), "--n", "200000", "--rounds", "1"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = {line[:30].strip(): line[30:].split() for line in r.stdout.splitlines()[1:]}
    for op in ("Mutex Lock+Unlock", "buffered send+recv", "select recv+default (empty)", "2-case select send, recv"):
        real, model, ratio = rows[op]
        assert float(real) > 0 and int(model) > 0 and float(ratio) > 0
