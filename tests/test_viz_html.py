"""The interactive scenario page and the run report: self-contained, complete, well-formed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from gomem import scenarios
from gomem.cli import main
from gomem.scenarios import ScenarioRun
from gomem.viz import html as viz_html
from gomem.viz import svg as viz_svg


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("page") / "scenarios.html"
    assert main(["scenario", "run", "lost-object", "--gc", "none", "--html", str(path)]) == 0
    return path.read_text(encoding="utf-8")


def _assert_self_contained(text: str) -> None:
    assert not re.search(r"https?://", text), "the page must not name any URL"
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?!#)""", text, re.I), "no external resources"
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert "url(" not in text.replace("url(#", "")


def test_page_is_self_contained(page, capsys):
    capsys.readouterr()
    _assert_self_contained(page)
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the JSON cannot close its element
    assert page.startswith("<!DOCTYPE html>")


def test_page_offers_every_scenario_and_mode(page):
    data = viz_html.read_page_data(page)
    assert data["initial"] == {"scenario": "lost-object", "mode": "none"}
    names = [s["name"] for s in data["scenarios"]]
    assert names[0] == "lost-object"
    assert sorted(names) == sorted(scenarios.names())
    for s in data["scenarios"]:
        sc = scenarios.builtin(s["name"])
        assert [m["mode"] for m in s["modes"]] == viz_html.page_modes(sc)
        for m in s["modes"]:
            assert "error" not in m, f"{s['name']} under {m['mode']}: {m.get('error')}"
            assert m["steps"][0]["text"] == "initial graph"
            assert len(m["steps"]) >= 2
    ib = next(s for s in data["scenarios"] if s["name"] == "insertion-barrier")
    assert "go1.5-norescan" in [m["mode"] for m in ib["modes"]]


def test_page_steps_match_the_run_and_the_pictures(page):
    data = viz_html.read_page_data(page)
    lo = next(s for s in data["scenarios"] if s["name"] == "lost-object")
    none = next(m for m in lo["modes"] if m["mode"] == "none")
    run = ScenarioRun(scenarios.builtin("lost-object"), "none")
    run.run()
    assert [st["text"] for st in none["steps"][1:]] == [st.text for st in run.steps]
    assert "lost 3" in none["outcome_text"] and none["outcome"]["lost"] == ["3"]
    assert none["outcome"]["lost_paths"]["3"].endswith("4 -> 3")
    pictures = viz_svg.step_svgs(run)
    for i, st in enumerate(none["steps"]):
        svg_text = viz_html.step_svg(data, st)
        assert svg_text == pictures[i].replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
        root = ET.fromstring(svg_text)
        colors = {g.get("data-obj"): g.get("data-color") for g in root.iter("g") if g.get("data-obj")}
        assert colors == st["colors"]
    go18 = next(m for m in lo["modes"] if m["mode"] == "go1.8")
    assert go18["outcome"]["lost"] == [] and "3" in go18["outcome"]["live"]
    assert go18["expectations"] == "all met"


def test_page_for_a_scenario_file_puts_it_first(tmp_path, capsys):
    scn = tmp_path / "mine.scn"
    scn.write_text(
        "scenario mine\ntitle A <tiny> & 'odd' \"one\"\nabout </script><script>alert(1)</script>\n"
        "global r -> 1\nheap 1 2\nedge 1.f -> 2\nstep gc start\nstep drain\nstep mark done\nstep sweep\n"
    )
    out = tmp_path / "page.html"
    assert main(["scenario", "run", str(scn), "--html", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text()
    _assert_self_contained(text)
    assert text.count("</script>") == 2
    data = viz_html.read_page_data(text)
    assert data["scenarios"][0]["name"] == "mine"
    assert data["scenarios"][0]["title"] == "A <tiny> & 'odd' \"one\""
    assert len(data["scenarios"]) == len(scenarios.names()) + 1


def test_page_bad_path_is_one_line_error(tmp_path, capsys):
    rc = main(["scenario", "run", "tricolor", "--html", str(tmp_path / "missing" / "page.html")])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("gomem: open ") and err.endswith(": no such file or directory\n") and err.count("\n") == 1


def test_nice_ticks():
    from gomem.viz.report_html import nice_ticks

    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 3.3) == [0, 1, 2, 3, 4]
    t = nice_ticks(0, 12345)
    assert t[0] == 0 and t[-1] >= 12345 and len(t) <= 8


def _svgs(text: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", text, re.S)


def test_run_report(tmp_path, capsys):
    out = tmp_path / "run.html"
    rc = main(["run", "binary-trees", "--param", "depth=10", "--gogc", "25", "--no-progress", "--html", str(out)])
    capsys.readouterr()
    assert rc == 0
    text = out.read_text(encoding="utf-8")
    _assert_self_contained(text)
    assert "<script" not in text
    charts = _svgs(text)
    kinds = []
    for c in charts:
        root = ET.fromstring(c)  # each chart is well-formed
        kinds.append(root.get("class"))
    assert kinds == ["chart heap", "chart pauses", "chart gccpu", "chart timeline", "chart mmu", "chart occupancy"]
    heap = ET.fromstring(charts[0])
    assert heap.find(".//polyline[@class='live']") is not None and heap.find(".//polyline[@class='goal']") is not None
    pauses = ET.fromstring(charts[1])
    phases = {r.get("data-phase") for r in pauses.iter("rect") if r.get("data-phase")}
    assert {"sweep termination", "mark termination"} <= phases
    occ = ET.fromstring(charts[5])
    assert any(g.get("data-sizeclass") == "2" for g in occ.iter("g")), "binary-trees' 16-byte nodes are in size class 2"
    for word in ("Summary", "GC cycles", "HeapAlloc", "gc 1 @", "Per-size-class occupancy"):
        assert word in text


def test_run_report_without_any_cycle(tmp_path, capsys):
    out = tmp_path / "run.html"
    assert main(["run", "binary-trees", "--param", "depth=4", "--no-progress", "--html", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert "no stop-the-world pause in this run" in text and "no GC cycle completed" in text
    for c in _svgs(text):
        ET.fromstring(c)


def test_run_report_bad_path_fails_before_running(tmp_path, capsys):
    rc = main(["run", "binary-trees", "--no-progress", "--html", str(tmp_path / "nope" / "r.html")])
    err = capsys.readouterr()
    assert rc == 2
    assert err.err.startswith("gomem: open ") and err.err.endswith("/nope/r.html: no such file or directory\n") and err.out == ""


def test_occupancy_matches_memstats():
    from gomem.viz.report_html import size_class_occupancy

    from gomem import api, report

    # a workload of the runtime's API: a Go program's heap also holds start-up's tiny block, which is in
    # no MemStats counter (malloc.py's adopt_startup_tiny_block)
    rt = api.run("random", params={"steps": 500}).runtime
    ms = report.memstats(rt)
    rows = size_class_occupancy(rt)
    assert sum(r["in_use"] for r in rows if r["sizeclass"]) + sum(r["in_use"] for r in rows if not r["sizeclass"]) == ms.HeapAlloc
    assert sum(r["objects"] for r in rows) == ms.HeapObjects


def test_run_report_of_a_failed_run_names_the_error(tmp_path, capsys):
    out = tmp_path / "lost.html"
    rc = main(["run", "random", "--gc", "none", "--checkmark", "--param", "steps=300", "--no-progress", "--html", str(out)])
    err = capsys.readouterr().err
    assert rc == 4 and err.startswith(f"gomem: wrote {out}\ngomem: checkmark: ")
    text = out.read_text(encoding="utf-8")
    _assert_self_contained(text)
    assert '<div class="error"><b>The run failed:</b> LostObject: checkmark:' in text
    for c in _svgs(text):
        ET.fromstring(c)
