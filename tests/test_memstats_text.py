"""``gomem run --memstats=full``: MemStats as ``fmt.Printf("%+v", m)`` of a ``runtime.MemStats`` prints it (issue 17).

The layout is checked against real Go's own ``%+v`` where a Go toolchain
is installed (values differ, the shape may not), and against gomem's
``--json`` figures for the values.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest

from gomem.cmd import realgo
from gomem.runtime import sizeclasses as sc
from gomem.errors import InvariantViolation
from gomem.runtime.mstats import BY_SIZE_CLASSES, PAUSE_RING, MemStats, SizeClassStats

from clihelpers import gomem

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

_NUM = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?")
_FIELD = re.compile(r"([A-Za-z]+):(\[[^\]]*\]|[^ {}\[\]]+)")

#: a Go program printing its MemStats with %+v at the end of main
PROGRAM = """package main

import (
	"fmt"
	"runtime"
)

type node struct{ l, r *node }

func build(d int) *node {
	if d == 0 {
		return &node{}
	}
	return &node{build(d - 1), build(d - 1)}
}

func main() {
	for i := 0; i < 4; i++ {
		build(10)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%+v\\n", m)
}
"""


def shape(text: str) -> str:
    """The layout with every number replaced by N."""
    return _NUM.sub("N", text.strip())


def parse_full(line: str) -> dict:
    """A ``%+v`` MemStats line as a dict: ints, the rings as lists, BySize as (Size, Mallocs, Frees)."""
    assert line.startswith("{") and line.endswith("}")
    body, by = line[1:-1].split(" BySize:")
    d: dict = {}
    for name, val in _FIELD.findall(body):
        if val.startswith("["):
            d[name] = [int(x) for x in val[1:-1].split()]
        elif val in ("true", "false"):
            d[name] = val == "true"
        else:
            d[name] = float(val) if name == "GCCPUFraction" else int(val)
    d["BySize"] = [tuple(map(int, t)) for t in re.findall(r"\{Size:(\d+) Mallocs:(\d+) Frees:(\d+)\}", by)]
    return d


def full_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith("{Alloc:")]
    assert len(lines) == 1, text[-2000:]
    return lines[0]


# -- MemStats.format_go ------------------------------------------------------------------------


def test_format_go_of_the_zero_value():
    """Go's zero MemStats: every field in order, 256-entry rings, 61 BySize entries with the class sizes."""
    text = MemStats().format_go()
    names = re.findall(r"(?:^\{| )([A-Za-z]+):", text)
    # BySize's entries have their own Size/Mallocs/Frees names after the 32 fields
    assert names[:32] == [f.name for f in fields(MemStats)]
    assert text.startswith("{Alloc:0 TotalAlloc:0 Sys:0 Lookups:0 ")
    assert "PauseNs:[" + " ".join(["0"] * PAUSE_RING) + "] PauseEnd:[" + " ".join(["0"] * PAUSE_RING) + "] NumGC:0 " in text
    assert " GCCPUFraction:0 EnableGC:true DebugGC:false BySize:[{Size:0 Mallocs:0 Frees:0} {Size:8 Mallocs:0 Frees:0} " in text
    d = parse_full(text)
    assert [s for s, _, _ in d["BySize"]] == list(sc.CLASS_TO_SIZE[:BY_SIZE_CLASSES])
    assert text.endswith("{Size:18432 Mallocs:0 Frees:0}]}") and "\n" not in text


@pytest.mark.parametrize("value,text", [(0.0, "0"), (1.0, "1"), (0.023864579448460366, "0.023864579448460366"),
                                        (1e-05, "1e-05"), (2.5e-07, "2.5e-07"), (0.5, "0.5")])
def test_gccpufraction_as_go_prints_a_float64(value, text):
    """%v of a float64 is strconv.FormatFloat(f, 'g', -1, 64): no '0.0', exponents from 1e-05 down."""
    assert f" GCCPUFraction:{text} " in MemStats(GCCPUFraction=value).format_go()


def test_format_go_values_and_ring_order():
    m = MemStats(Alloc=7, NumGC=2, EnableGC=False, DebugGC=True,
                 BySize=[SizeClassStats(sc.CLASS_TO_SIZE[c], c, c // 2) for c in range(BY_SIZE_CLASSES)])
    m.PauseNs[0], m.PauseNs[1], m.PauseNs[255] = 11, 22, 33
    d = parse_full(m.format_go())
    assert (d["Alloc"], d["NumGC"], d["EnableGC"], d["DebugGC"]) == (7, 2, False, True)
    assert d["PauseNs"][:2] == [11, 22] and d["PauseNs"][255] == 33 and len(d["PauseNs"]) == PAUSE_RING
    assert d["BySize"][5] == (sc.CLASS_TO_SIZE[5], 5, 2) and len(d["BySize"]) == BY_SIZE_CLASSES


@pytest.mark.parametrize("bad", [{"PauseNs": [0] * 255}, {"PauseEnd": [0] * 257},
                                 {"BySize": [SizeClassStats(0, 0, 0)] * 60}])
def test_format_go_wants_go_array_lengths(bad):
    with pytest.raises(InvariantViolation):
        MemStats(**bad).format_go()


# -- gomem run --memstats ---------------------------------------------------------------------------


def test_default_stays_the_short_text():
    rc, out, err = gomem("run", "--param", "depth=6", "--no-progress")
    assert rc == 0, err
    assert "{Alloc:" not in out and re.search(r"^StackInuse: +\d+$", out, re.M) and "PauseNs" not in out
    rc2, out2, _ = gomem("run", "--param", "depth=6", "--no-progress", "--memstats", "short")
    assert rc2 == 0 and out2.split("gomem run", 1)[1].split("simulator:")[0] == \
        out.split("gomem run", 1)[1].split("simulator:")[0]


def test_full_is_the_json_figures(tmp_path):
    """--memstats=full prints every field once, in place of the short text; the values are --json's."""
    path = tmp_path / "run.json"
    rc, out, err = gomem("run", "--param", "depth=12", "--memstats=full", "--json", str(path), "--no-progress")
    assert rc == 0, err
    assert not re.search(r"^HeapAlloc:", out, re.M)  # not the short text as well
    d = parse_full(full_line(out))
    ms = json.loads(path.read_text())["memstats"]
    assert d["NumGC"] == ms["NumGC"] > 0
    for name in ("Alloc", "TotalAlloc", "Sys", "Mallocs", "Frees", "HeapSys", "StackInuse", "StackSys",
                 "NextGC", "LastGC", "PauseTotalNs", "NumForcedGC"):
        assert d[name] == ms[name], name
    assert d["PauseNs"] == ms["PauseNs"] and d["PauseEnd"] == ms["PauseEnd"]
    # Go's ring: cycle n's pause at (n-1) % 256, the latest at (NumGC+255) % 256
    assert d["PauseNs"][(d["NumGC"] + 255) % 256] > 0 and d["PauseNs"][d["NumGC"]] == 0
    assert sum(d["PauseNs"]) == d["PauseTotalNs"]
    assert d["BySize"] == [(b["Size"], b["Mallocs"], b["Frees"]) for b in ms["BySize"]]
    assert d["StackInuse"] == d["StackSys"] > 0


def test_full_ring_wraps_after_256_cycles(tmp_path):
    """300 runtime.GC() calls: the ring holds the last 256 pauses; PauseTotalNs counts all 300."""
    src = tmp_path / "gcs.go"
    src.write_text("package main\n\nimport \"runtime\"\n\nfunc main() {\n\tfor i := 0; i < 300; i++ {\n"
                   "\t\truntime.GC()\n\t}\n}\n")
    path = tmp_path / "run.json"
    rc, out, err = gomem("run", str(src), "--memstats=full", "--json", str(path), "--no-progress")
    assert rc == 0, err
    d = parse_full(full_line(err))  # a Go program's stdout is its own: the MemStats are on stderr
    cycles = json.loads(path.read_text())["cycles"]
    assert d["NumGC"] == d["NumForcedGC"] == len(cycles) == 300
    assert all(d["PauseNs"]) and len(d["PauseNs"]) == 256
    pauses = [sum(p["ns"] for p in c["pauses"]) for c in cycles]  # work.pauseNS of each cycle
    # the ring is the last 256 of them, cycle n at (n-1) % 256: cycles 257..300 overwrote 1..44
    assert d["PauseNs"] == pauses[256:] + pauses[44:256]
    assert d["PauseTotalNs"] == sum(pauses) > sum(d["PauseNs"])
    assert d["PauseEnd"][(300 - 1) % 256] == d["LastGC"] == max(d["PauseEnd"])


def test_bad_memstats_value_is_one_line():
    rc, out, err = gomem("run", "--memstats=ful")
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--memstats" in err and "'full'" in err


def test_vs_go_rejects_memstats():
    """vs-go compares GC cycles and prints no MemStats: --memstats is run's, rejected in one line."""
    rc, out, err = gomem("vs-go", "binary-trees", "--memstats=full", "--no-progress")
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "unrecognized arguments: --memstats=full" in err


@requires_go
def test_full_has_real_gos_layout(tmp_path):
    """The same program: real Go's %+v, the program's own %+v on gomem and gomem's --memstats=full have one shape."""
    real = realgo.run_go_source(PROGRAM, env={"GOMAXPROCS": "1", "GOGC": "100", "GODEBUG": ""})
    assert real.returncode == 0, real.stderr
    src = tmp_path / "prog.go"
    src.write_text(PROGRAM)
    rc, out, err = gomem("run", str(src), "--memstats=full", "--no-progress")
    assert rc == 0, err
    go_shape = shape(real.stdout)
    assert go_shape.startswith("{Alloc:N TotalAlloc:N ") and go_shape.count("{Size:N Mallocs:N Frees:N}") == 61
    assert shape(out) == go_shape  # gomem's fmt of the program's MemStats
    assert shape(full_line(err)) == go_shape  # gomem run's own
