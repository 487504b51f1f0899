"""``gomem leaks`` and the leaks-over-time samples (issue 12, parts 3 and 4).

Every leak of the article shows in its leaky program — the evidence its registry entry names:
a growing site or a growing goroutine count — and its fixed program shows none; the per-cycle
in-use figures agree with the heap profile Go publishes after ``runtime.GC()``; the rule flags
only figures that rise every cycle by enough; the command lists, runs, writes its page and its
JSON, and refuses bad input in one line with status 2; the run report gains the charts only with
a heap profile; and every program prints on the model what it prints on real Go.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from gomem import leaks
from gomem.cmd import realgo
from gomem.cmd.cli import main
from gomem.cmd.leaks import run_program, verdict
from gomem.runtime import sitegrowth
from gomem.runtime.sitegrowth import CycleSample, goroutines_growing, growing_sites

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

ARTICLE = {"blocked-goroutine", "lock-never-released", "deadlock", "ticker-not-stopped", "substring", "subslice",
           "array-by-value"}

_RUNS: dict = {}


def _run(name: str, fixed: bool):
    """One run per program for the whole module (each takes well under a second)."""
    key = (name, fixed)
    if key not in _RUNS:
        _RUNS[key] = run_program(leaks.get(name), fixed)
    return _RUNS[key]


# -- the rule ---------------------------------------------------------------------------------------


def _samples(series: list[int], goroutines: list[int] | None = None) -> list[CycleSample]:
    gs = goroutines or [1] * len(series)
    return [CycleSample(i + 1, 1000 * (i + 1), g, sites={"main.f x.go:1": [b, 1]} if b else {}) for i, (b, g) in enumerate(zip(series, gs))]


def test_rule_flags_a_site_rising_every_cycle_by_enough():
    got = growing_sites(_samples([0, 4096, 8192, 12288]))
    assert [g.site for g in got] == ["main.f x.go:1"]
    assert got[0].series == (0, 4096, 8192, 12288) and got[0].per_cycle == 4096


@pytest.mark.parametrize("series", [
    [4096, 8192, 8192, 12288],  # flat in one cycle of the window
    [4096, 8192, 4096, 12288],  # freed again
    [1000, 1300, 1600, 1900],  # rising, but less than MIN_GROWTH in all
    [4096, 8192, 12288],  # too few cycles
])
def test_rule_leaves_a_site_that_does_not_rise_every_cycle_by_enough(series):
    assert growing_sites(_samples(series)) == []


def test_rule_only_looks_at_the_last_cycles():
    assert growing_sites(_samples([50000, 0, 4096, 8192, 12288])) != []
    assert growing_sites(_samples([0, 4096, 8192, 12288, 12288])) == []


def test_goroutine_rule():
    assert goroutines_growing(_samples([0] * 4, [1, 2, 3, 4]))
    assert not goroutines_growing(_samples([0] * 5, [1, 2, 3, 4, 4]))
    assert not goroutines_growing(_samples([0] * 3, [1, 2, 3]))


# -- the leaks --------------------------------------------------------------------------------------


def test_the_article_leaks_are_all_there():
    assert set(leaks.names()) == ARTICLE
    for leak in leaks.LEAKS:
        assert leak.evidence in ("goroutines", "heap")
        for text in (leak.title, leak.article, leak.what_happens, leak.look_at, leak.fix):
            assert text and text.isascii(), f"{leak.name}: every explanation in English"
        assert "package main" in leak.source(False) and "package main" in leak.source(True)


@pytest.mark.parametrize("name", sorted(ARTICLE))
def test_leak_shows_in_the_leaky_program(name):
    leak = leaks.get(name)
    r = _run(name, False)
    assert r.leaks
    assert len(r.growth.samples) >= sitegrowth.CYCLES + 1
    if leak.evidence == "goroutines":
        assert r.goroutines_growing
        counts = [s.goroutines for s in r.growth.samples]
        assert counts[-1] - counts[0] >= sitegrowth.CYCLES
        # each leaked goroutine keeps at least the 2 KiB stack a goroutine starts with
        assert r.growth.samples[-1].stacks - r.growth.samples[0].stacks >= 2048 * (counts[-1] - counts[0])
        # the goroutines left at the end are blocked, each in a main function, started by one
        assert r.growth.blocked
        assert all(b.wait_reason not in ("running", "runnable") and b.function.startswith("main.") for b in r.growth.blocked)
        assert len(r.growth.blocked) == counts[-1] - 1  # all but main
    else:
        main_sites = [g for g in r.growing if g.site.startswith("main.")]
        assert main_sites, f"{name}: no main.* site grows: {r.growing}"
        assert main_sites[0].per_cycle >= 32 << 10  # the 64 KiB retained every round
        assert not r.growth.blocked


@pytest.mark.parametrize("name", sorted(ARTICLE))
def test_the_fixed_program_shows_no_leak(name):
    r = _run(name, True)
    assert not r.growing and not r.goroutines_growing and not r.leaks
    assert r.growth.blocked == []
    assert len(r.growth.samples) >= sitegrowth.CYCLES + 1


@pytest.mark.parametrize("name", ["substring", "deadlock"])
@pytest.mark.parametrize("fixed", [False, True])
def test_in_use_by_site_is_the_heap_profile_after_the_last_gc(name, fixed, monkeypatch):
    """After runtime.GC() Go's heap profile is exact up to that GC: its in-use bytes by site are the
    last sample's, which was read from the mark bits instead.  (Run without the goroutine leak
    detector at the end, whose own cycle would bring the profile one GC further.)"""
    from gomem.cmd import leaks as leaks_cmd

    monkeypatch.setattr(leaks_cmd, "GOROUTINE_LEAK_PROFILE", None)
    r = run_program(leaks.get(name), fixed)
    profile: dict[str, int] = {}
    for rec in r.growth.rt.memprof.records(inuse_zero=False):
        site = r.growth.site_of(rec.stack)
        profile[site] = profile.get(site, 0) + rec.in_use_bytes
    assert profile == {site: b for site, (b, _) in r.growth.samples[-1].sites.items()}


def test_verdict():
    leaky, fixed = _run("subslice", False), _run("subslice", True)
    assert verdict(leaky, fixed)[0]
    assert not verdict(leaky, leaky)[0]  # the "fixed" one leaks
    assert not verdict(fixed, fixed)[0]  # no leak showed
    assert verdict(None, fixed)[0] and not verdict(None, leaky)[0]


# -- the command ------------------------------------------------------------------------------------


def test_list(capsys):
    assert main(["leaks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == leaks.names()
    assert all(leak.title in line for leak, line in zip(leaks.LEAKS, lines))


def test_run_both_prints_explanation_evidence_and_verdict(capsys):
    assert main(["leaks", "blocked-goroutine"]) == 0
    out = capsys.readouterr().out
    leak = leaks.get("blocked-goroutine")
    assert out.startswith(f"gomem leaks blocked-goroutine: {leak.title}")
    assert "leaky: blocked_goroutine.go" in out and "fixed: blocked_goroutine_fixed.go" in out
    assert "goroutines at each GC: 2 3 4 5 6 7 8 9 (growing)" in out
    assert "8 x [chan receive] in main.squares.func1, created by main.squares" in out
    last = out.rstrip().splitlines()[-1]
    assert re.fullmatch(r"verdict: the leak shows in blocked_goroutine\.go \((1 growing site and )?a growing goroutine count\) "
                        r"and not in blocked_goroutine_fixed\.go", last), last
    # the goroutine descriptors the leaked goroutines keep are the runtime's own site
    assert "(runtime): +" in out


def test_run_fixed_only(capsys):
    assert main(["leaks", "substring", "--fixed"]) == 0
    out = capsys.readouterr().out
    assert "leaky:" not in out and "substring_fixed.go prints:" in out
    assert out.rstrip().endswith("verdict: no leak in substring_fixed.go")


@pytest.mark.parametrize("argv", [["leaks", "nope"], ["leaks", "--fixed"], ["leaks", "--html", "x.html"]])
def test_bad_input_is_one_line_and_status_2(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert re.fullmatch(r"gomem: [^\n]+\n", cap.err), cap.err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_fails_before_running_and_writes_nothing(tmp_path, capsys):
    page = tmp_path / "page.html"
    assert main(["leaks", "subslice", "--html", str(page), "--json", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err.startswith("gomem: ") and cap.err.count("\n") == 1
    assert not page.exists()


class _Tags(HTMLParser):
    """Checks that every element opened is closed in order (void elements aside)."""

    VOID = {"meta", "br", "img", "hr", "input", "link", "circle", "line", "polyline", "rect", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def _assert_page(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", text), "the page must not name any URL"
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?!#)""", text, re.I), "no external resources"
    assert "<link" not in text.lower() and "@import" not in text and "<script" not in text
    p = _Tags()
    p.feed(text)
    assert p.stack == []
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    assert svgs
    for s in svgs:
        ET.fromstring(s)  # each chart is well-formed XML


def test_html_page_and_json(tmp_path, capsys):
    page, doc = tmp_path / "leak.html", tmp_path / "leak.json"
    assert main(["leaks", "subslice", "--html", str(page), "--json", str(doc)]) == 0
    capsys.readouterr()
    text = page.read_text(encoding="utf-8")
    _assert_page(text)
    assert 'data-leak="subslice"' in text and 'id="verdict" class="ok" data-ok="true"' in text
    assert re.findall(r'class="run \w+" data-fixed="(\w+)" data-leaks="(\w+)"', text) == [("false", "true"), ("true", "false")]
    assert "main.scores subslice.go:" in text and "<code>slices.Clip(s[:3])</code>" in text
    d = json.loads(doc.read_text())
    assert d["leak"] == "subslice" and d["as_expected"] is True
    leaky, fixed = d["runs"]
    assert leaky["leaks"] and leaky["growing_sites"][0]["site"].startswith("main.scores ")
    assert not fixed["leaks"] and fixed["growing_sites"] == []
    assert len(leaky["cycles"]) == len(leaky["growing_sites"][0]["bytes"])


def test_run_report_gains_leaks_over_time_only_with_a_heap_profile(tmp_path, capsys):
    with leaks.get("lock-never-released").path(False) as prog:
        with_prof, without = tmp_path / "with.html", tmp_path / "without.html"
        assert main(["run", str(prog), "--html", str(with_prof), "--memprofilerate", "1"]) == 0
        assert main(["run", str(prog), "--html", str(without)]) == 0
    capsys.readouterr()
    text = with_prof.read_text(encoding="utf-8")
    _assert_page(text)
    assert 'class="card chart-card site-growth"' in text and 'class="card chart-card goroutine-growth"' in text
    assert "Goroutines at each GC: <code>1 1 2 3 4 5 6 7</code> (growing every cycle)" in text
    assert "[sync.Mutex.Lock]</td><td><code>main.(*Cache).Get</code>" in text
    plain = without.read_text(encoding="utf-8")
    assert "site-growth" not in plain and "Leaks over time" not in plain


# -- the same output as real Go ---------------------------------------------------------------------


@requires_go
@pytest.mark.parametrize("fixed", [False, True], ids=["leaky", "fixed"])
@pytest.mark.parametrize("name", sorted(ARTICLE))
def test_program_prints_what_real_go_prints(name, fixed):
    leak = leaks.get(name)
    with leak.path(fixed) as path:
        go = realgo.run_go_source(path, timeout=60)
    assert go.returncode == 0, go.stderr
    assert _run(name, fixed).stdout == go.stdout


def _with_leak_profile_at_exit(src: str) -> str:
    """The program with ``defer pprof.Lookup("goroutineleak").WriteTo(os.Stdout, 1)`` first in main (and its
    imports): what a Go developer adds to see the detector's verdict when main returns."""
    # on the lines that are there already, so that every position stays where the original has it
    src = src.replace("func main() {\n", 'func main() { defer pprof.Lookup("goroutineleak").WriteTo(os.Stdout, 1)\n', 1)
    head, sep, rest = src.partition("import (\n")
    assert sep, "the program has an import block"
    have = set(re.findall(r'^\t"([^"]+)"$', rest.split(")", 1)[0], re.M))
    extra = "".join(f'"{p}"; ' for p in ("os", "runtime/pprof") if p not in have)
    return head + "import (" + extra + "\n" + rest


def _leak_frames(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The profile's total line and, per stack, its count and the program's ``function file:line`` frames (no
    PCs; the standard library's are left out: the model's sync is no Go code, so its stacks have no
    ``sync.(*Mutex).Lock`` under the program's frame)."""
    total = re.search(r"^goroutineleak profile: total \d+$", text, re.M)
    stacks = []
    for block in re.split(r"\n(?=\d+ @)", text[total.end():].strip()) if total else []:
        lines = block.strip().splitlines()
        if not lines:
            continue
        frames = [f"{m[1]} {m[2].rsplit('/', 1)[-1]}" for m in re.finditer(r"^#\t0x[0-9a-f]+\t(\S+)\+0x[0-9a-f]+\t+(\S+)$",
                                                                       block, re.M) if m[1].startswith("main.")]
        stacks.append((int(lines[0].split()[0]), frames))
    return (total[0] if total else ""), sorted(stacks)


@requires_go
@pytest.mark.parametrize("fixed", [False, True], ids=["leaky", "fixed"])
@pytest.mark.parametrize("name", sorted(n for n in ARTICLE if leaks.get(n).evidence == "goroutines"))
def test_goroutine_leak_profile_at_exit_is_real_gos(name, fixed, tmp_path):
    """The detector's verdict `gomem leaks` prints is the one real Go writes when main returns: the same
    number of leaked goroutines, at the same functions and lines.  Not every leak of the article is one
    the detector calls so: a goroutine ranging over a ticker nobody stops is reachable from the timer heap
    (the ticker will tick again), and real Go reports none there."""
    leak = leaks.get(name)
    with leak.path(fixed) as path:
        src = path.read_text()
    prog = tmp_path / path.name
    prog.write_text(_with_leak_profile_at_exit(src))
    go = realgo.run_go_source(prog, timeout=60)
    assert go.returncode == 0, go.stderr
    want = _leak_frames(go.stdout)
    assert want[0], go.stdout
    got = _leak_frames(_run(name, fixed).leak_profile or "")
    assert got == want
    if fixed:
        assert want[0] == "goroutineleak profile: total 0"


# -- the page in a real browser ---------------------------------------------------------------------


def _chromium():
    import os
    import shutil

    env = os.environ.get("GOMEM_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.parametrize("width", [1280, 420])
def test_leak_page_in_a_browser_fits_the_window(tmp_path, capsys, width):
    import os

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    exe = _chromium()
    if sync_playwright is None or exe is None:
        reason = "Playwright's Python package or Chromium is missing"
        if os.environ.get("GOMEM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GOMEM_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    path = tmp_path / "leak.html"
    assert main(["leaks", "deadlock", "--html", str(path)]) == 0
    capsys.readouterr()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        try:
            pg = b.new_page(viewport={"width": width, "height": 900})
            requests: list[str] = []
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto(path.as_uri())
            assert pg.evaluate("document.documentElement.scrollWidth") <= width
            runs = pg.locator(".run")
            assert runs.count() == 2
            a, c = runs.nth(0).bounding_box(), runs.nth(1).bounding_box()
            if width >= 1000:  # side by side
                assert abs(a["y"] - c["y"]) < 1 and a["x"] + a["width"] <= c["x"]
            else:  # stacked
                assert a["y"] + a["height"] <= c["y"]
            # every chart spans its card
            for w, inner in pg.evaluate("""() => Array.from(document.querySelectorAll('section.chart-card > svg.chart')).map(svg => {
                    const card = svg.parentElement, cs = getComputedStyle(card);
                    return [svg.getBoundingClientRect().width, card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)];
                })"""):
                assert w >= inner - 1
            assert pg.get_attribute("#verdict", "data-ok") == "true"
            assert all(u.startswith("file:") for u in requests), requests
        finally:
            b.close()
