"""gomem.runtime.malloc and gomem.runtime.mstats against the real Go runtime's MemStats.

``tests/go/alloc_probe.go`` runs a script of allocations on the real runtime
(GOMAXPROCS=1, GC off) and prints the deltas of ``runtime.MemStats`` at each
"read" step; :func:`run_gomem` runs the same script on a fresh
``Heap(procs=1)``.  Objects have exactly the requested size and layout on
both sides: ``[S]byte`` without pointers, ``struct { P *byte; Pad [S-8]byte }``
with (rounded up to a multiple of 8 by both compilers).

What must match exactly: Mallocs, Frees, TotalAlloc, HeapAlloc, HeapObjects
and every ``BySize[i].Mallocs`` (and ``.Frees`` after a collection).  The
probe reports the deltas of two reads with nothing between them ("noise"),
which must be zero, so the comparison allows no slack at all.

HeapInuse is the one field that depends on what the heap held before the
script.  gomem starts empty; the Go program has allocated (reflect types, the
script, the keep-alive slice) before its baseline, so for each span class it
may already hold one partly used span (never more: without a collection no
slot is ever freed, and a span is only left non-full when it is the one the
mcache gives back at ReadMemStats).  The script fills that span before taking
new ones, so Go needs the same number of new spans as gomem or one fewer:
``0 <= gomem - go <= sum of one span's bytes per small span class used``.
Large objects take whole spans of their own on both sides and count exactly.

The collection scenario runs ``runtime.GC()`` in Go (which marks, then sweeps
every span before it returns) and ``Heap.collect_live(kept)`` in gomem
after forgetting every other object; the probe runs two collections before
its baseline so that the only garbage is the script's.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gomem.cmd import realgo
from gomem.runtime import sizeclasses as sc
from gomem.runtime import types as gotypes
from gomem.runtime.malloc import Heap

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
pytestmark = [requires_go, pytest.mark.realgo]

PROBE = Path(__file__).parent / "go" / "alloc_probe.go"
EXACT = ("Mallocs", "Frees", "TotalAlloc", "HeapAlloc", "HeapObjects")

#: (size, has_pointers, count): tiny sizes with counts that leave blocks
#: partly used, every path of mallocgc, the header boundary (512/513),
#: sizes whose header moves them up a class, the small/large boundary
ENTRIES: list[tuple[int, bool, int]] = [
    (1, False, 37),
    (4, False, 13),
    (8, False, 9),
    (12, False, 7),
    (2, False, 11),
    (3, False, 5),
    (8, True, 300),
    (16, False, 1000),
    (16, True, 1000),
    (24, False, 700),
    (24, True, 700),
    (100, False, 500),
    (100, True, 500),
    (512, True, 40),
    (513, True, 40),
    (576, True, 200),
    (576, False, 50),
    (1000, False, 200),
    (1000, True, 300),
    (1017, True, 100),
    (1017, False, 100),
    (2000, False, 100),
    (2000, True, 100),
    (32760, False, 3),
    (32760, True, 3),
    (32761, False, 3),
    (32769, False, 2),
    (40000, False, 5),
    (40000, True, 5),
    (100000, False, 3),
    (100000, True, 3),
]


def obj_type(size: int, ptr: bool) -> gotypes.GoType:
    """The probe's type for an object of *size* bytes (see the module docstring)."""
    if not ptr:
        return gotypes.array_of(gotypes.BYTE, size)
    fields = [("P", gotypes.pointer_to(gotypes.BYTE))]
    if size > 8:
        fields.append(("Pad", gotypes.array_of(gotypes.BYTE, size - 8)))
    return gotypes.struct_of(fields)


def run_go(script: dict[str, Any]) -> dict[str, Any]:
    """Run *script* in the probe on the real runtime (GOMAXPROCS=1, GC off)."""
    if any(st.get("gc") for st in script["steps"]) and not script.get("clean_gc"):
        raise ValueError("a script with a gc step needs clean_gc, or Go also frees its start-up garbage")
    binary = realgo.build_go_source(PROBE)
    env = realgo.go_env({"GOMAXPROCS": "1", "GOGC": "off", "GODEBUG": ""})
    r = subprocess.run([str(binary)], input=json.dumps(script), env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _delta(label: str, a: Any, b: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"label": label}
    for name in (*EXACT, "HeapInuse"):
        d[name] = getattr(b, name) - getattr(a, name)
    d["BySizeMallocs"] = [y.Mallocs - x.Mallocs for x, y in zip(a.BySize, b.BySize)]
    d["BySizeFrees"] = [y.Frees - x.Frees for x, y in zip(a.BySize, b.BySize)]
    return d


def run_gomem(script: dict[str, Any]) -> dict[str, Any]:
    """Run the probe's script on a fresh gomem heap; same output shape as the probe."""
    heap = Heap(procs=1)
    try:
        steps = script["steps"]
        type_sizes: list[list[int]] = []
        spcs: set[int] = set()
        for st in steps:
            sizes = []
            for size, ptr, _ in st.get("alloc", []):
                t = obj_type(size, ptr)
                sizes.append(t.size)
                path = sc.alloc_path(t.size, not ptr, heap.layout)
                if path.path not in ("large", "zero"):
                    spcs.add(path.spanclass)
            type_sizes.append(sizes)
        keep: list[int | None] = []
        base = heap.read_memstats()
        snaps = []
        for st in steps:
            if "alloc" in st:
                for size, ptr, count in st["alloc"]:
                    t = obj_type(size, ptr)
                    for _ in range(count):
                        keep.append(heap.new(t))
            elif "drop" in st:
                k, r = st["drop"]
                for i in range(len(keep)):
                    if i % k == r:
                        keep[i] = None
            elif st.get("gc"):
                heap.collect_live(a for a in keep if a is not None)
            elif "read" in st:
                snaps.append(_delta(st["read"], base, heap.read_memstats()))
        return {"snapshots": snaps, "type_sizes": type_sizes, "spanclasses": sorted(spcs)}
    finally:
        heap.close()


def _span_bytes(spc: int) -> int:
    return sc.CLASS_TO_NPAGES[spc >> 1] * sc.PAGE_SIZE


def _mismatches(go: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Every exactly compared field that differs, as readable lines."""
    out = []
    for name in EXACT:
        if go[name] != ours[name]:
            out.append(f"{name}: go {go[name]} gomem {ours[name]}")
    for key in ("BySizeMallocs", "BySizeFrees"):
        for c, (g, o) in enumerate(zip(go[key], ours[key])):
            if g != o:
                out.append(f"{key}[{c}] ({sc.CLASS_TO_SIZE[c]} B): go {g} gomem {o}")
    return out


def _compare(script: dict[str, Any], inuse: bool) -> tuple[dict, dict]:
    """Run *script* on both; fail listing every difference.  *inuse*: also bound HeapInuse."""
    go = run_go(script)
    ours = run_gomem(script)
    noise = go["noise"]
    assert all(v == 0 for k, v in noise.items() if k != "label" and not k.startswith("BySize")), noise
    assert not any(noise["BySizeMallocs"]) and not any(noise["BySizeFrees"]), noise
    assert [t or [] for t in go["type_sizes"]] == ours["type_sizes"], "gomem's types differ in size from reflect's"
    assert len(go["snapshots"]) == len(ours["snapshots"])
    problems = []
    slack = sum(_span_bytes(spc) for spc in ours["spanclasses"])
    for g, o in zip(go["snapshots"], ours["snapshots"]):
        for line in _mismatches(g, o):
            problems.append(f"after {g['label']}: {line}")
        if inuse and not 0 <= o["HeapInuse"] - g["HeapInuse"] <= slack:
            problems.append(f"after {g['label']}: HeapInuse delta go {g['HeapInuse']} gomem {o['HeapInuse']} "
                            f"(allowed: gomem - go in [0, {slack}])")
    assert not problems, "gomem differs from " + go["go_version"] + ":\n" + "\n".join(problems)
    return go, ours


def _label(e: tuple[int, bool, int]) -> str:
    return f"{e[0]}{'p' if e[1] else 'n'}x{e[2]}"


class TestAllocationCounts:
    """Allocation with the GC off: every counter of MemStats, as real Go moves it."""

    def test_one_batch(self):
        """The whole script back to back, one ReadMemStats at the end (tiny blocks shared across sizes)."""
        script = {"clean_gc": False, "steps": [{"alloc": [list(e) for e in ENTRIES]}, {"read": "all"}]}
        go, _ = _compare(script, inuse=True)
        assert go["snapshots"][0]["Mallocs"] == sum(e[2] for e in ENTRIES)

    def test_read_after_each_size(self):
        """A ReadMemStats after every size: each flush drops the tiny block and gives spans back.

        Here the HeapInuse bound is checked step by step: after each size,
        gomem's lead over Go grows by nothing or by exactly one span of the
        span class just used, and by that span at most once per class (the
        partly used span Go already had).  Large objects add nothing.
        """
        steps: list[dict[str, Any]] = []
        for e in ENTRIES:
            steps += [{"alloc": [list(e)]}, {"read": _label(e)}]
        go, ours = _compare({"clean_gc": False, "steps": steps}, inuse=True)
        lead, reused = 0, set()
        for (size, ptr, _), g, o in zip(ENTRIES, go["snapshots"], ours["snapshots"]):
            step = o["HeapInuse"] - g["HeapInuse"] - lead
            lead += step
            path = sc.alloc_path(obj_type(size, ptr).size, not ptr)
            if step == 0:
                continue
            assert path.path != "large" and step == _span_bytes(path.spanclass), (
                f"after {g['label']}: gomem's HeapInuse lead grew by {step}, "
                f"not 0 or one {sc.spanclass_name(path.spanclass)} span")
            assert path.spanclass not in reused, f"after {g['label']}: second partly used span of one class"
            reused.add(path.spanclass)

    def test_size_classes_charged(self):
        """What one object is charged: header classes, and large objects by whole pages (32761 B fits in 4)."""
        cases = [(1000, True, 1024), (1017, True, 1152), (576, True, 640), (100, False, 112),
                 (512, True, 512), (513, True, 576), (32760, True, 32768), (32760, False, 32768),
                 (32761, False, 32768), (32769, False, 40960), (40000, True, 40960)]
        steps: list[dict[str, Any]] = []
        for size, ptr, _ in cases:
            steps += [{"alloc": [[size, ptr, 1]]}, {"read": f"{size}"}]
        go, ours = _compare({"clean_gc": False, "steps": steps}, inuse=True)
        prev = 0
        for (size, ptr, charged), g in zip(cases, go["snapshots"]):
            assert g["TotalAlloc"] - prev == charged, (size, ptr)
            prev = g["TotalAlloc"]


class TestCollection:
    """runtime.GC() in Go against Heap.collect_live in gomem, after dropping objects."""

    def test_probe_is_quiet(self):
        """Collections with nothing allocated move no counter in Go (the probe's own noise is zero)."""
        script = {"clean_gc": True, "steps": [{"gc": True}, {"read": "gc 1"}, {"gc": True}, {"read": "gc 2"}]}
        go, _ = _compare(script, inuse=False)
        for snap in go["snapshots"]:
            assert snap["Mallocs"] == snap["Frees"] == snap["HeapAlloc"] == 0, snap

    def test_drop_half_then_collect(self):
        """Every other object forgotten, one collection, then more allocation into the freed slots."""
        mix = [list(e) for e in ENTRIES if not (e[0] < 16 and not e[1])]
        tiny = [list(e) for e in ENTRIES if e[0] < 16 and not e[1]]
        script = {"clean_gc": True, "steps": [
            # tiny objects last: the active tiny block at the collection holds
            # dropped objects and is kept alive by gcMarkTinyAllocs
            {"alloc": mix + tiny},
            {"read": "allocated"},
            {"drop": [2, 1]},
            {"gc": True},
            {"read": "after gc"},
            {"alloc": [[16, True, 600], [24, False, 300], [1000, True, 50], [40000, False, 2], [8, False, 9]]},
            {"read": "reallocated"},
            {"drop": [3, 0]},
            {"gc": True},
            {"read": "after second gc"},
        ]}
        go, _ = _compare(script, inuse=False)
        after = go["snapshots"][1]
        assert after["Frees"] > go["snapshots"][0]["Frees"]

    def test_collect_with_active_tiny_block(self):
        """A collection right after tiny allocations, no ReadMemStats in between."""
        script = {"clean_gc": True, "steps": [
            {"alloc": [[8, False, 7], [4, False, 3], [1, False, 5]]},
            {"drop": [1, 0]},
            {"gc": True},
            {"read": "after gc"},
        ]}
        _compare(script, inuse=False)
