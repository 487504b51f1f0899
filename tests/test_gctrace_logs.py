"""``gomem gctrace LOG``: real and older-format gctrace logs read back (tests/gctrace_logs/).

* real Go 1.27 logs: the committed ``go1.27_forced.log`` and one made at test
  time by running ``tests/gctrace_logs/forced.go`` with ``GODEBUG=gctrace=1``
  (:mod:`gomem.cmd.realgo`): exactly ``NumGC`` cycles, exactly ``NumForcedGC``
  forced, and every number on each line equal to the numbers the test pulls
  out of the line itself with a plain number scan;
* each older format (files' headers cite the version and the source): every
  field, by name, against the values written here;
* bad input: unparsed lines reported with their line numbers, program output
  not; no gctrace line: one line, exit 2; an unwritable path: one line,
  nothing written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gomem.cmd import cli, realgo
from gomem.cmd.gctrace import cycle_doc, log_doc
from gomem.cmd.report import read_gctrace_log

LOGS = Path(__file__).parent / "gctrace_logs"
requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
NUM = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: the numbers of a Go 1.18-1.27 line in print order (runtime/mgc.go:1593-1629 in Go 1.27)
FIELDS_118 = ("n", "at_s", "gc_cpu_percent", "clock_sweep_term_ms", "clock_mark_ms", "clock_mark_term_ms",
              "cpu_sweep_term_ms", "cpu_assist_ms", "cpu_background_ms", "cpu_idle_ms", "cpu_mark_term_ms",
              "heap_start_mb", "heap_end_mb", "heap_live_mb", "heap_goal_mb", "stacks_mb", "globals_mb", "procs")


def gomem(capsys, *argv):
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def docs(path: Path) -> list[dict]:
    return log_doc(path.name, read_gctrace_log(path.read_text()))["cycles"]


def check_real_log(text: str) -> list[dict]:
    """Every gc line's numbers, scanned here, equal the parsed fields; NumGC/NumForcedGC match."""
    m = re.search(r"NumGC=(\d+) NumForcedGC=(\d+)", text)
    assert m is not None
    num_gc, num_forced = int(m[1]), int(m[2])
    log = read_gctrace_log(text)
    assert log.errors == []
    cycles = [cycle_doc(no, run, c) for no, run, c in log.cycles]
    # forced.go's own writes ("round N done\n") may land inside a gctrace line: take them out first
    clean = re.sub(r"round [0-9]+ done\n", "", text)
    gc_lines = [ln for ln in clean.splitlines() if ln.startswith("gc ")]
    assert len(cycles) == len(gc_lines) == num_gc
    assert sum(c["forced"] for c in cycles) == num_forced
    for line, d in zip(gc_lines, cycles):
        nums = [float(x) for x in NUM.findall(line)]
        assert len(nums) == len(FIELDS_118), line
        assert d["format"] == "go1.18" and d["forced"] == line.endswith(" (forced)")
        for f, v in zip(FIELDS_118, nums):
            assert d[f] == v, (f, line)
        assert d["pause_ms"] == pytest.approx(nums[3] + nums[5])
        for f in ("clock_scan_ms", "clock_install_wb_ms", "cpu_scan_ms", "cpu_install_wb_ms"):
            assert d[f] is None
    assert [c["n"] for c in cycles] == list(range(1, num_gc + 1))
    return cycles


def test_committed_go127_log():
    text = (LOGS / "go1.27_forced.log").read_text()
    cycles = check_real_log(text)
    assert len(cycles) == 7  # NumGC=7 NumForcedGC=5 in that run
    assert [c["line"] for c in cycles] == [3, 5, 6, 8, 10, 12, 14]
    assert cycles[1] == {**cycles[1], "n": 2, "at_s": 0.001, "gc_cpu_percent": 11, "clock_sweep_term_ms": 0.015,
                         "cpu_idle_ms": 0.17, "heap_goal_mb": 7, "forced": True}


def test_interleaved_go127_log(capsys):
    """gc 3's line was cut by the program's "round 1 done" (lines 7-8): read whole, at line 7."""
    text = (LOGS / "go1.27_interleaved.log").read_text()
    cycles = check_real_log(text)
    assert [c["line"] for c in cycles] == [4, 6, 7, 9, 11, 13, 15]
    assert {k: cycles[2][k] for k in ("n", "clock_mark_ms", "clock_mark_term_ms", "cpu_sweep_term_ms", "heap_end_mb")} == {
        "n": 3, "clock_mark_ms": 0.32, "clock_mark_term_ms": 0.053, "cpu_sweep_term_ms": 0.051, "heap_end_mb": 8}
    rc, out, err = gomem(capsys, "gctrace", str(LOGS / "go1.27_interleaved.log"))
    assert rc == 0 and err == "" and "7 cycles (5 forced) in 1 run," in out


@requires_go
@pytest.mark.realgo
def test_fresh_go127_log(tmp_path, capsys):
    r = realgo.run_go_source(LOGS / "forced.go", env={"GODEBUG": "gctrace=1", "GOMAXPROCS": "2"})
    assert r.returncode == 0, r.stderr
    cycles = check_real_log(r.stderr)
    assert sum(c["forced"] for c in cycles) == 5  # forced.go's FORCED
    log = tmp_path / "run.log"
    log.write_text(r.stderr)
    rc, out, err = gomem(capsys, "gctrace", str(log), "--json", str(tmp_path / "o.json"))
    assert rc == 0, err
    assert json.loads((tmp_path / "o.json").read_text())["cycles"] == cycles
    assert f"{len(cycles)} cycles (5 forced) in 1 run," in out


def test_go15_every_field():
    d = docs(LOGS / "go1.5.log")
    assert len(d) == 3
    # go1.5.log line 7
    assert {k: v for k, v in d[0].items() if v is not None} == {
        "line": 7, "run": 1, "n": 1, "format": "go1.5", "at_s": 0.005, "gc_cpu_percent": 3, "forced": False,
        "clock_sweep_term_ms": 0.12, "clock_scan_ms": 0.45, "clock_install_wb_ms": 0.011, "clock_mark_ms": 1.1,
        "clock_mark_term_ms": 0.25, "cpu_sweep_term_ms": 0.25, "cpu_scan_ms": 0.10, "cpu_install_wb_ms": 0.011,
        "cpu_assist_ms": 0.95, "cpu_background_ms": 0.83, "cpu_idle_ms": 0.0, "cpu_mark_term_ms": 0.50,
        "heap_start_mb": 4, "heap_end_mb": 4, "heap_live_mb": 2, "heap_goal_mb": 4, "procs": 2,
        "pause_ms": 0.37, "wall_ms": 1.931}
    assert d[0]["stacks_mb"] is None and d[0]["globals_mb"] is None and d[0]["note"] is None
    assert (d[2]["n"], d[2]["forced"], d[2]["procs"], d[2]["cpu_idle_ms"], d[2]["line"]) == (3, True, 4, 0.40, 10)


def test_go17_every_field():
    d = docs(LOGS / "go1.7.log")
    assert len(d) == 3
    # go1.7.log line 7
    assert {k: v for k, v in d[0].items() if v is not None} == {
        "line": 7, "run": 1, "n": 1, "format": "go1.7", "at_s": 0.017, "gc_cpu_percent": 2, "forced": False,
        "clock_sweep_term_ms": 0.021, "clock_mark_ms": 0.53, "clock_mark_term_ms": 0.015,
        "cpu_sweep_term_ms": 0.043, "cpu_assist_ms": 0.17, "cpu_background_ms": 0.35, "cpu_idle_ms": 0.55,
        "cpu_mark_term_ms": 0.030, "heap_start_mb": 4, "heap_end_mb": 4, "heap_live_mb": 0, "heap_goal_mb": 5,
        "procs": 4, "pause_ms": 0.036, "wall_ms": 0.566}
    assert d[1]["forced"] and d[1]["cpu_assist_ms"] == 0.0
    assert (d[2]["clock_mark_ms"], d[2]["heap_end_mb"], d[2]["heap_goal_mb"], d[2]["procs"]) == (12.0, 124, 125, 8)


def test_go118_every_field():
    d = docs(LOGS / "go1.18.log")
    assert [c["n"] for c in d] == [2, 3, 4]
    # go1.18.log line 7
    assert {k: v for k, v in d[0].items() if v is not None} == {
        "line": 7, "run": 1, "n": 2, "format": "go1.18", "at_s": 0.004, "gc_cpu_percent": 7, "forced": False,
        "clock_sweep_term_ms": 0.12, "clock_mark_ms": 1.8, "clock_mark_term_ms": 0.002,
        "cpu_sweep_term_ms": 0.24, "cpu_assist_ms": 0.12, "cpu_background_ms": 0.20, "cpu_idle_ms": 0.087,
        "cpu_mark_term_ms": 0.005, "heap_start_mb": 3, "heap_end_mb": 4, "heap_live_mb": 2, "heap_goal_mb": 4,
        "stacks_mb": 0, "globals_mb": 0, "procs": 2, "pause_ms": 0.122, "wall_ms": 1.922}
    assert d[1]["globals_mb"] == 0 and d[1]["heap_goal_mb"] == 5  # "0MB globals" as extern.go writes it
    assert d[2]["note"] == "(checking for goroutine leaks)"  # Go 1.26 on
    assert (d[2]["gc_cpu_percent"], d[2]["stacks_mb"], d[2]["procs"], d[2]["heap_live_mb"]) == (3, 1, 8, 6)


def test_scavenger_lines_every_field():
    log = read_gctrace_log((LOGS / "scavenger.log").read_text())
    assert log.errors == [] and log.extras == 1 and len(log.cycles) == 1
    assert log.scav == [
        {"line": 9, "kind": "scvg-stats", "versions": "go1.5-1.13", "gen": 0, "inuse_mb": 3, "idle_mb": 58,
         "sys_mb": 61, "released_mb": 57, "consumed_mb": 4},
        {"line": 10, "kind": "scvg-released", "versions": "go1.5-1.13", "gen": -1, "released_mb": 57},
        {"line": 11, "kind": "scav", "versions": "go1.14-1.18", "gen": 3, "work_kib": 1024, "released_kib": 4096,
         "util_pct": 91, "forced": False},
        {"line": 12, "kind": "scav", "versions": "go1.19+", "work_bg_kib": 0, "work_eager_kib": 64,
         "released_kib": 512, "util_pct": 99, "forced": False, "reset": False},
        {"line": 13, "kind": "scav", "versions": "go1.19+", "work_bg_kib": 128, "work_eager_kib": 0,
         "released_kib": 640, "util_pct": 97, "forced": True, "reset": False},
        {"line": 14, "kind": "scav", "versions": "go1.19+", "work_bg_kib": 8, "work_eager_kib": 0,
         "released_kib": 648, "util_pct": 96, "forced": False, "reset": True},
    ]


def test_unparsed_lines_reported_with_numbers(capsys, tmp_path):
    rc, out, err = gomem(capsys, "gctrace", str(LOGS / "bad.log"))
    assert rc == 0
    bad = [int(m) for m in re.findall(r"bad\.log:(\d+):", err)]
    assert bad == [4, 5, 6, 8, 9]
    assert "bad.log:6: the Go 1.4 and older format is not read" in err
    assert "1 cycles (0 forced) in 1 run," in out and "5 unparsed" in out


def test_no_gctrace_lines(capsys, tmp_path):
    out_json = tmp_path / "o.json"
    rc, out, err = gomem(capsys, "gctrace", str(LOGS / "not_gctrace.log"), "--json", str(out_json))
    assert rc == 2 and out == ""
    assert err.strip().splitlines() == ["gomem: not_gctrace.log: no gctrace lines (the output of GODEBUG=gctrace=1) in 3 lines"
                                        .replace("not_gctrace.log", str(LOGS / "not_gctrace.log"))]
    assert not out_json.exists()


def test_missing_log(capsys, tmp_path):
    rc, out, err = gomem(capsys, "gctrace", str(tmp_path / "nope.log"))
    assert rc == 2 and err.strip() == f"gomem: open {tmp_path / 'nope.log'}: no such file or directory"


def test_unwritable_output_writes_nothing(capsys, tmp_path):
    good = tmp_path / "o.json"
    bad = tmp_path / "no" / "such" / "o.html"
    rc, out, err = gomem(capsys, "gctrace", str(LOGS / "go1.7.log"), "--json", str(good), "--html", str(bad))
    assert rc == 2 and len(err.strip().splitlines()) == 1 and str(bad) in err
    assert not good.exists() and not bad.parent.exists()


def test_html_and_svg(capsys, tmp_path):
    rc, out, err = gomem(capsys, "gctrace", str(LOGS / "go1.27_forced.log"), "--html", str(tmp_path / "p.html"),
                         "--svg", str(tmp_path / "svg"))
    assert rc == 0, err
    page = (tmp_path / "p.html").read_text()
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # self-contained
    for cls in ("chart heap", "chart pauses", "chart gccpu"):
        assert f'class="{cls}"' in page
    assert page.count('class="marked"') == 7 and page.count('data-phase="sweep termination"') == 7
    import xml.etree.ElementTree as ET

    for name in ("heap.svg", "pauses.svg", "gccpu.svg"):
        root = ET.parse(tmp_path / "svg" / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_several_runs_in_one_log():
    text = (LOGS / "go1.7.log").read_text() + (LOGS / "go1.7.log").read_text()
    log = read_gctrace_log(text)
    assert [(run, c.n) for _, run, c in log.cycles] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]


def test_html_in_headless_chromium(tmp_path, capsys):
    """The page opens in headless Chromium with no error and no request, its three charts drawn
    (the browser set-up of tests/test_browser.py: Debian's chromium through Playwright)."""
    import os
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("GOMEM_REQUIRE_BROWSER") == "1":
            pytest.fail("GOMEM_REQUIRE_BROWSER=1 but Playwright is not installed")
        pytest.skip("Playwright's Python package is not installed")
    exe = os.environ.get("GOMEM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("GOMEM_REQUIRE_BROWSER") == "1":
            pytest.fail("GOMEM_REQUIRE_BROWSER=1 but no Chromium found")
        pytest.skip("no Chromium found")
    page = tmp_path / "p.html"
    assert gomem(capsys, "gctrace", str(LOGS / "go1.27_interleaved.log"), "--html", str(page))[0] == 0
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        try:
            pg = b.new_page()
            errors: list[str] = []
            requests: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto(page.as_uri())
            sizes = pg.evaluate("() => Array.from(document.querySelectorAll('svg.chart')).map(s => "
                                "[s.getAttribute('class'), Math.round(s.getBoundingClientRect().width)])")
            dots = pg.evaluate("() => document.querySelectorAll('svg.heap circle.marked').length")
        finally:
            b.close()
    assert errors == [] and all(u.startswith("file:") for u in requests), (errors, requests)
    assert [c for c, _ in sizes] == ["chart heap", "chart pauses", "chart gccpu"] and all(w > 300 for _, w in sizes)
    assert dots == 7


def test_a_line_cut_right_after_gc_n_is_read_whole():
    """Seen from forced.go on a loaded machine: the program's write landed after the runtime's first two
    writes ("gc ", "1"), so the line reads "gc 1round 0 done" and the rest follows on the next line."""
    rest = (" @0.000s 6%: 0.048+0.82+0.006 ms clock, 0.097+0.084/0.028/0.15+0.012 ms cpu, 3->4->3 MB, 4 MB goal, "
            "0 MB stacks, 0 MB globals, 2 P (forced)")
    log = read_gctrace_log(f"gc 1round 0 done\n{rest}\nthe gc 12 flags\n")
    assert log.errors == [] and [(no, c.n, c.forced) for no, _, c in log.cycles] == [(1, 1, True)]
    log = read_gctrace_log(f"gc round 0 done\n1{rest}\n")
    assert [(no, c.n) for no, _, c in log.cycles] == [(1, 1)]
