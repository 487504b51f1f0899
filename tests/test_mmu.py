"""Minimum mutator utilization (gomem.cmd.mmu): hand-computed cases, properties, runs and ``gomem run --mmu``.

The definition is internal/trace's (``MutatorUtilizationV2`` + ``MMUCurve``
in Go 1.27's ``src/internal/trace/gc.go``): utilization is 1 − (Ps in GC
work)/GOMAXPROCS, 0 in a stop-the-world; MMU(w) is its least mean over the
windows of length w in the run.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gomem
from clihelpers import gomem as gomem_cli
from gomem.cmd import mmu
from gomem.errors import BadInput


def curve(procs, end, stw=(), spans=(), exclude=()):
    return mmu.MMUCurve(mmu.from_intervals(procs, end, stw, spans, exclude))


# -- hand-computed cases --------------------------------------------------------------------------


def test_one_pause_on_one_p():
    c = curve(1, 1000, stw=[(100, 200)])
    assert c.mmu(50) == 0.0
    assert c.mmu(100) == 0.0  # the window fits inside the pause
    assert c.mmu(200) == pytest.approx(0.5)  # half of the best-placed-for-the-worst window is the pause
    assert c.mmu(400) == pytest.approx(0.75)
    assert c.mmu(1000) == pytest.approx(0.9)  # the whole run: 100 of 1000 ns stopped
    assert c.mmu(5000) == pytest.approx(0.9)  # a window longer than the run is the run


def test_dedicated_worker_takes_one_p_of_two():
    c = curve(2, 1000, spans=[(1, "dedicated", 0, 400)])
    assert c.mmu(100) == pytest.approx(0.5)
    assert c.mmu(400) == pytest.approx(0.5)
    assert c.mmu(500) == pytest.approx((0.5 * 400 + 100) / 500)
    assert c.mmu(1000) == pytest.approx(0.8)


def test_stw_counts_every_p_and_overlapping_sources_are_not_counted_twice():
    # 4 Ps: an assist on P0 [0, 100), a fractional worker on P1 [50, 150), a pause [200, 220)
    spans = [(0, "assist", 0, 100), (1, "fractional", 50, 150), (0, "sweep", 60, 80)]
    c = curve(4, 400, stw=[(200, 220)], spans=spans)
    assert c.mmu(20) == 0.0
    # over [50, 100) two Ps of four are in GC work (the sweep inside P0's assist adds nothing)
    u = mmu.from_intervals(4, 400, [(200, 220)], spans)
    assert list(u.times) == [0, 50, 100, 150, 200, 220, 400]
    assert list(u.util) == [0.75, 0.5, 0.75, 1.0, 0.0, 1.0]
    assert c.mmu(400) == pytest.approx((0.75 * 50 + 0.5 * 50 + 0.75 * 50 + 50 + 0 + 180) / 400)


def test_exclusions_as_go_tool_trace_offers():
    spans = [(0, "assist", 0, 100), (0, "sweep", 300, 400), (1, "dedicated", 500, 600)]
    stw = [(700, 750)]
    full = curve(2, 1000, stw, spans)
    assert full.mmu(50) == 0.0
    assert full.mmu(100) == pytest.approx(0.5)  # half pause, or a P of two in GC work
    assert full.mmu(1000) == pytest.approx(1 - (50 + 50 + 50 + 50) / 1000)
    assert curve(2, 1000, stw, spans, exclude=("stw",)).mmu(50) == 0.5
    assert curve(2, 1000, stw, spans, exclude=("assist",)).mmu(1000) == pytest.approx(1 - 150 / 1000)
    assert curve(2, 1000, stw, spans, exclude=("sweep",)).mmu(1000) == pytest.approx(1 - 150 / 1000)
    assert curve(2, 1000, stw, spans, exclude=("background",)).mmu(1000) == pytest.approx(1 - 150 / 1000)
    everything = curve(2, 1000, stw, spans, exclude=mmu.SOURCES)
    assert everything.mmu(10) == 1.0


def test_idle_workers_background_sweeper_and_scavenger_never_count():
    spans = [(0, "idle", 0, 500), (1, "bgsweep", 0, 500), (0, "scavenge", 600, 700)]
    c = curve(2, 1000, spans=spans)
    assert c.mmu(10) == 1.0


def test_changes_at_one_time_stamp_apply_together():
    # a worker hands over from P0 to P1 at t=100: one P in GC work throughout, never two
    c = curve(2, 200, spans=[(0, "fractional", 0, 100), (1, "fractional", 100, 200)])
    assert c.mmu(1) == pytest.approx(0.5)
    assert c.mmu(200) == pytest.approx(0.5)


def test_raw_mmu_can_dip_for_a_longer_window_the_curve_cannot():
    # pauses of 1 every 2 ns: MMU(2) = 0.5 but MMU(3) = 1/3 (Go's raw MMU is not monotone)
    c = curve(1, 10, stw=[(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)])
    assert c.mmu(2) == pytest.approx(0.5)
    assert c.mmu(3) == pytest.approx(1 / 3)
    pts = c.curve([1, 2, 3, 4])
    assert [round(b, 6) for _, b, _ in pts] == [0.0, round(1 / 3, 6), round(1 / 3, 6), 0.5]
    assert [round(r, 6) for _, _, r in pts] == [0.0, 0.5, round(1 / 3, 6), 0.5]


def test_worst_window_is_found():
    c = curve(1, 10_000, stw=[(6000, 6500)])
    m, start = c.worst(1000)
    assert m == pytest.approx(0.5)
    assert 5500 <= start <= 6000
    m, start = c.worst(400)
    assert m == 0.0 and 6000 <= start <= 6100


def test_windows_from_10us_to_the_run():
    ws = mmu.windows(16_374_541)
    assert ws[0] == 10_000 and ws[-1] == 16_374_541
    assert all(a < b for a, b in zip(ws, ws[1:]))
    assert 1_000_000 in ws and 10_000_000 in ws
    assert mmu.windows(5000) == [5000]
    assert mmu.windows(0) == []


def test_parse_exclude():
    assert mmu.parse_exclude("sweep,assist") == ("sweep", "assist")
    assert mmu.parse_exclude(None) == ()
    with pytest.raises(BadInput, match="unknown source 'gc'"):
        mmu.parse_exclude("sweep,gc")


# -- properties --------------------------------------------------------------------------------------

_iv = st.tuples(st.integers(0, 60), st.integers(1, 30)).map(lambda t: (t[0], t[0] + t[1]))
_span = st.tuples(st.integers(0, 2), st.sampled_from(["dedicated", "fractional", "assist", "sweep", "idle"]), _iv).map(
    lambda t: (t[0], t[1], t[2][0], t[2][1])
)


def _brute_mmu(u: mmu.Utilization, w: int) -> float:
    """Every integer start (breakpoints and w are integers, so one of them is a worst start)."""
    T = u.end
    dense = np.repeat(u.util, np.diff(u.times))  # utilization of each 1-ns step
    if w >= T:
        return float(dense.mean())
    cs = np.r_[0.0, np.cumsum(dense)]
    return float(((cs[w:] - cs[:-w]) / w).min())


@given(st.lists(_iv, max_size=4), st.lists(_span, max_size=8), st.integers(1, 100))
def test_mmu_matches_brute_force_and_the_curve_is_monotone(stw, spans, w):
    u = mmu.from_intervals(3, 100, stw, spans)
    c = mmu.MMUCurve(u)
    assert c.mmu(w) == pytest.approx(_brute_mmu(u, w), abs=1e-9)
    pts = c.curve(list(range(1, 101, 7)) + [100])
    bounded = [b for _, b, _ in pts]
    assert all(0.0 <= b <= 1.0 for b in bounded)
    assert all(a <= b + 1e-12 for a, b in zip(bounded, bounded[1:]))
    assert all(b <= r + 1e-12 for _, b, r in pts)


# -- runs -------------------------------------------------------------------------------------------

RUN = dict(params={"steps": 500}, procs=4, gogc=25, timeline=True)


@pytest.fixture(scope="module")
def stw_run():
    return gomem.run("random", gc="stw", **RUN)


@pytest.fixture(scope="module")
def go18_run():
    return gomem.run("random", gc="go1.8", **RUN)


def test_stw_mmu_is_zero_below_the_longest_pause(stw_run):
    rt = stw_run.runtime
    longest = max(ns for _, _, _, ns in rt.gc.pauses)
    assert longest > 0
    c = mmu.MMUCurve(mmu.utilization(rt))
    for w in (1, longest // 4, longest // 2, longest - 1, longest):
        assert c.mmu(w) == 0.0, w
    pts = c.curve()
    assert pts[0][0] == 10_000 and pts[-1][0] == mmu.run_end(rt)
    for w, b, _ in pts:
        if w <= longest:
            assert b == 0.0
    # the whole run: the world was stopped for the pauses' total
    total = sum(ns for _, _, _, ns in rt.gc.pauses)
    assert c.mmu(mmu.run_end(rt)) == pytest.approx(1 - total / mmu.run_end(rt))


@pytest.mark.parametrize("which", ["stw_run", "go18_run"])
def test_run_curves_are_monotone_and_within_bounds(which, request):
    rt = request.getfixturevalue(which).runtime
    for exclude in ((), ("sweep",), ("assist", "sweep")):
        pts = mmu.MMUCurve(mmu.utilization(rt, exclude)).curve()
        bounded = [b for _, b, _ in pts]
        assert all(0.0 <= b <= 1.0 for b in bounded)
        assert bounded == sorted(bounded)


def test_go18_keeps_the_mutator_running_where_stw_stops_it(stw_run, go18_run):
    longest = max(ns for _, _, _, ns in stw_run.runtime.gc.pauses)
    w = max(longest // 2, 1)
    assert mmu.MMUCurve(mmu.utilization(stw_run.runtime)).mmu(w) == 0.0
    assert mmu.MMUCurve(mmu.utilization(go18_run.runtime)).mmu(w) > 0.0


def test_without_a_timeline_only_pauses_count():
    r = gomem.run("random", gc="go1.8", params={"steps": 500}, procs=4, gogc=25)
    assert r.runtime.log.timeline is None
    u = mmu.utilization(r.runtime)
    total = sum(ns for _, _, _, ns in r.runtime.gc.pauses)
    assert mmu.MMUCurve(u).mmu(u.end) == pytest.approx(1 - total / u.end)


# -- gomem run --mmu ----------------------------------------------------------------------------------

ARGS = ["run", "random", "--param", "steps=300", "--procs", "2", "--gogc", "25", "--no-progress"]


def test_cli_writes_csv(tmp_path):
    out = tmp_path / "mmu.csv"
    rc, _, err = gomem_cli(*ARGS, "--gc", "stw", "--mmu", str(out))
    assert rc == 0, err
    lines = out.read_text().splitlines()
    assert lines[0] == "window_seconds,mmu"
    rows = [tuple(map(float, ln.split(","))) for ln in lines[1:]]
    assert rows[0][0] == pytest.approx(1e-5)
    ws = [w for w, _ in rows]
    vals = [m for _, m in rows]
    assert ws == sorted(ws) and vals == sorted(vals)
    assert all(0 <= m <= 1 for m in vals)
    assert f"gomem: wrote {out}" in err


def test_cli_writes_svg_with_exclusions(tmp_path):
    out = tmp_path / "mmu.svg"
    rc, _, err = gomem_cli(*ARGS, "--mmu", str(out), "--mmu-exclude", "sweep,assist")
    assert rc == 0, err
    text = out.read_text()
    assert text.startswith("<svg") and 'class="mmu-curve"' in text and "sweep, assist excluded" in text


@pytest.mark.parametrize(
    "extra, msg",
    [
        (["--mmu", "/nonexistent-dir/m.csv"], "open /nonexistent-dir/m.csv: no such file or directory"),
        (["--mmu", "DIR/m.txt"], "want a .csv or .svg file"),
        (["--mmu", "DIR/m.csv", "--mmu-exclude", "gc"], "--mmu-exclude: unknown source 'gc'"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path, extra, msg):
    extra = [a.replace("DIR", str(tmp_path)) for a in extra]
    rc, out, err = gomem_cli(*ARGS, *extra)
    assert rc == 2
    assert err.count("\n") == 1 and msg in err
    assert out == ""
    assert os.listdir(tmp_path) == []


def test_cli_unwritable_path(tmp_path):
    """A path under a regular file cannot be created, even by root: one line, nothing written."""
    f = tmp_path / "file"
    f.write_text("")
    rc, _, err = gomem_cli(*ARGS, "--mmu", str(f / "m.csv"))
    assert rc == 2 and "not a directory" in err and err.count("\n") == 1, err
    assert os.listdir(tmp_path) == ["file"] and f.read_text() == ""


def test_eras_script_writes_three_curves(tmp_path):
    """benchmarks/mmu_eras.py: stw, go1.5 and go1.8 on one SVG, with their figures."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "mmu_eras.py"
    out, js = tmp_path / "eras.svg", tmp_path / "eras.json"
    r = subprocess.run([sys.executable, str(script), "--workload", "random", "--param", "steps=300", "--procs", "2",
                        "--gogc", "25", "--out", str(out), "--json", str(js)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    svg = out.read_text()
    assert svg.count('class="mmu-curve"') == 3
    for mode in ("stw", "go1.5", "go1.8"):
        assert f'data-label="{mode} (' in svg
        assert any(line.split()[0] == mode for line in r.stdout.splitlines() if line.strip())
    eras = json.loads(js.read_text())["eras"]
    assert [e["gc"] for e in eras] == ["stw", "go1.5", "go1.8"]
    stw = eras[0]
    assert stw["longest_pause_ns"] > 0
    assert all(b == 0.0 for w, b in stw["curve"] if w <= stw["longest_pause_ns"])
