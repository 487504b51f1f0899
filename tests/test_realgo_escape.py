"""gomem's escape analysis against the real compiler's (``go build -gcflags "-m -l"``).

The corpus is ``tests/escape_corpus/*.go``: small single-file programs, the
seed article's examples (``seed_*.go``) among them, grouped by what makes
values escape (or not).  Each is built by the installed Go toolchain with
``-gcflags "-m -l"`` (outputs cached per source and toolchain under
``~/.cache/gomem/escape``) and analysed by ``gomem escape FILE -m -l``;
lines ``file.go:LINE:COL: message`` are matched exactly.  The figures:

- precision = lines gomem printed that the compiler printed too / lines gomem printed,
- recall    = lines the compiler printed that gomem printed too / lines the compiler printed,

over the whole corpus, must both be at least 95%, and gomem's output must
equal the compiler's on every seed example.  ``python -m gomem.cmd.escape_eval
tests/escape_corpus -v`` prints the same figures per category with every
mismatched line.

The compiler's outputs are also stored in ``tests/escape_corpus/expected``
(so the figures can be reproduced without Go); a test checks they are what
the installed compiler prints (regenerate with ``python -m
gomem.cmd.escape_eval tests/escape_corpus --update-expected``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from gomem.cmd import escape_eval as ev
from gomem.cmd import realgo

CORPUS = Path(__file__).parent / "escape_corpus"
TARGET = 0.95

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

#: the categories the corpus must cover, each with at least this many programs
CATEGORIES = ("seed", "ret", "chan", "closure", "slice", "map", "iface", "method",
              "goroutine", "large", "append", "misc")
MIN_PER_CATEGORY = 5

#: the seed article's examples (tests/escape_corpus/README.md says where each comes from)
SEED_PROGRAMS = ("seed_fibonacci.go", "seed_println.go", "seed_student.go",
                 "seed_timesmatcher.go", "seed_substring_leak.go", "seed_subslice_leak.go")


def programs() -> list[Path]:
    return ev.corpus_programs(CORPUS)


@functools.lru_cache(maxsize=1)
def compiler_outputs() -> dict[str, list[str]]:
    from concurrent.futures import ThreadPoolExecutor
    progs = programs()
    with ThreadPoolExecutor(max_workers=8) as ex:
        outs = list(ex.map(ev.compiler_lines, progs))
    return {p.name: o for p, o in zip(progs, outs)}


# ------------------------------------------------------------ the corpus itself

def test_corpus_size_and_categories():
    progs = programs()
    assert len(progs) >= 60
    cats: dict[str, int] = {}
    for p in progs:
        cats[ev.category(p)] = cats.get(ev.category(p), 0) + 1
    for c in CATEGORIES:
        assert cats.get(c, 0) >= MIN_PER_CATEGORY, f"category {c}: {cats.get(c, 0)} programs"
    assert set(cats) <= set(CATEGORIES), f"unknown categories: {set(cats) - set(CATEGORIES)}"
    for s in SEED_PROGRAMS:
        assert (CORPUS / s).is_file(), s


def test_corpus_programs_are_small_single_file_main_packages():
    imports_re = re.compile(r'^\s*"([^"]+)"\s*$|^import\s+"([^"]+)"', re.M)
    for p in programs():
        text = p.read_text()
        n = len(text.splitlines())
        assert 5 <= n <= 60, f"{p.name}: {n} lines"
        assert text.startswith("package main\n"), p.name
        assert "\nfunc main() {" in text, p.name
        for m in imports_re.finditer(text):
            path = m.group(1) or m.group(2)
            assert "." not in path.split("/")[0], f"{p.name} imports {path}: standard library only"


def test_every_program_has_stored_compiler_output():
    names = {p.stem for p in programs()}
    stored = {f.stem for f in (CORPUS / "expected").glob("*.txt")}
    assert names == stored, f"missing: {sorted(names - stored)}, stale: {sorted(stored - names)}"


def test_corpus_has_both_escaping_and_non_escaping_lines():
    lines = [ln for p in programs() for ln in ev.stored_lines(CORPUS, p)]
    escapes = sum(ln.endswith("escapes to heap") or ": moved to heap: " in ln or ": leaking param" in ln
                  for ln in lines)
    stays = sum(ln.endswith("does not escape") for ln in lines)
    assert escapes >= 100 and stays >= 100, (escapes, stays)


# -------------------------------------------------------------- the evaluator

def test_normalize_drops_directories_and_headers():
    text = ("# command-line-arguments\n"
            "./main.go:9:2: moved to heap: a\n"
            "/tmp/x/main.go:10:9: func literal escapes to heap \n"
            "main.go:19:13: ... argument does not escape\n"
            "\n")
    assert ev.normalize(text) == ["main.go:9:2: moved to heap: a",
                                  "main.go:10:9: func literal escapes to heap",
                                  "main.go:19:13: ... argument does not escape"]


def test_compare_counts_repeated_lines():
    exp = ["a.go:1:1: x", "a.go:1:1: x", "a.go:2:1: y"]
    got = ["a.go:1:1: x", "a.go:3:1: z"]
    r = ev.compare("a.go", exp, got)
    assert r.matched == 1
    assert r.missing == ["a.go:1:1: x", "a.go:2:1: y"]
    assert r.extra == ["a.go:3:1: z"]
    assert not r.exact
    assert ev.compare("a.go", exp, list(reversed(exp))).exact


def test_figures_are_over_lines_not_programs():
    rep = ev.Report([ev.compare("ret_a.go", ["ret_a.go:1:1: x"] * 3, ["ret_a.go:1:1: x"]),
                     ev.compare("ret_b.go", ["ret_b.go:1:1: y"], ["ret_b.go:1:1: y", "ret_b.go:2:1: z"])],
                    "stored")
    t = rep.total
    assert (t.matched, t.compiler, t.gomem) == (2, 4, 3)
    assert t.precision == pytest.approx(2 / 3) and t.recall == pytest.approx(2 / 4)
    assert rep.categories() == ["ret"]


def test_lines_in_other_files_are_not_compared():
    # generic standard-library code instantiated by the program is reported in its own files
    exp = ["c.go:3:1: x", "zsortanyfunc.go:13:23: slices.f ignoring self-assignment in a = a"]
    r = ev.compare("c.go", exp, ["c.go:3:1: x"])
    assert r.exact and r.matched == 1 and r.other_files == 1
    assert r.expected == ["c.go:3:1: x"]


# ---------------------------------------------------- against the real compiler

@requires_go
@pytest.mark.realgo
def test_stored_outputs_match_installed_compiler():
    out = compiler_outputs()
    stale = []
    for p in programs():
        if ev.stored_lines(CORPUS, p) != out[p.name]:
            stale.append(p.name)
    assert not stale, ("tests/escape_corpus/expected is not what the installed compiler prints for "
                       f"{stale}; regenerate: python -m gomem.cmd.escape_eval tests/escape_corpus --update-expected")


@requires_go
@pytest.mark.realgo
def test_corpus_programs_are_gofmt_clean():
    # positions in expected/ depend on the formatting
    import subprocess
    gofmt = Path(realgo.goroot()) / "bin" / "gofmt"
    if not gofmt.is_file():
        pytest.skip(f"no gofmt in {gofmt.parent}")
    r = subprocess.run([str(gofmt), "-l", *map(str, programs())], capture_output=True, text=True,
                       env=realgo.go_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"not gofmt-formatted: {r.stdout.split()}"


@requires_go
@pytest.mark.realgo
def test_seed_transcripts_match_the_article():
    # The article's own transcripts, where Go 1.27 still prints them word for word.
    out = compiler_outputs()
    assert out["seed_fibonacci.go"] == [
        "seed_fibonacci.go:9:2: moved to heap: a",
        "seed_fibonacci.go:9:5: moved to heap: b",
        "seed_fibonacci.go:10:9: func literal escapes to heap",
        "seed_fibonacci.go:19:13: ... argument does not escape",
        "seed_fibonacci.go:19:34: f() escapes to heap",
    ]
    student = out["seed_student.go"]
    for line in ("seed_student.go:10:22: leaking param: name",
                 "seed_student.go:11:10: new(Student) escapes to heap",
                 "seed_student.go:18:13: ... argument does not escape"):
        assert line in student
    # the article prints `s escapes to heap`; Go 1.27 names the constant the string came from
    assert "seed_println.go:7:13: ... argument does not escape" in out["seed_println.go"]


def _measure() -> ev.Report:
    why = ev.gomem_available()
    if why is not None:
        pytest.skip(why)
    return _measured()


@functools.lru_cache(maxsize=1)
def _measured() -> ev.Report:
    return ev.evaluate(CORPUS, use_go=True)


@requires_go
@pytest.mark.realgo
def test_gomem_escape_precision_and_recall():
    rep = _measure()
    t = rep.total
    if not (t.precision >= TARGET and t.recall >= TARGET):
        pytest.fail(ev.format_report(rep, verbose=True), pytrace=False)


@requires_go
@pytest.mark.realgo
def test_gomem_escape_exact_on_seed_examples():
    rep = _measure()
    seeds = [r for r in rep.results if r.category == "seed"]
    assert len(seeds) == len(SEED_PROGRAMS)
    bad = ev.Report([r for r in seeds if not r.exact], rep.source)
    if bad.results:
        pytest.fail("gomem escape differs from the compiler on the seed examples:\n"
                    + ev.format_mismatches(bad), pytrace=False)
