"""The per-step SVG pictures (gomem.viz.svg): well-formed, faithful to each step, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from gomem import scenarios
from gomem.cmd.cli import main
from gomem.errors import BadInput
from gomem.scenarios import ScenarioRun
from gomem.viz import svg as viz_svg
from gomem.viz.html import page_modes

NS = "{http://www.w3.org/2000/svg}"

CASES = [(name, mode) for name in scenarios.names() for mode in page_modes(scenarios.builtin(name))]


def _run(name: str, mode: str) -> ScenarioRun:
    run = ScenarioRun(scenarios.builtin(name), mode)
    run.run()
    return run


def _objects(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-obj"): g for g in root.iter(f"{NS}g") if g.get("data-obj") is not None}


@pytest.mark.parametrize("name,mode", CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_every_step_is_well_formed_and_shows_its_objects(name, mode):
    run = _run(name, mode)
    steps = viz_svg.all_steps(run)
    pictures = viz_svg.step_svgs(run)
    assert len(pictures) == len(run.steps) + 1
    for i, (st, text) in enumerate(zip(steps, pictures)):
        root = ET.fromstring(text)  # well-formed XML, or this raises
        assert root.tag == f"{NS}svg"
        assert root.get("data-step") == str(i)
        assert root.get("data-strong") == str(st.strong).lower()
        objs = _objects(root)
        assert set(objs) == set(st.colors), f"step {i}: objects drawn {sorted(objs)} != named {sorted(st.colors)}"
        for o, color in st.colors.items():
            g = objs[o]
            assert g.get("data-color") == color, f"step {i} ({st.text}): object {o}"
            node = next(r for r in g.iter(f"{NS}rect") if r.get("class") == "node")
            assert node.get("fill") == viz_svg.FILL[color]
            label = next(t for t in g.iter(f"{NS}text") if t.get("class") == "label")
            assert label.text == o
            if color == "freed":
                assert node.get("stroke-dasharray"), "a freed object is drawn dashed"
        for o in st.shaded:
            if o in objs:
                assert objs[o].get("data-shaded") == "true", f"step {i}: barrier-shaded {o} not marked"
        if st.highlight is not None:
            hl = [e for e in root.iter() if e.get("data-highlight")]
            assert hl, f"step {i} ({st.text}) wrote {st.highlight} but nothing is highlighted"
        # every pointer of the step is an arrow from its field to its target
        arrows = {(e.get("data-from"), e.get("data-field"), e.get("data-to")) for e in root.iter(f"{NS}path") if "edge" in (e.get("class") or "")}
        for src, fld, dst in st.edges:
            assert (src, fld, dst) in arrows, f"step {i}: edge {src}.{fld} -> {dst} not drawn"
        caption = next(t for t in root.iter(f"{NS}text") if t.get("class") == "caption")
        assert caption.text == viz_svg.caption(run, i, st)
        inv = next(t for t in root.iter(f"{NS}text") if t.get("class") == "invariant")
        assert inv.get("data-weak") == str(st.weak).lower()
        assert root.find(f".//{NS}g[@class='timeline']") is not None


def test_lost_object_pictures_tell_the_story():
    run = _run("lost-object", "none")
    pictures = [ET.fromstring(t) for t in viz_svg.step_svgs(run)]
    steps = viz_svg.all_steps(run)
    i_write = next(i for i, st in enumerate(steps) if st.text.endswith("4.f = x"))
    root = pictures[i_write]
    written = [e for e in root.iter(f"{NS}path") if e.get("data-highlight") == "written"]
    assert [(e.get("data-from"), e.get("data-field"), e.get("data-to")) for e in written] == [("4", "f", "3")]
    assert written[0].get("data-broken"), "black 4 -> white 3 breaks the strong invariant"
    i_del = next(i for i, st in enumerate(steps) if st.text.endswith("2.f = nil"))
    ghosts = [e for e in pictures[i_del].iter(f"{NS}g") if e.get("data-highlight") == "deleted"]
    assert [(e.get("data-from"), e.get("data-to")) for e in ghosts] == [("2", "3")]
    last = pictures[-1]
    three = _objects(last)["3"]
    assert three.get("data-color") == "freed" and three.get("data-lost") == "true"
    assert any(e.get("data-dangling") == "true" and e.get("data-to") == "3" for e in last.iter(f"{NS}path"))


def test_barrier_shading_is_marked():
    run = _run("insertion-barrier", "go1.5")
    steps = viz_svg.all_steps(run)
    i = next(i for i, st in enumerate(steps) if st.shaded)
    root = ET.fromstring(viz_svg.step_svgs(run)[i])
    marked = [g.get("data-obj") for g in root.iter(f"{NS}g") if g.get("data-shaded") == "true"]
    assert marked == steps[i].shaded
    assert any(r.get("class") == "barrier-mark" for r in root.iter(f"{NS}rect"))


def test_stack_and_heap_regions_and_roots():
    run = _run("insertion-barrier", "go1.8")
    root = ET.fromstring(viz_svg.step_svgs(run)[0])
    regions = [g.get("class") for g in root.iter(f"{NS}g") if (g.get("class") or "").startswith("region")]
    assert regions == ["region globals", "region stack", "region heap"]
    assert [g.get("data-root") for g in root.iter(f"{NS}g") if g.get("data-root")] == ["global g"]
    objs = _objects(root)
    assert {o for o, g in objs.items() if g.get("data-where") == "stack"} == {"1", "5", "2", "3"}
    assert all(g.get("data-color") == "white" for g in objs.values())


def test_stw_periods_on_the_timeline():
    run = _run("stw-mark-sweep", "stw")
    root = ET.fromstring(viz_svg.step_svgs(run)[-1])
    stw = [r for r in root.iter(f"{NS}rect") if r.get("class") == "stw"]
    assert len(stw) >= len(run.rt.gc.pauses) >= 1
    assert {r.get("data-phase") for r in stw} >= {p[1] for p in run.rt.gc.pauses}


def test_pictures_are_deterministic():
    a = viz_svg.step_svgs(_run("hybrid-4", "go1.8"))
    b = viz_svg.step_svgs(_run("hybrid-4", "go1.8"))
    assert a == b


def test_text_is_escaped():
    run = _run("tricolor", "go1.8")
    st = run.steps[0]
    st.note = "a <note> with & and \"quotes\" and 'apostrophes'"
    text = viz_svg.render_step(run, 1)
    root = ET.fromstring(text)
    caption = next(t for t in root.iter(f"{NS}text") if t.get("class") == "caption")
    assert caption.text.endswith(st.note)
    assert "<note>" not in text


def test_write_steps_names_files_and_writes_an_index(tmp_path):
    run = _run("lost-object", "go1.8")
    out = tmp_path / "pics" / "deeper"
    paths = viz_svg.write_steps(run, out)
    names = sorted(p.name for p in out.iterdir())
    expected = [f"lost-object-go1.8-step{i:02d}.svg" for i in range(len(run.steps) + 1)]
    assert sorted(p.name for p in paths) == expected
    assert names == sorted(expected + ["index.html"])
    index = (out / "index.html").read_text()
    assert all(n in index for n in expected)
    assert "http://" not in index.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_write_steps_reports_an_unwritable_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    run = _run("tricolor", "go1.8")
    with pytest.raises(BadInput, match="cannot write SVG pictures"):
        viz_svg.write_steps(run, blocker / "sub")


def test_cli_svg_all_modes(tmp_path, capsys):
    assert main(["scenario", "run", "hybrid-1", "--all-modes", "--svg", str(tmp_path)]) == 0
    capsys.readouterr()
    modes = scenarios.builtin("hybrid-1").modes
    for m in modes:
        assert (tmp_path / f"hybrid-1-{m}-step00.svg").is_file()
    index = (tmp_path / "index.html").read_text()
    assert all(f"hybrid-1-{m}" in index for m in modes)


def test_cli_svg_bad_directory_is_one_line_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc = main(["scenario", "run", "tricolor", "--svg", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("gomem: cannot write SVG pictures") and err.count("\n") == 1
