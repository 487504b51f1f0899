"""gomem check: every era's barrier proven safe within the default bound, every broken variant refuted.

Each counterexample is replayed through the scenario engine (``gomem
scenario run``'s code: the full mark termination with checkmark, then the
sweep) and must lose the same object.  The mutation tests break the engine
in three places and the checker must notice each.
"""

from __future__ import annotations

import json
import random
import sys

import pytest

from gomem.cmd import cli
from gomem.runtime import mbarrier
from gomem.modelcheck import cli as check_cli
from gomem.modelcheck.explore import Explorer, independent, parse_transition
from gomem.modelcheck.expand import advance, initial
from gomem.modelcheck.search import search
from gomem.modelcheck.universe import from_scenario, generated
from gomem.scenarios import ScenarioRun, builtin
from gomem.scenarios.format import parse

SAFE = ["go1.8", "go1.5", "yuasa", "stw"]
REFUTED = ["none", "go1.5-norescan", "go1.8-noshade-old", "go1.8-noshade-new", "yuasa-nosnapshot", "go1.8-allocwhite"]


def default_universe():
    return generated(check_cli.DEFAULT_GOROUTINES, check_cli.DEFAULT_OBJECTS, check_cli.DEFAULT_STEPS,
                     check_cli.DEFAULT_ALLOCS)


_RESULTS: dict = {}


def verdict(mode: str):
    if mode not in _RESULTS:
        _RESULTS[mode] = search(default_universe(), mode)
    return _RESULTS[mode]


def replay(mode: str, res) -> ScenarioRun:
    """The counterexample as a scenario file, parsed and run by the scenario engine."""
    text = check_cli.counterexample_scn(default_universe(), res)
    run = ScenarioRun(parse(text, f"check-{mode}.scn"), mode)
    run.run()
    return run


# -- the verdicts ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", SAFE)
def test_every_era_is_safe_within_the_default_bound(mode):
    res = verdict(mode)
    assert res.safe and res.complete, res.counterexample
    assert res.explored >= res.distinct > 1
    if mode != "stw":  # the stop-the-world mark lets no program step in: nothing to interleave
        assert res.terminals > 10 and res.distinct > 1000


@pytest.mark.parametrize("mode", REFUTED)
def test_every_broken_variant_is_refuted_and_the_counterexample_replays(mode):
    res = verdict(mode)
    assert not res.safe and res.lost
    assert res.counterexample[0] == "gc start" and res.counterexample[-2:] == ["mark done", "sweep"]
    run = replay(mode, res)
    out = run.outcome()
    assert out.lost == res.lost  # the same object, lost by the real mark termination and sweep
    assert sorted(out.lost_paths) == res.lost  # and checkmark names it
    assert run.check_expectations() == []


def test_the_variants_are_unsafe_variants_of_real_eras():
    for mode in REFUTED[1:]:
        m = mbarrier.MODES[mode]
        assert m.variant_of in mbarrier.ARTICLE_MODES and m.safe is False


def steps_of(res) -> list[str]:
    return [s.split(": ", 1)[1] for s in res.counterexample if s.startswith("program ")]


def test_why_each_half_of_the_hybrid_barrier_is_needed():
    """The counterexamples are the article's two moves, one per missing half."""
    # without shade(*slot): the only pointer to 2 moves from the heap onto the scanned (black) stack
    old = verdict("go1.8-noshade-old")
    assert steps_of(old) == ["s1.f = 1.f", "1.f = nil"] and old.lost == ["2"]
    assert old.counterexample.index("scan stack G1") < old.counterexample.index("program G1: s1.f = 1.f")
    # without shade(new): the only pointer to 3 moves from the unscanned (grey) stack into black 1
    new = verdict("go1.8-noshade-new")
    assert steps_of(new) == ["1.f = s1.f", "s1.f = nil"] and new.lost == ["3"]
    assert new.counterexample.index("scan 1") < new.counterexample.index("program G1: 1.f = s1.f")
    assert new.counterexample.index("program G1: s1.f = nil") < new.counterexample.index("scan stack G1")
    # Yuasa without the snapshot fails the same way; allocating white loses the new object
    assert steps_of(verdict("yuasa-nosnapshot")) == steps_of(new)
    assert steps_of(verdict("go1.8-allocwhite")) == ["s1.f = new 4"] and verdict("go1.8-allocwhite").lost == ["4"]


def test_the_counterexample_is_the_shortest():
    """Breadth first: no interleaving one step shorter loses anything; at its length one does."""
    res = verdict("go1.8-noshade-old")
    n = len(res.counterexample) - 2  # transitions after gc start, without the sweep
    shorter = search(default_universe(), "go1.8-noshade-old", max_depth=n - 1)
    assert shorter.safe and not shorter.complete
    same = search(default_universe(), "go1.8-noshade-old", max_depth=n)
    assert same.counterexample == res.counterexample


# -- scenario files -----------------------------------------------------------------------------


def test_a_scenario_files_program_in_every_interleaving():
    u = from_scenario(builtin("lost-object"))
    assert search(u, "go1.8").safe
    res = search(u, "none")
    assert res.lost == ["3"]
    run = ScenarioRun(parse(check_cli.counterexample_scn(u, res), "cx.scn"), "none")
    run.run()
    assert run.outcome().lost == ["3"]
    # hybrid-4 is harmless without a barrier in the article's order, not in every order
    assert search(from_scenario(builtin("hybrid-4")), "none").lost


# -- the command --------------------------------------------------------------------------------


def test_cli_safe(capsys, tmp_path):
    js = tmp_path / "v.json"
    rc = cli.main(["check", "--gc", "yuasa", "--steps", "2", "--json", str(js)])
    out = capsys.readouterr().out
    assert rc == 0
    doc = json.loads(js.read_text())
    assert doc["verdict"] == "safe" and doc["states_explored"] > 0 and doc["states_per_minute"] > 0
    assert out.splitlines()[-1] == f"no lost object in {doc['states_explored']} states"
    assert "distinct" in out and "states/min" in out


def test_cli_refuted_prints_a_replayable_scenario(capsys, tmp_path):
    html = tmp_path / "cx.html"
    rc = cli.main(["check", "--gc", "go1.8-noshade-new", "--replay", str(html)])
    out = capsys.readouterr().out
    assert rc == 4
    scn = tmp_path / "cx.scn"
    scn.write_text(out)  # stdout is a scenario file as it is (the report is comments)
    assert "expect go1.8-noshade-new: lost 3" in out
    assert "check-go1.8-noshade-new" in html.read_text()
    rc = cli.main(["scenario", "run", str(scn), "--gc", "go1.8-noshade-new"])
    text = capsys.readouterr().out
    assert rc == 0
    assert "lost 3" in text and "expectations: all met" in text


@pytest.mark.parametrize("argv, msg", [
    (["check", "--objects", "0"], "--objects must be at least 1"),
    (["check", "--steps", "9"], "too large"),
    (["check", "--workers", "-1"], "--workers"),
    (["check", "--gc", "go1.4"], "invalid choice"),
    (["check", "nosuch"], "unknown scenario"),
    (["check", "lost-object", "--steps", "1"], "a scenario brings its own"),
    (["check", "hybrid-2"], "new stack object"),
    (["check", "--json", "/nonexistent/dir/x.json"], "x.json"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, argv, msg):
    rc = cli.main(argv)
    err = capsys.readouterr().err
    assert rc == 2
    assert msg in err and len(err.strip().splitlines()) == 1


# -- the engine underneath: restore is faithful, the reduction is sound ----------------------------


def test_restore_reaches_the_same_states_as_a_straight_run():
    """Random paths run on one engine with restores between siblings equal the same path on a fresh engine."""
    u = default_universe()
    rng = random.Random(7)
    ex = Explorer(u, "go1.8")
    root = ex.checkpoint()
    allocated = 0
    for _ in range(6):
        ex.restore(root)
        left = initial(u)
        path = []
        while True:
            ts = [t for t in ex.enabled(left, None) if t.kind != "done"]
            if not ts:
                break
            ck = ex.checkpoint()
            # wander: run a sibling, then come back
            sib = rng.choice(ts)
            ex.apply(sib)
            ex.restore(ck)
            t = rng.choice(ts)
            ex.apply(t)
            left = advance(u, ex.gnames, left, t)
            path.append(t)
        fresh = Explorer(u, "go1.8")
        fl = initial(u)
        for t in path:
            fresh.apply(parse_transition(t.text, fresh.where))
            fl = advance(u, fresh.gnames, fl, t)
        assert fresh.digest(fl) == ex.digest(left), [t.text for t in path]
        allocated += any(t.alloc for t in path)
    assert allocated  # the allocator's state was restored too


def test_independent_transitions_commute_on_the_engine():
    """Whatever independent() calls independent reaches one state in either order (checked on the real engine)."""
    u = generated(2, 3, 2, 1)
    ex = Explorer(u, "go1.8")
    rng = random.Random(3)
    checked = 0
    for _ in range(30):
        ck = ex.checkpoint()
        left = initial(u)
        ts = [t for t in ex.enabled(left, None) if t.kind != "done"]
        pairs = [(a, b) for a in ts for b in ts if a.text < b.text and independent(a, b)]
        for a, b in rng.sample(pairs, min(4, len(pairs))):
            results = []
            for x, y in ((a, b), (b, a)):
                ex.restore(ck)
                ex.apply(x)
                ex.apply(y)
                results.append(ex.digest(advance(u, ex.gnames, advance(u, ex.gnames, left, x), y)))
            assert results[0] == results[1], (a, b)
            checked += 1
        # move on to a state a bit into the cycle
        ex.restore(ck)
        t = rng.choice([t for t in ts if t.kind != "prog"] or ts)
        ex.apply(t)
    assert checked > 20


def test_reduction_changes_no_verdict(monkeypatch):
    """The same bound without sleep sets (every transition from every state) explores more, finds the same."""
    expand_mod = sys.modules["gomem.modelcheck.expand"]
    u = generated(1, 3, 2, 1)
    with_por = search(u, "go1.8-noshade-old")
    monkeypatch.setattr(expand_mod, "independent", lambda a, b: False)
    without = search(u, "go1.8-noshade-old")
    safe_without = search(u, "go1.8")
    monkeypatch.undo()
    assert without.lost == with_por.lost and len(without.counterexample) == len(with_por.counterexample)
    assert safe_without.safe and safe_without.explored > search(u, "go1.8").explored


def test_two_worker_processes_give_the_same_verdict():
    u = generated(1, 3, 2, 1)
    one, two = search(u, "go1.8"), search(u, "go1.8", workers=2)
    assert two.safe and two.distinct == one.distinct and two.workers == 2
    assert search(u, "none", workers=2).lost == search(u, "none").lost


# -- mutation tests: break the engine, the checker must notice ------------------------------------


def test_mutation_skip_one_barrier_call(monkeypatch):
    """Heap stores stop calling the write barrier: go1.8 is no better than no barrier."""
    monkeypatch.setattr(mbarrier.WriteBarrier, "store", lambda self, p, old, new, slot: None)
    res = search(generated(1, 3, 2, 0), "go1.8")
    assert res.lost
    run = ScenarioRun(parse(check_cli.counterexample_scn(generated(1, 3, 2, 0), res), "m.scn"), "go1.8")
    run.run()
    assert run.outcome().lost == res.lost


def test_mutation_skip_one_root(monkeypatch):
    """The root jobs leave out the last goroutine's stack: what only it reaches is lost."""
    orig = mbarrier.ConcurrentStacks.root_jobs
    monkeypatch.setattr(mbarrier.ConcurrentStacks, "root_jobs", lambda self, gs: orig(self, gs)[:-1])
    u = generated(1, 3, 1, 0)
    res = search(u, "go1.8")
    assert res.lost == ["3"]  # reachable only from s1.f
    assert "scan stack G1" not in res.counterexample


def test_mutation_sweep_before_mark_termination(monkeypatch):
    """Go 1.5's mark termination sweeps before its stop-the-world rescan: the rescan finds a freed object."""
    orig = mbarrier.RescanStacks.mark_termination

    def sweep_first(self, gc, gcw):
        gc._gc_sweep()
        gc.heap.sweeper.finish()
        return orig(self, gc, gcw)

    monkeypatch.setattr(mbarrier.RescanStacks, "mark_termination", sweep_first)
    u = generated(1, 3, 2, 0)
    res = search(u, "go1.5")
    assert res.lost
    run = ScenarioRun(parse(check_cli.counterexample_scn(u, res), "m.scn"), "go1.5")
    run.run()
    # the early sweep reset the mark bits: checkmark finds the same objects unmarked, and the real
    # sweep frees them (an object only a freed one pointed to counts as freed, not lost)
    out = run.outcome()
    assert sorted(out.lost_paths) == res.lost
    assert out.lost and set(out.lost) <= set(res.lost)


def test_unbroken_engine_passes_the_mutation_bounds():
    """The three mutation bounds are safe on the real engine: the mutations, not the bounds, lose objects."""
    assert search(generated(1, 3, 2, 0), "go1.8").safe
    assert search(generated(1, 3, 1, 0), "go1.8").safe
    assert search(generated(1, 3, 2, 0), "go1.5").safe


def test_the_benchmark_runs_and_prints_its_figures():
    import subprocess
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "modelcheck.py"
    r = subprocess.run([sys.executable, str(bench), "--quick"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "states/min" in r.stdout and "go1.8" in r.stdout and "lost 2" in r.stdout
