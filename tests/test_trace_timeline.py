"""``gomem run --trace``: the Chrome trace-event timeline, the run report's timeline view, and their sources.

The trace must hold every GC cycle of the run as a slice, stop-the-world
slices that add up to the pauses, one track per P with goroutines, mark
workers, assists and sweeping, and the counters; it is read back here as
JSON and in headless Chromium (a tiny page parses the trace-event array
the way a viewer does and counts the slices per track), launched as
tests/test_browser.py launches it (``GOMEM_REQUIRE_BROWSER=1``: a missing
browser fails instead of skipping).
"""

from __future__ import annotations

import collections
import json
import os

import pytest

import gomem
from clihelpers import gomem as gomem_cli
from gomem.viz import timeline

RUN = dict(params={"steps": 500}, procs=4, gogc=25, timeline=True)


@pytest.fixture(scope="module", params=["go1.8", "stw", "go1.5"])
def run(request):
    return gomem.run("random", gc=request.param, **RUN)


def _tracks(doc):
    names = {e["tid"]: e["args"]["name"] for e in doc["traceEvents"] if e["ph"] == "M" and e["name"] == "thread_name"}
    by = collections.defaultdict(list)
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            by[names[e["tid"]]].append(e)
    return names, by


def _assert_nested(slices):
    """Complete events on one track must nest (a viewer stacks them): no partial overlaps."""
    stack: list[float] = []
    for e in sorted(slices, key=lambda e: (e["ts"], -e["dur"])):
        s, t = e["ts"], e["ts"] + e["dur"]
        while stack and stack[-1] <= s + 1e-6:
            stack.pop()
        assert not stack or t <= stack[-1] + 1e-3, f"{e['name']} [{s}, {t}] overlaps its parent ending {stack[-1]}"
        stack.append(t)


def test_every_cycle_is_a_slice_and_stw_equals_the_pauses(run):
    rt = run.runtime
    doc = json.loads(timeline.trace_json(rt, "test"))
    names, by = _tracks(doc)
    assert rt.gc.records, "the run must complete cycles"
    cycles = [e for e in by["GC"] if e["cat"] == "gc,cycle"]
    assert [e["args"]["cycle"] for e in cycles if not e["args"].get("unfinished")] == [r.n for r in rt.gc.records]
    for e, r in zip(cycles, rt.gc.records):
        assert e["name"] == f"GC {r.n}"
        assert e["ts"] == pytest.approx(r.t_sweep_term / 1000) and e["dur"] == pytest.approx((r.t_end - r.t_sweep_term) / 1000, abs=2e-3)
    phases = collections.Counter(e["name"] for e in by["GC"] if e["cat"] == "gc,phase")
    n = len(rt.gc.records)
    assert phases["sweep termination"] >= n and phases["mark"] >= n and phases["mark termination"] >= n
    stw = by["STW"]
    assert sum(e["args"]["ns"] for e in stw) == sum(ns for _, _, _, ns in rt.gc.pauses)
    assert sum(e["dur"] for e in stw) == pytest.approx(sum(ns for _, _, _, ns in rt.gc.pauses) / 1000, rel=1e-6, abs=1e-2)
    completed = sum(e["args"]["ns"] for e in stw if e["args"]["cycle"] <= rt.gc.numgc)
    assert completed == run.memstats["PauseTotalNs"]
    for r in rt.gc.records:
        assert sum(e["args"]["ns"] for e in stw if e["args"]["cycle"] == r.n) == r.pause_ns
    for track in by.values():
        _assert_nested(track)


def test_tracks_slices_and_counters(run):
    rt = run.runtime
    doc = json.loads(timeline.trace_json(rt, "test"))
    names, by = _tracks(doc)
    assert set(names.values()) == {"GC", "STW", "P0", "P1", "P2", "P3"}
    pnames = collections.Counter(e["name"].split(" ")[0] if e["cat"] == "goroutine" else e["name"]
                                 for p in ("P0", "P1", "P2", "P3") for e in by[p])
    assert pnames["G1"] >= 1  # main
    assert sum(v for k, v in pnames.items() if k.startswith("G") and k[1:].isdigit()) > 4  # the workers too
    if rt.gc.mode.name != "stw":
        assert pnames["GC (dedicated)"] > 0  # GOMAXPROCS=4: one dedicated worker
    assert sum(1 for e in by["P0"] if e["cat"] == "goroutine") > 0
    counters = collections.Counter(e["name"] for e in doc["traceEvents"] if e["ph"] == "C")
    assert counters["heap"] > 0 and counters["GC CPU"] > 0 and counters["goroutines"] > 0
    heap = [e for e in doc["traceEvents"] if e["ph"] == "C" and e["name"] == "heap"]
    assert all(set(e["args"]) == {"live", "goal"} for e in heap)
    cpu = [e["args"]["percent"] for e in doc["traceEvents"] if e["ph"] == "C" and e["name"] == "GC CPU"]
    assert all(0 <= v <= 100 for v in cpu) and max(cpu) > 0
    ts = [e["ts"] for e in doc["traceEvents"] if "ts" in e]
    assert min(ts) >= 0 and max(ts) <= doc["otherData"]["end_ns"] / 1000 + 1e-3


def test_timeline_spans_come_from_the_collectors_figures(run):
    """Workers' and assists' slices add up to the cycle records' background and assist times."""
    rt = run.runtime
    tl = rt.log.timeline
    if rt.gc.mode.stw_mark:
        return  # marking is inside the pause: no workers
    bg = sum(b - a for _, k, a, b, _ in tl.spans if k in ("dedicated", "fractional"))
    assist = sum(b - a for _, k, a, b, _ in tl.spans if k == "assist")
    idle = sum(b - a for _, k, a, b, _ in tl.spans if k == "idle")
    cycles = list(rt.gc.records) + ([rt.gc.cur] if rt.gc.cur is not None else [])
    assert bg == sum(c.background_time for c in cycles)
    assert assist == sum(c.assist_time for c in cycles)
    assert idle == sum(c.idle_time for c in cycles)


def test_no_timeline_costs_nothing_and_still_gives_gc_and_stw():
    r = gomem.run("random", gc="go1.8", params={"steps": 300}, procs=2, gogc=25)
    assert r.runtime.log.timeline is None
    doc = timeline.trace_events(r.runtime)
    names, by = _tracks(doc)
    assert len([e for e in by["GC"] if e["cat"] == "gc,cycle"]) >= len(r.cycles)
    assert sum(e["args"]["ns"] for e in by["STW"]) == sum(p["ns"] for p in r.pauses)
    assert "P0" not in by


def test_report_embeds_timeline_and_mmu(tmp_path):
    out = tmp_path / "r.html"
    rc, _, err = gomem_cli("run", "random", "--param", "steps=300", "--procs", "2", "--gogc", "25", "--no-progress", "--html", str(out))
    assert rc == 0, err
    html = out.read_text()
    assert 'class="chart timeline"' in html and 'class="chart mmu"' in html
    assert 'data-kind="goroutine"' in html and 'data-kind="stw"' in html
    assert "<script" not in html and "http://" not in html


# -- the command line ---------------------------------------------------------------------------------

ARGS = ["run", "random", "--param", "steps=300", "--procs", "2", "--gogc", "25", "--no-progress"]


def test_cli_trace_file(tmp_path):
    out = tmp_path / "t.json"
    rc, stdout, err = gomem_cli(*ARGS, "--trace", str(out))
    assert rc == 0, err
    doc = json.loads(out.read_text())
    assert doc["otherData"]["source"] == "gomem" and doc["otherData"]["timeline_recorded"]
    names, by = _tracks(doc)
    assert {"GC", "STW", "P0", "P1"} <= set(names.values())
    assert f"gomem: wrote {out}" in err


def test_cli_trace_to_stdout():
    rc, stdout, err = gomem_cli(*ARGS, "--trace", "-")
    assert rc == 0, err
    start = stdout.index('{"traceEvents"')
    doc = json.loads(stdout[start:].splitlines()[0])
    assert doc["traceEvents"]


@pytest.mark.parametrize("path, msg", [
    ("/nonexistent-dir/t.json", "open /nonexistent-dir/t.json: no such file or directory"),
    ("", "open : no such file or directory"),
])
def test_cli_unwritable_trace_is_one_line(tmp_path, path, msg):
    rc, out, err = gomem_cli(*ARGS, "--trace", path)
    assert rc == 2 and out == ""
    assert err == f"gomem: {msg}\n"


def test_cli_trace_into_a_directory_writes_nothing(tmp_path):
    rc, out, err = gomem_cli(*ARGS, "--trace", str(tmp_path))
    assert rc == 2 and "is a directory" in err and err.count("\n") == 1
    assert os.listdir(tmp_path) == []


# -- in a browser -------------------------------------------------------------------------------------

VIEWER = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>trace</title></head><body>
<script id="trace" type="application/json">%s</script>
<pre id="out"></pre>
<script>
// what a trace-event viewer does first: parse the array, name the tracks, stack the complete events
const doc = JSON.parse(document.getElementById("trace").textContent);
const events = Array.isArray(doc) ? doc : doc.traceEvents;
const names = {};
for (const e of events) if (e.ph === "M" && e.name === "thread_name") names[e.pid + ":" + e.tid] = e.args.name;
const perTrack = {}, counters = {}, cats = {};
let bad = 0;
const open = {};
const xs = events.filter(e => e.ph === "X").sort((a, b) => a.ts - b.ts || b.dur - a.dur);
for (const e of xs) {
  if (typeof e.ts !== "number" || typeof e.dur !== "number" || e.dur < 0) bad++;
  const t = names[e.pid + ":" + e.tid] || ("tid " + e.tid);
  perTrack[t] = (perTrack[t] || 0) + 1;
  cats[e.cat] = (cats[e.cat] || 0) + 1;
  const st = open[t] || (open[t] = []);
  while (st.length && st[st.length - 1] <= e.ts + 1e-6) st.pop();
  if (st.length && e.ts + e.dur > st[st.length - 1] + 1e-3) bad++;
  st.push(e.ts + e.dur);
}
for (const e of events) if (e.ph === "C") counters[e.name] = (counters[e.name] || 0) + 1;
window.result = {perTrack, counters, cats, bad, total: events.length};
document.getElementById("out").textContent = JSON.stringify(window.result);
</script></body></html>"""


@pytest.fixture(scope="module")
def browser():
    from test_browser import LAUNCH_ARGS, _chromium, _unavailable

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright's Python package is not installed (pip install playwright)")
    exe = _chromium()
    if exe is None:
        _unavailable("no Chromium found (apt-get install chromium, or set GOMEM_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=LAUNCH_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def test_trace_in_chromium(browser, tmp_path):
    trace = tmp_path / "t.json"
    rc, _, err = gomem_cli("run", "random", "--param", "steps=500", "--procs", "4", "--gogc", "25", "--no-progress",
                           "--trace", str(trace))
    assert rc == 0, err
    text = trace.read_text()
    doc = json.loads(text)
    page_file = tmp_path / "viewer.html"
    page_file.write_text(VIEWER % text.replace("</", "<\\/"))
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(page_file.as_uri())
    pg.wait_for_function("window.result !== undefined")
    res = pg.evaluate("window.result")
    ctx.close()
    assert errors == []
    assert res["bad"] == 0
    assert res["total"] == len(doc["traceEvents"])
    names, by = _tracks(doc)
    assert res["perTrack"] == {k: len(v) for k, v in by.items()}
    assert {"GC", "STW", "P0", "P1", "P2", "P3"} <= set(res["perTrack"])
    assert res["perTrack"]["GC"] >= 4 * doc["otherData"]["gc_cycles"]
    assert res["perTrack"]["STW"] == sum(1 for e in doc["traceEvents"] if e["ph"] == "X" and e["cat"] == "stw")
    assert res["cats"].get("goroutine", 0) > 0 and res["cats"].get("gc,worker", 0) > 0
    assert {"heap", "GC CPU", "goroutines"} <= set(res["counters"])
