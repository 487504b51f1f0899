"""The article's scenarios (``/work/shared/design/scenarios.md``) on the real collector.

Three kinds of checks:

* **Outcomes.**  ``EXPECTED`` is written from scenarios.md, not from the
  engine's output: for every built-in scenario and every GC mode (the six of
  ``gomem.runtime.mbarrier.MODES`` plus ``go1.5-norescan``) which heap objects are
  live, freed, lost (freed while still referenced) and floating garbage.
  Entries scenarios.md states outright are marked ``# md``; the others follow
  from its rules (stw/go1.3 defer program steps until the world restarts,
  stacks are roots, what each barrier shades) and are explained beside them.
  Each scenario's own ``expect`` lines must be met too.
* **Step content**: the invariants and the edge that breaks them, what the
  barrier shaded and when, the STW rescan and its pause, derived colours.
* **Golden files.**  ``tests/golden/scenarios/NAME--MODE.txt`` is exactly what
  ``gomem scenario run NAME --gc MODE`` prints, for every built-in scenario
  and each mode it lists.  A change in the collector that changes what the
  article's scenarios show makes these fail.  When the change is intended,
  rewrite them with::

      GOMEM_UPDATE_GOLDEN=1 python -m pytest tests/test_scenarios.py

  and read the diff (``git diff tests/golden``) before keeping it.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from gomem.cmd import cli
from gomem import scenarios
from gomem.runtime.mbarrier import MODES
from gomem.scenarios import ScenarioRun
from gomem.scenarios.text import render

GOLDEN = Path(__file__).parent / "golden" / "scenarios"
UPDATE = os.environ.get("GOMEM_UPDATE_GOLDEN") == "1"

ALL_MODES = list(MODES)
NAMES = scenarios.names()


def Out(live="", freed="", lost="", floating=""):
    return {"live": live.split(), "freed": freed.split(), "lost": lost.split(), "floating": floating.split()}


def every(outcome, **per_mode):
    """*outcome* in every mode but those named (go1.5-norescan spelled go15_norescan)."""
    key = {m.replace(".", "").replace("-", "_"): m for m in ALL_MODES}
    assert set(per_mode) <= set(key), set(per_mode) - set(key)
    return {m: per_mode.get(k, outcome) for k, m in key.items()}


_TRICOLOR = Out(live="1 2 3 4 7", freed="5 6")
_LOST_OBJECT_SAFE = Out(live="1 2 3 4 7", freed="5 6")
_INSERTION_SAFE = Out(live="4 7 8 9", freed="6")
_DELETION_FLOATING = Out(live="1 4 7", freed="2 3 5", floating="2 3 5")
_DELETION_FREED_AT_ONCE = Out(live="1 4 7", freed="2 3 5")

#: scenario -> mode -> outcome, from scenarios.md
EXPECTED: dict[str, dict[str, dict]] = {
    # §1: "Outcome, every mode: 5 and 6 freed; 1, 2, 3, 4, 7 live."  # md
    "tricolor": every(_TRICOLOR),
    # §2: the graph of §1, collected stop-the-world; no program step, so the same everywhere.
    "stw-mark-sweep": every(_TRICOLOR),
    # §3: none loses 3 (4 still points to it); go1.5, yuasa, go1.8 keep it.  # md
    # stw/go1.3: the program's steps wait until the world restarts, after marking.
    # go1.5-norescan: no stack object is involved; the heap barrier shades 3 as in go1.5.
    "lost-object": every(_LOST_OBJECT_SAFE, none=Out(live="1 2 4 7", freed="5 6", lost="3")),
    # §4: go1.5 frees 6 and keeps 9 (thanks to the rescan); without the rescan 9 is
    # lost; none loses 8 and 9; yuasa and go1.8 keep both.  # md
    # stw/go1.3: the program runs after the marking, nothing can be missed.
    "insertion-barrier": every(
        _INSERTION_SAFE,
        go15_norescan=Out(live="4 7 8", freed="6", lost="9"),
        none=Out(live="4 7", freed="6", lost="8 9"),
        # the hybrid barrier without shading the old value: 7.b = nil does not shade 9, which hangs
        # under stack object 1 (scanned): lost, as without the rescan
        go18_noshade_old=Out(live="4 7 8", freed="6", lost="9"),
    ),
    # §5: yuasa: 5, 2, 3 floating in cycle 1, freed in cycle 2.  # md
    # go1.8: the hybrid barrier's deletion half shades 5 the same way.
    # go1.5/none: 1 is still grey (unscanned) when it drops 5: nothing marks 5,
    # 2, 3 and the first sweep frees them — precise, and harmless here.
    # stw/go1.3: 1.f = nil runs after marking: 5, 2, 3 die after the cycle
    # (not floating: they were reachable when marking ended), freed by cycle 2.
    # Every variant that keeps the deletion half (shade the old value) floats them the same way.
    "deletion-barrier": every(_DELETION_FREED_AT_ONCE, yuasa=_DELETION_FLOATING, go18=_DELETION_FLOATING,
                              go18_noshade_new=_DELETION_FLOATING, yuasa_nosnapshot=_DELETION_FLOATING,
                              go18_allocwhite=_DELETION_FLOATING),
    # §6 hybrid-1: go1.8 keeps 7.  # md
    # none and go1.5-norescan: 7 hangs only under the already-scanned stack: lost.
    # go1.5 with the rescan: found by the STW rescan.  yuasa: 4.f = nil shades 7.
    # go1.8-noshade-old: the hybrid barrier without its deletion half loses 7 the same way.
    "hybrid-1": every(Out(live="4 7"), none=Out(live="4", lost="7"), go15_norescan=Out(live="4", lost="7"),
                      go18_noshade_old=Out(live="4", lost="7")),
    # §7 hybrid-2: 3 survives; the stack scan had shaded 3 already — harmless in every mode.  # md
    "hybrid-2": every(Out(live="3")),
    # §8 hybrid-3: 7 survives.  # md  The globals are not scanned before the program
    # runs, so 4 and 10 are still white: harmless even without a barrier.
    "hybrid-3": every(Out(live="4 7 10")),
    # §9 hybrid-4: 2 and 3 survive through 4; 7 is floating this cycle, freed in the next.  # md
    # yuasa shades 7 at 4.f = nil too.  go1.5 (Dijkstra shades only the new value)
    # and none never mark 7: freed by the first sweep.  2 was shaded by the stack
    # scan in every mode: harmless.  stw/go1.3: the program runs after marking;
    # 7 dies after the cycle (not floating) and the second cycle frees it.
    # The variants that keep the deletion half float 7 as go1.8 does.
    "hybrid-4": every(Out(live="2 3 4", freed="7"), yuasa=Out(live="2 3 4", freed="7", floating="7"),
                      go18=Out(live="2 3 4", freed="7", floating="7"),
                      go18_noshade_new=Out(live="2 3 4", freed="7", floating="7"),
                      yuasa_nosnapshot=Out(live="2 3 4", freed="7", floating="7"),
                      go18_allocwhite=Out(live="2 3 4", freed="7", floating="7")),
}  # fmt: skip


def run(name: str, mode: str) -> ScenarioRun:
    r = ScenarioRun(scenarios.builtin(name), mode)
    r.run()
    return r


def step(r: ScenarioRun, text: str, nth: int = 0):
    """The *nth* recorded step with this text (stw modes record deferred program steps twice)."""
    hits = [s for s in r.steps if s.text == text]
    assert len(hits) > nth, f"no step {text!r} (#{nth}) in {[s.text for s in r.steps]}"
    return hits[nth]


def step_freeing(r: ScenarioRun, obj: str) -> str:
    for s in r.steps:
        if s.colors.get(obj) == "freed":
            return s.text
    return ""


# -- outcomes -------------------------------------------------------------------------------


def test_the_table_covers_every_builtin_scenario():
    assert set(EXPECTED) == set(NAMES)
    assert NAMES[:3] == ["tricolor", "stw-mark-sweep", "lost-object"]  # the article's order


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.parametrize("name", NAMES)
def test_outcome_matches_scenarios_md(name, mode):
    r = run(name, mode)
    o = r.outcome()
    got = {k: sorted(getattr(o, k)) for k in ("live", "freed", "lost", "floating")}
    want = {k: sorted(v) for k, v in EXPECTED[name][mode].items()}
    assert got == want, render(r)
    # and the scenario file says the same: its expect lines hold under this mode
    assert r.check_expectations() == []
    assert r.sc.expected(mode), f"{name}.scn states no outcome for {mode}"
    # a lost object always comes with checkmark's path to it
    assert sorted(o.lost_paths) == sorted(o.lost)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_files_state_the_outcome_of_every_mode_they_list(name):
    sc = scenarios.builtin(name)
    for mode in sc.modes:
        exp = sc.expected(mode)
        stated = {o for objs in exp.values() for o in objs}
        # every heap object's fate is stated (floating objects are also live or freed)
        assert stated >= set(sc.heap), (mode, set(sc.heap) - stated)


@pytest.mark.parametrize("name", ["insertion-barrier", "hybrid-1", "hybrid-2", "hybrid-3", "hybrid-4"])
def test_rescan_off_variant_listed_where_scenarios_md_asks_for_it(name):
    assert "go1.5-norescan" in scenarios.builtin(name).modes


def test_deletion_barrier_floating_garbage_is_freed_by_the_second_cycle():
    for mode in ("yuasa", "go1.8"):
        r = run("deletion-barrier", mode)
        s = step(r, "program G1: 1.f = nil")
        assert s.shaded == ["5"] and s.colors["5"] == "grey"
        assert "floating garbage" in step(r, "mark done").note
        assert "nothing freed" in step(r, "sweep").note
        for o in ("5", "2", "3"):
            assert step_freeing(r, o) == "gc cycle", mode
    for mode in ("go1.5", "go1.5-norescan", "none"):
        r = run("deletion-barrier", mode)
        assert [step_freeing(r, o) for o in "523"] == ["sweep"] * 3, mode
    for mode in ("stw", "go1.3"):
        r = run("deletion-barrier", mode)
        assert [step_freeing(r, o) for o in "523"] == ["gc cycle"] * 3, mode


def test_hybrid_4_seven_floats_then_goes():
    r = run("hybrid-4", "go1.8")
    s = step(r, "program G1: 4.f = nil")
    assert s.shaded == ["7"]
    assert "the barrier shades 7" in s.note
    assert "floating garbage (marked, yet unreachable now): 7" in step(r, "mark done").note
    assert step_freeing(r, "7") == "gc cycle"
    assert ("4", "f", "2") in r.steps[-1].edges  # 2 and 3 live through 4


# -- lost-object (§3) ---------------------------------------------------------------------------


def test_lost_object_under_none_breaks_both_invariants():
    r = run("lost-object", "none")
    after_scan_4 = step(r, "scan 4").colors
    assert {o: after_scan_4[o] for o in "1234567"} == {
        "1": "black", "4": "black", "2": "grey", "7": "grey", "3": "white", "5": "white", "6": "white",
    }  # fmt: skip
    store = step(r, "program G1: 4.f = x")
    assert "no barrier" in store.note and store.shaded == []
    assert not store.strong and store.broken_edge == ("4", "f", "3")
    assert store.weak  # grey 2 still reaches 3
    assert store.highlight == ("4", "f", "3")
    # 2.f = nil: the grey object lets go of 3; the local x on G1's unscanned
    # (grey) stack still holds it, so the weak invariant breaks only when the
    # local is dropped — the step scenarios.md lists right after.
    cut = step(r, "program G1: 2.f = nil")
    assert not cut.strong and cut.broken_edge == ("4", "f", "3")
    assert cut.weak and cut.roots["G1 stack"] == "grey"
    drop = step(r, "program G1: x = nil")
    assert not drop.weak and drop.weak_edge == ("4", "f", "3")
    for s in r.steps[r.steps.index(drop) : r.steps.index(step(r, "mark done")) + 1]:
        assert not s.weak and s.weak_edge == ("4", "f", "3")
    assert step(r, "scan 2").colors["3"] == "white"  # scanning 2 no longer finds 3
    md = step(r, "mark done")
    assert "checkmark: reachable object(s) left white: 3" in md.note
    assert r.outcome().lost_paths == {"3": "global r2 -> 4 -> 3"}
    sw = step(r, "sweep")
    assert sw.colors["3"] == "freed" and ("4", "f", "3") in sw.edges
    # the next load of 4.f is caught as a dangling pointer
    load = step(r, "program G1: x = 4.f")
    assert "dangling pointer caught: 4.f points to 3" in load.note
    assert len(r.dangling) == 1


@pytest.mark.parametrize(
    "mode, at, how",
    [
        ("go1.5", "program G1: 4.f = x", "insertion"),
        ("go1.5-norescan", "program G1: 4.f = x", "insertion"),
        ("go1.8", "program G1: 4.f = x", "hybrid"),
        ("yuasa", "program G1: 2.f = nil", "deletion"),
    ],
)
def test_lost_object_barrier_shades_3(mode, at, how):
    r = run("lost-object", mode)
    s = step(r, at)
    assert s.shaded == ["3"] and s.colors["3"] == "grey"
    assert "the barrier shades 3" in s.note
    assert all(st.weak for st in r.steps)
    if how != "deletion":  # the insertion half keeps even the strong invariant
        assert all(st.strong for st in r.steps)
    assert "dangling" not in r.steps[-1].note and r.dangling == []


@pytest.mark.parametrize("mode", ["stw", "go1.3"])
def test_stopped_world_defers_the_program_until_marking_is_over(mode):
    r = run("lost-object", mode)
    first = step(r, "program G1: 4.f = x", 0)
    assert first.world_stopped and "this step runs when it restarts" in first.note
    assert ("4", "f", "3") not in first.edges  # not run yet
    again = step(r, "program G1: 4.f = x", 1)
    assert not again.world_stopped and again.note.startswith("4.f = 3")
    md = step(r, "mark done")
    assert r.steps.index(md) < r.steps.index(again)  # the program ran after the mark
    assert all(s.strong and s.weak for s in r.steps)
    assert "write barrier" not in step(r, "gc start").note.replace("no write barrier needed", "")
    if mode == "stw":
        assert "the sweep runs before the world restarts; freed 5, 6" in md.note
        assert "nothing left to sweep" in step(r, "sweep").note
    else:
        assert "the sweep runs beside the program" in md.note
        assert "freed 5, 6" in step(r, "sweep").note


# -- insertion-barrier (§4) ------------------------------------------------------------------------


def _mark_termination_pause(r: ScenarioRun) -> int:
    (ns,) = [ns for _, phase, _, ns in r.rt.gc.pauses if phase == "mark termination"]
    return ns


def test_insertion_barrier_go15_keeps_9_only_thanks_to_the_rescan():
    r = run("insertion-barrier", "go1.5")
    s = step(r, "program G1: 4.f = 7.a")
    assert s.shaded == ["8"] and "the barrier shades 8" in s.note
    s = step(r, "program G1: 1.f = 7.b")
    assert "a stack write: no barrier" in s.note and s.colors["9"] == "white"
    for t in ("program G1: 7.a = nil", "program G1: 7.b = nil"):
        assert "the insertion barrier shades only the new value: nil" in step(r, t).note
    drained = step(r, "drain").colors
    assert drained["7"] == drained["8"] == "black" and drained["9"] == "white"
    # Go 1.5's stacks stay grey until mark termination: 1 -> 9 breaks nothing yet
    for st in r.steps[: r.steps.index(step(r, "mark done"))]:
        if "1" in st.colors and st.phase == "mark":
            assert st.colors["1"] == "grey" and st.roots["G1 stack"] == "grey"
        assert st.strong
    assert "it stays grey" in step(r, "scan stack G1").note
    md = step(r, "mark done")
    assert "every stack is rescanned with the world stopped" in md.note
    assert "shade 9 grey" in md.events and md.colors["9"] == "black"
    assert "6" in r.outcome().freed and "9" in r.outcome().live


def test_insertion_barrier_rescan_pause_shows():
    with_rescan = run("insertion-barrier", "go1.5")
    without = run("insertion-barrier", "go1.5-norescan")
    p_rescan, p_off = _mark_termination_pause(with_rescan), _mark_termination_pause(without)
    assert p_rescan > p_off
    assert f"the world restarts after a {p_rescan} ns pause" in step(with_rescan, "mark done").note
    # the same heap work with no goroutine stack objects at all: a shorter pause
    text = scenarios.builtin("insertion-barrier").source
    drop = ("stack G1", "edge 1.f", "edge 2.f", "step scan stack G1", "step program G1: 1.f")
    stackless = "\n".join(ln for ln in text.splitlines() if not ln.startswith(drop))
    r = ScenarioRun(scenarios.parse(stackless, "stackless.scn"), "go1.5")
    r.run()
    assert _mark_termination_pause(r) < p_rescan


def test_insertion_barrier_without_rescan_loses_9():
    r = run("insertion-barrier", "go1.5-norescan")
    assert "it counts as black" in step(r, "scan stack G1").note
    s = step(r, "program G1: 1.f = 7.b")
    assert not s.strong and s.broken_edge == ("1", "f", "9") and s.weak  # 7 (grey) still reaches 9
    s = step(r, "program G1: 7.b = nil")
    assert not s.weak and s.weak_edge == ("1", "f", "9")
    md = step(r, "mark done")
    assert "stacks are not rescanned" in md.note and "left white: 9" in md.note
    assert r.outcome().lost_paths["9"].endswith("G1.main.o1 -> 9")


def test_insertion_barrier_none_loses_8_and_9_and_deletion_barriers_keep_them():
    r = run("insertion-barrier", "none")
    assert r.outcome().lost_paths["8"] == "global g -> 4 -> 8"
    for mode in ("yuasa", "go1.8"):
        r = run("insertion-barrier", mode)
        assert step(r, "program G1: 7.b = nil").shaded == ["9"]
        if mode == "yuasa":
            assert step(r, "program G1: 7.a = nil").shaded == ["8"]
        else:  # the hybrid barrier shaded 8 already when it was stored into 4
            assert step(r, "program G1: 4.f = 7.a").shaded == ["8"]


# -- colours, roots, modes --------------------------------------------------------------------


def test_tricolor_colours_are_derived_step_by_step():
    r = run("tricolor", "go1.8")
    assert set(r.initial.colors.values()) == {"white"}
    assert set(step(r, "gc start").colors.values()) == {"white"}
    c = step(r, "shade roots").colors
    assert c["1"] == c["4"] == "grey" and c["2"] == "white"
    c = step(r, "scan 1").colors
    assert (c["1"], c["2"], c["4"], c["3"]) == ("black", "grey", "grey", "white")
    c = step(r, "scan 4").colors
    assert (c["4"], c["7"]) == ("black", "grey")
    c = step(r, "scan 2").colors
    assert (c["2"], c["3"]) == ("black", "grey")
    c = step(r, "mark done").colors
    assert {o for o, v in c.items() if v == "white"} == {"5", "6"}
    assert all(s.strong and s.weak for s in r.steps)
    c = step(r, "sweep").colors
    assert c["5"] == c["6"] == "freed" and c["1"] == "white"  # marks are reset by the sweep


def test_yuasa_stacks_are_snapshotted_at_gc_start():
    r = run("insertion-barrier", "yuasa")
    gs = step(r, "gc start")
    assert "stacks snapshotted with the world stopped" in gs.note
    assert {gs.colors[o] for o in "1235"} == {"black"}
    assert "already scanned at GC start (snapshot)" in step(r, "scan stack G1").note
    # the deletion barrier keeps only the weak invariant: 4.f = 8 hangs white under black
    s = step(r, "program G1: 4.f = 7.a")
    assert not s.strong and s.broken_edge == ("4", "f", "8") and s.weak


def test_shade_roots_scans_the_stacks_only_when_the_world_is_stopped():
    assert "stack of G1" in step(run("insertion-barrier", "stw"), "shade roots").note
    for mode in ("go1.5", "go1.8", "none"):
        note = step(run("insertion-barrier", mode), "shade roots").note
        assert note == "root objects shaded grey (globals)", mode


def test_hybrid_stack_objects_created_during_marking_are_black():
    r = run("hybrid-2", "go1.8")
    s = step(r, "program G1: new stack object 9")
    assert s.colors["9"] == "black" and "allocated black" in s.note
    assert "9" not in step(r, "scan stack G1").colors  # not in scope yet
    # no barrier fired in the whole scenario, and none was needed
    assert not any("barrier" in e for st in r.steps for e in st.events)
    assert all(st.strong and st.weak for st in r.steps)


def test_hybrid_1_none_shows_the_lost_object_when_4_lets_go():
    r = run("hybrid-1", "none")
    s = step(r, "program G1: 1.f = 4.f")
    assert not s.strong and s.broken_edge == ("1", "f", "7")
    assert s.weak  # the unscanned global still reaches 7 through 4
    s = step(r, "program G1: 4.f = nil")
    assert not s.weak and s.weak_edge == ("1", "f", "7")
    r = run("hybrid-1", "go1.8")
    assert step(r, "program G1: 4.f = nil").shaded == ["7"]


def test_no_barrier_modes_say_so():
    for mode in ("none",):
        r = run("lost-object", mode)
        assert "no write barrier (unsafe on purpose)" in step(r, "gc start").note
        assert "no barrier" in step(r, "program G1: 2.f = nil").note
    r = run("lost-object", "go1.8")
    assert "write barrier on" in step(r, "gc start").note
    assert "write barrier off" in step(r, "mark done").note


# -- golden step logs ---------------------------------------------------------------------------

GOLDEN_CASES = [(n, m) for n in NAMES for m in scenarios.builtin(n).modes]


@pytest.mark.parametrize("name, mode", GOLDEN_CASES)
def test_golden_step_log(name, mode):
    path = GOLDEN / f"{name}--{mode}.txt"
    got = render(run(name, mode))
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.exists(), f"missing {path}: run with GOMEM_UPDATE_GOLDEN=1"
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{path.name} changed; if intended, GOMEM_UPDATE_GOLDEN=1 and read the diff"


def test_no_stale_golden_files():
    if UPDATE:
        for p in GOLDEN.glob("*.txt"):
            if tuple(p.stem.split("--")) not in GOLDEN_CASES:
                p.unlink()
    have = {tuple(p.stem.split("--")) for p in GOLDEN.glob("*.txt")}
    assert have == set(GOLDEN_CASES)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main(list(args))
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


def test_golden_is_what_the_command_prints():
    rc, out, err = _cli("scenario", "run", "lost-object", "--gc", "none")
    assert (rc, err) == (0, "")
    assert out == (GOLDEN / "lost-object--none.txt").read_text(encoding="utf-8")


def test_all_modes_prints_every_mode_in_turn():
    rc, out, _ = _cli("scenario", "run", "insertion-barrier", "--all-modes")
    assert rc == 0
    modes = scenarios.builtin("insertion-barrier").modes
    assert out == "".join((GOLDEN / f"insertion-barrier--{m}.txt").read_text(encoding="utf-8") for m in modes)


def test_list_names_every_scenario_in_the_articles_order():
    rc, out, _ = _cli("scenario", "list")
    assert rc == 0
    assert [ln.split()[0] for ln in out.splitlines()] == NAMES
    assert len(NAMES) == 9
