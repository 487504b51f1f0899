"""User-written scenarios: the ``.scn`` format, running a file, and bad files.

A scenario file (``tests/scenario_files/queue.scn`` is an example) runs with
``gomem scenario run PATH --gc MODE`` exactly like a built-in one.  A file
that cannot run gives one line on stderr, ``gomem: FILE:LINE: what is
wrong``, and exit status 2 — whether the problem is found while parsing (an
unknown object or directive, a heap object pointing into a stack) or only
when a step runs (a step that cannot run now, a program store that would make
a stack object escape).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from gomem.cmd import cli
from gomem import scenarios
from gomem.scenarios import ScenarioError, ScenarioRun, parse

FILES = Path(__file__).parent / "scenario_files"
QUEUE = FILES / "queue.scn"


def gomem(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main(list(args))
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


# -- a user's own scenario --------------------------------------------------------------------


def test_user_scenario_runs_from_the_command_line():
    rc, out, err = gomem("scenario", "run", str(QUEUE), "--gc", "go1.8")
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "scenario queue under --gc go1.8: A queue's head moves on while the collector marks"
    steps = [ln.split(None, 2)[2] for ln in lines if ln.startswith("step ")]
    assert steps == [
        "gc start", "shade roots", "scan stack G1", "scan a",
        "program G1: p = b.f", "program G1: a.f = p", "program G1: b.f = nil", "program G1: p = nil",
        "drain", "mark done", "sweep",
    ]  # fmt: skip
    assert "a.f = c (a heap write; the barrier shades c)" in out
    assert "events: barrier hybrid: old b, new c; shade c grey" in out  # b was grey already
    assert "outcome: live a b c d; freed -; lost -; floating b" in out
    assert out.rstrip().endswith("expectations: all met")


def test_user_scenario_under_every_mode_it_lists():
    rc, out, _ = gomem("scenario", "run", str(QUEUE), "--all-modes")
    assert rc == 0
    sc = scenarios.load(str(QUEUE))
    assert [ln.split()[4].rstrip(":") for ln in out.splitlines() if ln.startswith("scenario ")] == sc.modes
    assert out.count("expectations: all met") == len(sc.modes)
    assert "lost c: checkmark path global q -> a -> c" in out  # under none


def test_user_scenario_in_process():
    sc = scenarios.load(str(QUEUE))
    assert (sc.name, sc.origin) == ("queue", str(QUEUE))
    assert sc.stacks == {"G1": ["s"]} and sc.locals == {"G1": ["p"]}
    assert ("s", "f", "d") in sc.edges and sc.globals == [("q", "a")]
    for mode in sc.modes:
        r = ScenarioRun(sc, mode)
        r.run()
        assert r.check_expectations() == [], mode
    r = ScenarioRun(sc, "none")
    r.run()
    s = [st for st in r.steps if st.text == "program G1: p = nil"][0]
    assert not s.weak and s.weak_edge == ("a", "f", "c")


def test_a_scenario_may_be_given_as_text():
    sc = parse(
        "scenario tiny\n"
        "global r -> 1\n"
        "heap 1 2 3   # 3 is garbage\n"
        "edge 1.b -> 2\n"
        "step gc start\nstep drain\nstep mark done\nstep sweep\n"
        "expect *: live 1 2; freed 3\n"
    )
    for mode in ("stw", "go1.3", "go1.5", "yuasa", "go1.8", "none", "go1.5-norescan"):
        r = ScenarioRun(sc, mode)
        r.run()
        o = r.outcome()
        assert (o.live, o.freed, o.lost, o.floating) == (["1", "2"], ["3"], [], []), mode
        assert r.check_expectations() == []


def test_expectations_not_met_are_reported():
    sc = parse("scenario wrong\nglobal r -> 1\nheap 1 2\nstep gc start\nstep mark done\nstep sweep\nexpect go1.8: live 2\n")
    r = ScenarioRun(sc, "go1.8")
    r.run()
    assert r.check_expectations() == ["expected 2 live"]
    from gomem.scenarios.text import render

    assert "expectations: NOT MET: expected 2 live" in render(r)


# -- bad files --------------------------------------------------------------------------------

BAD = [
    ("bad-unknown-object.scn", 5, "edge 2.f -> 3 names unknown object 3"),
    ("bad-heap-to-stack.scn", 8, "heap object 4 cannot point to stack object 2: it would have escaped to the heap"),
    ("bad-directive.scn", 3, "unknown directive 'pointer'"),
    ("bad-mode.scn", 2, "unknown GC mode 'go1.9'"),
    ("bad-scan-white.scn", 6, "scan 5: 5 is white, only a grey object can be scanned now"),
    ("bad-mark-done-early.scn", 4, "mark done: no GC cycle is running"),
    ("bad-sweep-while-marking.scn", 6, "sweep: marking is not finished"),
    ("bad-store-stack-into-heap.scn", 6, "heap object 4 cannot point to stack object 1: it would have escaped to the heap"),
]  # fmt: skip


@pytest.mark.parametrize("fname, line, msg", BAD)
def test_bad_file_gives_one_line_with_file_and_line(fname, line, msg):
    path = str(FILES / fname)
    rc, out, err = gomem("scenario", "run", path, "--gc", "go1.8")
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"gomem: {path}:{line}: "), err
    assert msg in err


def test_every_bad_file_is_tested():
    assert {p.name for p in FILES.glob("bad-*.scn")} == {f for f, _, _ in BAD}


def test_unknown_mode_on_the_command_line():
    rc, out, err = gomem("scenario", "run", str(QUEUE), "--gc", "go1.9")
    assert rc == 2 and out == ""
    assert err.startswith("gomem: ") and "invalid choice: 'go1.9'" in err and err.count("\n") == 1


def test_missing_file_and_unknown_name():
    rc, _, err = gomem("scenario", "run", str(FILES / "nope.scn"))
    assert rc == 2 and "cannot read scenario" in err
    rc, _, err = gomem("scenario", "run", "no-such-scenario")
    assert rc == 2 and "unknown scenario 'no-such-scenario'" in err and "lost-object" in err


@pytest.mark.parametrize(
    "text, msg",
    [
        ("heap 1\n", "x.scn:1: a scenario file starts with 'scenario NAME'"),
        ("scenario s\nheap 1\nedge 1.g -> 1\n", "x.scn:3: unknown field 'g'"),
        ("scenario s\nheap 1\nedge 1 -> 1\n", "x.scn:3: want 'edge OBJECT.FIELD -> OBJECT'"),
        ("scenario s\nstack G1 1\nglobal r -> 1\n", "x.scn:3: global r cannot point to stack object 1: it would have escaped"),
        ("scenario s\nglobal r -> 9\nheap 1\n", "x.scn:2: global r points to unknown object 9"),
        ("scenario s\nheap 1 2\nheap 2\n", "x.scn:2: object 2 declared twice"),
        ("scenario s\nstack G1 1\nstack G2 2\nedge 1.f -> 2\n", "x.scn:4: 1 and 2 are on different goroutines' stacks"),
        ("scenario s\nheap 1\nexpect go1.8: live 7\n", "x.scn:3: expect go1.8 names unknown object 7"),
        ("scenario s\nheap 1\nexpect go1.8: alive 1\n", "x.scn:3: unknown outcome 'alive'"),
        ("scenario s\nheap 1\nexpect go2: live 1\n", "x.scn:3: unknown GC mode 'go2'"),
        ("scenario s\nheap 1\nlocal G1 1\n", "x.scn:3: local 1 has the name of an object"),
        ("", "x.scn: empty scenario"),
    ],
)
def test_parse_errors_name_file_and_line(text, msg):
    with pytest.raises(ScenarioError) as ei:
        parse(text, "x.scn")
    assert msg in str(ei.value)


@pytest.mark.parametrize(
    "steps, msg",
    [
        ("step frobnicate\n", "x.scn:7: unknown step 'frobnicate'"),
        ("step gc start\nstep scan 7\n", "x.scn:8: unknown object 7"),
        ("step gc start\nstep scan 1\n", "x.scn:8: scan 1: 1 is a stack object; scan its stack instead"),
        ("step gc start\nstep gc start\n", "x.scn:8: gc start: a cycle is already running"),
        ("step gc start\nstep scan stack G7\n", "x.scn:8: unknown goroutine G7"),
        ("step gc start\nstep program G1: 4.f = y\n", "x.scn:8: y is neither an object nor a local of G1"),
        ("step gc start\nstep program G1: 4.g = nil\n", "x.scn:8: unknown field 'g'"),
        ("step gc start\nstep program G1: 1.f = 2\n", "x.scn:8: stack object 2 is not in scope yet"),
        ("step gc start\nstep program G1: 4 gets 1\n", "x.scn:8: cannot parse statement '4 gets 1'"),
        ("step gc start\nstep program G1: new stack object 4\n", "x.scn:8: 4 is not a stack object of G1"),
        ("step gc start\nstep program G1: 1.f = 9\n", "x.scn:8: 1.f = 9: 9 is on another goroutine's stack"),
        ("step gc start\nstep program G2: x = 1\n", "x.scn:8: G2 has no local x"),
    ],
)
def test_step_errors_name_file_and_line(steps, msg):
    sc = parse(
        "scenario s\nglobal r -> 4\nstack G1 1 2\nstack G2 9\nheap 4\nlocal G1 x\n" + steps + "step program G1: new stack object 2\n",
        "x.scn",
    )
    with pytest.raises(ScenarioError) as ei:
        ScenarioRun(sc, "go1.8").run()
    assert msg in str(ei.value)


def test_builtin_errors_name_the_builtin_file():
    sc = scenarios.builtin("tricolor")
    assert sc.origin == "tricolor.scn"
    r = ScenarioRun(sc, "go1.8")
    r.step("gc start")
    with pytest.raises(ScenarioError, match=r"^tricolor\.scn:3: scan 5: 5 is white"):
        r.step("scan 5", 3)


def test_decode_names_file_and_position():
    """Issue 17: bytes that are not UTF-8 are one ScenarioError with FILE:LINE:COL and the byte offset."""
    from gomem.scenarios.format import ScenarioError, decode

    assert decode(b"scenario x\n", "a.scn") == "scenario x\n"
    with pytest.raises(ScenarioError, match=r"^b\.scn:3:2: not a scenario: not UTF-8 text \(byte 0xff at offset 7\)$"):
        decode(b"a\nbcd\ne\xff", "b.scn")
