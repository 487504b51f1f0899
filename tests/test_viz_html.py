"""The interactive scenario page and the run report: self-contained, complete, well-formed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from gomem import scenarios
from gomem.cmd.cli import main
from gomem.scenarios import ScenarioRun
from gomem.viz import html as viz_html
from gomem.cmd.report import fmt_duration
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
    # url() only for an in-document reference or the embedded font's data: URL
    assert re.findall(r"url\((?!#|data:font/woff;base64,)", text) == []


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

    from gomem import api
    from gomem.cmd import report

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
    assert '<section class="error" role="alert"><h2>The run failed: LostObject</h2><p class="message"><code>checkmark:' in text
    for c in _svgs(text):
        ET.fromstring(c)


# -- a failed run's report: what happened up to the failure ------------------------------------------


def _section(text: str, heading: str) -> str:
    m = re.search(r'<section class="card"><h2>' + re.escape(heading) + r"</h2>(.*?)</section>", text, re.S)
    assert m, f"no card {heading!r}"
    return m.group(1)


def _kv_rows(html: str, cls: str) -> dict[str, str]:
    m = re.search(r'<table class="kv ' + cls + r'">(.*?)</table>', html, re.S)
    assert m, f"no table {cls}"
    return dict(re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", m.group(1)))


@pytest.fixture(scope="module")
def oom_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("oom")
    out, js = d / "oom.html", d / "oom.json"
    rc = main(["run", "churn", "--param", "live=200000", "--param", "replacements=1000", "--max-heap", "8MiB",
               "--no-progress", "--html", str(out), "--json", str(js)])
    assert rc == 2
    import json

    return out.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))


def test_failed_run_report_shows_summary_and_memstats_at_the_failure(oom_report, capsys):
    capsys.readouterr()
    text, doc = oom_report
    assert doc["error"]["type"] == "OutOfMemory" and doc["summary"] is not None and doc["memstats"] is not None
    _assert_self_contained(text)
    summary = _kv_rows(_section(text, "Summary at the failure"), "summary")
    assert summary["GC cycles"].startswith(f"{doc['summary']['num_gc']} completed")
    assert summary["model time"].startswith(fmt_duration(doc["summary"]["model_ns"]))
    assert "MemStats at the end" not in text and "Summary at the end" not in text
    ms = _kv_rows(_section(text, "MemStats at the failure"), "memstats")
    for k in ("HeapAlloc", "HeapSys", "NextGC"):
        assert ms[k].startswith(f"{doc['memstats'][k]} ("), k
    assert ms["NumGC"] == str(doc["memstats"]["NumGC"]) == str(len(doc["cycles"]))
    # the error first, prominent, with when it happened
    err = re.search(r'<section class="error" role="alert">(.*?)</section>', text, re.S)
    assert err and text.index('class="error"') < text.index('class="grid"')
    assert "<h2>The run failed: OutOfMemory</h2>" in err.group(1)
    assert doc["error"]["message"] in err.group(1) and "exit status 2" in err.group(1)
    assert f"At model time {fmt_duration(doc['summary']['model_ns'])}" in err.group(1)


def test_failed_run_charts_show_the_cycles_up_to_the_failure(oom_report):
    text, doc = oom_report
    charts = {ET.fromstring(c).get("class"): ET.fromstring(c) for c in _svgs(text)}
    for kind in ("chart heap", "chart gccpu"):
        marks = charts[kind].findall(".//{*}g[@class='failure-mark']")
        assert len(marks) == 1, kind
    heap = charts["chart heap"]
    assert len(heap.findall(".//{*}circle[@class='marked']")) == len(doc["cycles"]) >= 1
    gccpu = charts["chart gccpu"]
    assert gccpu.find(".//{*}polyline[@class='cumulative']") is not None
    assert gccpu.find(".//{*}polyline[@class='cumulative-tail']") is not None
    assert "since the last cycle end, at the failure" in " ".join(gccpu.itertext())


def test_failed_run_without_a_completed_cycle_still_charts_gc_cpu(tmp_path, capsys):
    out, js = tmp_path / "lost.html", tmp_path / "lost.json"
    rc = main(["run", "random", "--gc", "none", "--checkmark", "--param", "steps=300", "--no-progress",
               "--html", str(out), "--json", str(js)])
    capsys.readouterr()
    assert rc == 4
    import json

    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["cycles"] == [] and doc["summary"]["cycle_in_progress"]
    text = out.read_text(encoding="utf-8")
    assert "no GC cycle completed" not in text
    gccpu = next(ET.fromstring(c) for c in _svgs(text) if 'class="chart gccpu"' in c)
    tail = gccpu.find(".//{*}polyline[@class='cumulative-tail']")
    assert tail is not None
    # the run's GC CPU to the failure, as the summary reads it
    pts = [tuple(map(float, p.split(","))) for p in tail.get("points").split()]
    assert pts[-1][1] < pts[0][1], "a nonzero GC CPU share is drawn above the axis"
    assert doc["summary"]["run_gc_cpu_fraction"] > 0
    assert "cycle 1 in progress" in text
    lost = re.search(r'<table class="grid-table lost">(.*?)</table>', text, re.S)
    assert lost and f"{doc['error']['lost'][0]['addr']:#x}" in lost.group(1)
    summary = _kv_rows(_section(text, "Summary at the failure"), "summary")
    assert "one more was running at exit" in summary["GC cycles"]


def test_gc_cpu_tail_is_the_runs_gc_cpu_fraction():
    from gomem import api
    from gomem.cmd import report
    from gomem.viz.report_html import H, PAD_B, gc_cpu_chart

    rt = api.run("binary-trees", params={"depth": 10}, gogc=25).runtime
    assert rt.now > rt.gc.records[-1].t_end
    svg = ET.fromstring(gc_cpu_chart(rt.gc.records, rt.now, rt.gc.gc_cpu, len(rt.sched.ps)))
    tail = svg.find(".//{*}polyline[@class='cumulative-tail']")
    cum = svg.find(".//{*}polyline[@class='cumulative']")
    assert tail is not None and cum is not None and svg.find(".//{*}g[@class='failure-mark']") is None

    def last_y(el) -> float:
        return float(el.get("points").split()[-1].split(",")[1])

    # heights above the x axis are proportional to the values: the run's GC CPU fraction at the end,
    # GCCPUFraction (as of the last cycle) where the cycles' curve ends
    base = H - PAD_B
    want = report.run_gc_cpu_fraction(rt) / report.gc_cpu_fraction(rt.gc.records)
    assert (base - last_y(tail)) / (base - last_y(cum)) == pytest.approx(want, rel=0.02)


# -- charts sized to their card ------------------------------------------------------------------------


def test_report_charts_scale_to_their_card(tmp_path, capsys):
    from gomem.viz import report_html

    out = tmp_path / "run.html"
    assert main(["run", "binary-trees", "--param", "depth=10", "--gogc", "25", "--no-progress", "--html", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    for c in _svgs(text):
        root = ET.fromstring(c)
        vb = root.get("viewBox")
        assert vb, root.get("class")
        kind = root.get("class")
        if kind in ("chart heap", "chart pauses", "chart gccpu", "chart occupancy"):
            assert root.get("width") == "100%" and root.get("height") is None, kind
        if kind != "chart mmu":
            assert float(vb.split()[2]) == report_html.W, kind  # drawn for the card's width, not 860
    assert ".chart-card svg { display:block; width:100%; height:auto; }" in text


# -- the scenario page: phone layout, the CJK font ----------------------------------------------------


def test_scenario_page_ships_the_cjk_glyphs_it_uses(page):
    import base64

    from gomem.viz import cjk_font

    data = viz_html.read_page_data(page)
    texts = [s["title"] for s in data["scenarios"]] + [s.get("about", "") for s in data["scenarios"]]
    used = cjk_font.cjk_chars("".join(texts))
    assert used, "the article's titles carry Chinese names"
    assert cjk_font.missing(texts) == "", "regenerate the subset: python -m gomem.viz.gen_cjk_font (see its docstring)"
    faces = re.findall(r"@font-face \{(.*?)\}", page)
    assert len(faces) == 2
    for face in faces:
        assert f'font-family:"{cjk_font.FAMILY}"' in face
        rng = re.search(r"unicode-range:([^;]+);", face).group(1).split(",")
        assert {chr(int(u[2:], 16)) for u in rng} == set(cjk_font.CHARS) >= set(used)
        woff = base64.b64decode(re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", face).group(1))
        assert woff[:4] == b"wOFF" and len(woff) < 16_000
    assert f'"gomem Noto Sans CJK SC", sans-serif' in page
    assert "SIL Open Font License 1.1" in page and "SIL OPEN FONT LICENSE Version 1.1" in cjk_font.OFL_TEXT


def test_cjk_font_missing_names_what_the_subset_lacks():
    from gomem.viz import cjk_font

    assert cjk_font.missing(["Tricolor (三色标记法)"]) == ""
    assert cjk_font.missing(["龍 and 三"]) == "龍"
    assert cjk_font.cjk_chars("a三b三") == "三"


def test_scenario_page_has_a_phone_layout(page):
    css = page[page.index("<style>"): page.index("</style>")]
    phone = css[css.index("@media (max-width: 600px)"):]
    assert ".controls select { flex:1 1 auto; width:0; }" in phone
    assert ".controls select { min-width:0; max-width:100%;" in css
