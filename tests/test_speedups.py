"""The C fast paths (gomem.runtime._speedups) against the pure-Python code they stand in for.

Every program must run to the same model state both ways: output, MemStats, GC cycles, model time and
the heap's very bytes (heap bits, frames, objects).  The C extension is optional (``setup.py`` builds it
where a C compiler is at hand); GOMEM_PURE_PYTHON=1 forces the pure-Python code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gomem.cmd import report
from gomem.runtime import speedups
from gomem.compile.program import load
from gomem.compile.program import GeneratedGoroutine
from gomem.runtime.runtime import Goroutine, Runtime

ROOT = Path(__file__).resolve().parent.parent
BINARY_TREES = ROOT / "src" / "gomem" / "workloads" / "go" / "binary_trees.go"
CORPUS = ROOT / "tests" / "gorun" / "corpus"

needs_c = pytest.mark.skipif(not speedups.available(), reason="gomem.runtime._speedups is not built")


def run_state(path: Path, args: list[str], pure: bool, **rt_kw) -> dict:
    """Run the program in this process, the C methods installed or not; what it leaves behind."""
    if pure:
        speedups.uninstall()
    try:
        prog = load(str(path))  # loaded after the switch: its tmp/fill are the current ones
        prog.args = list(args)
        prog.out = io.StringIO()
        rt = Runtime(**rt_kw)
        rt.run(prog.main, {})
        ms = report.memstats(rt)
        heap = rt.heap.aspace
        digest = hashlib.sha256()
        for a in heap.arenas:
            digest.update(heap.mem[a.base - heap.arenas[0].base : a.end - heap.arenas[0].base])
        return {
            "out": prog.out.getvalue(),
            "memstats": {k: getattr(ms, k) for k in dir(ms) if k[:1].isupper()},
            "numgc": rt.gc.numgc,
            "now": rt.now,
            "heap": digest.hexdigest(),
        }
    finally:
        speedups.install()


@needs_c
def test_installed_by_default():
    assert speedups.installed()
    assert type(Goroutine.__dict__["frame"]).__name__ == "method_descriptor"
    assert type(GeneratedGoroutine.__dict__["new"]).__name__ == "method_descriptor"


@needs_c
@pytest.mark.parametrize(
    "path,args,rt_kw",
    [
        (BINARY_TREES, ["-depth", "10"], {"mode": "go1.8"}),
        (BINARY_TREES, ["-depth", "8"], {"mode": "go1.8", "gogc": 10}),  # many cycles: assists, allocate-black
        (BINARY_TREES, ["-depth", "8"], {"mode": "go1.8", "detail": True}),  # the event log: Python paths
        (CORPUS / "lru.go", [], {}),
        (CORPUS / "closures.go", [], {}),
        (CORPUS / "gctrees.go", [], {}),
    ],
    ids=["binary_trees", "binary_trees_gogc10", "binary_trees_detail", "lru", "closures", "gctrees"],
)
def test_same_model_state_both_ways(path, args, rt_kw):
    fast = run_state(path, args, pure=False, **rt_kw)
    slow = run_state(path, args, pure=True, **rt_kw)
    assert fast == slow


@needs_c
def test_env_var_forces_pure_python(tmp_path):
    """``gomem run`` with GOMEM_PURE_PYTHON=1 runs the Python methods, and prints what the C ones print."""
    probe = "from gomem.runtime import speedups; import gomem.compile.program; print(speedups.installed())"
    env = dict(os.environ, GOMEM_PURE_PYTHON="1")
    assert subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
    outs = []
    for pure in ("0", "1"):
        j = tmp_path / f"out{pure}.json"
        env = dict(os.environ, GOMEM_PURE_PYTHON=pure, GODEBUG="gctrace=1")
        r = subprocess.run([sys.executable, "-m", "gomem.cmd.cli", "run", str(BINARY_TREES), "--json", str(j),
                            "--", "-depth", "8"], env=env, capture_output=True, text=True, check=True)
        data = json.loads(j.read_text())
        data.get("stats", {}).pop("wall_seconds", None)

        def strip(x):
            if isinstance(x, dict):
                return {k: strip(v) for k, v in x.items() if k not in ("wall_seconds", "allocs_per_wall_second")}
            if isinstance(x, list):
                return [strip(v) for v in x]
            return x

        keep = [ln for ln in (r.stdout + r.stderr).splitlines()
                if not ln.startswith(("simulator:", "gomem: wrote"))]
        outs.append((keep, strip(data)))
    assert outs[0] == outs[1]
