"""The interactive page in a real browser: headless Chromium driven by Playwright.

Uses Debian's ``chromium`` (``GOMEM_CHROMIUM`` names another executable)
through Playwright's Python package; never a browser Playwright downloads.
Skips, saying why, where either is missing — unless ``GOMEM_REQUIRE_BROWSER=1``
(CI sets it), where a missing browser fails the test instead.

Screenshots go under pytest's tmp path, and also into
``$GOMEM_SCREENSHOT_DIR`` when that is set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gomem.cmd.cli import main

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    env = os.environ.get("GOMEM_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _unavailable(reason: str):
    if os.environ.get("GOMEM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GOMEM_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
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


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "scenarios.html"
    assert main(["scenario", "run", "lost-object", "--gc", "go1.8", "--html", str(path)]) == 0
    return path


@pytest.fixture
def page(browser, page_file):
    ctx = browser.new_context(viewport={"width": 1360, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(page_file.as_uri())
    pg.wait_for_selector("#picture svg")
    yield pg
    assert errors == [], f"errors on the page: {errors}"
    assert all(u.startswith("file:") for u in requests), f"the page fetched {requests}"
    ctx.close()


def _shot(pg, tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    pg.screenshot(path=str(out), full_page=True)
    d = os.environ.get("GOMEM_SCREENSHOT_DIR")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(d) / name)
    return out


def _color(pg, obj: str) -> str | None:
    return pg.get_attribute(f'#picture [data-obj="{obj}"]', "data-color")


def _current_text(pg) -> str:
    return pg.inner_text("#log li.current .text")


def _choose(pg, scenario: str, mode: str) -> None:
    pg.select_option("#scenario", scenario)
    pg.select_option("#mode", mode)
    pg.locator("body").click(position={"x": 5, "y": 5})  # focus off the selects: arrows step
    assert pg.get_attribute("body", "data-scenario") == scenario
    assert pg.get_attribute("body", "data-mode") == mode
    assert pg.get_attribute("body", "data-step") == "0"


def _step_until(pg, text: str, limit: int = 40) -> None:
    for _ in range(limit):
        if _current_text(pg) == text:
            return
        pg.keyboard.press("ArrowRight")
    raise AssertionError(f"never reached step {text!r}; at {_current_text(pg)!r}")


def test_lost_object_without_barrier_loses_3(page, tmp_path):
    pg = page
    _choose(pg, "lost-object", "none")
    assert pg.inner_text("#counter").startswith("initial graph")
    assert all(_color(pg, o) == "white" for o in "1234567")
    assert pg.is_hidden("#outcome")
    _step_until(pg, "program G1: 4.f = x")
    assert _color(pg, "4") == "black" and _color(pg, "3") == "white"
    assert pg.locator('#picture [data-highlight="written"][data-from="4"][data-to="3"]').count() == 1
    _step_until(pg, "mark done")
    assert _color(pg, "3") == "white", "nothing ever scans 3"
    assert _color(pg, "4") == "black" and _color(pg, "2") == "black"
    pg.keyboard.press("ArrowLeft")
    pg.keyboard.press("ArrowRight")
    assert _current_text(pg) == "mark done"
    # to the end with the button
    while pg.is_enabled("#next"):
        pg.click("#next")
    assert _color(pg, "3") == "freed"
    assert pg.get_attribute('#picture [data-obj="3"]', "data-lost") == "true"
    assert pg.is_visible("#outcome")
    headline = pg.inner_text("#outcome .headline")
    assert headline.startswith("Outcome under none:") and "lost 3" in headline
    assert "checkmark" in pg.inner_text("#outcome")
    assert pg.get_attribute("#outcome", "data-lost") == "3"
    assert "3" not in pg.get_attribute("#outcome", "data-live").split()
    assert pg.locator("#log li.current").count() == 1
    assert pg.evaluate("document.querySelectorAll('#log li').length - 1") == int(pg.get_attribute("body", "data-step"))
    shot = _shot(pg, tmp_path, "lost-object-none.png")
    assert shot.stat().st_size > 10_000


def test_lost_object_with_hybrid_barrier_keeps_3(page, tmp_path):
    pg = page
    _choose(pg, "lost-object", "go1.8")
    _step_until(pg, "program G1: 4.f = x")
    assert _color(pg, "3") == "grey", "the hybrid barrier shades 3 when it is stored into 4"
    assert pg.get_attribute('#picture [data-obj="3"]', "data-shaded") == "true"
    _step_until(pg, "mark done")
    assert _color(pg, "3") == "black"
    pg.keyboard.press("End")
    assert _color(pg, "3") != "freed"
    assert pg.get_attribute('#picture [data-obj="3"]', "data-lost") is None
    headline = pg.inner_text("#outcome .headline")
    assert headline.startswith("Outcome under go1.8:")
    assert "lost -" in headline and "lost 3" not in headline
    assert "3" in pg.get_attribute("#outcome", "data-live").split()
    pg.keyboard.press("Home")
    assert pg.get_attribute("body", "data-step") == "0" and pg.is_hidden("#outcome")
    _shot(pg, tmp_path, "lost-object-go1.8-start.png")


def test_play_pause_log_clicks_and_other_scenarios(page, tmp_path):
    pg = page
    _choose(pg, "insertion-barrier", "go1.5")
    pg.click("#play")
    pg.wait_for_function("document.body.dataset.step >= 2", timeout=10_000)
    pg.click("#play")  # pause
    at = pg.get_attribute("body", "data-step")
    pg.wait_for_timeout(1500)
    assert pg.get_attribute("body", "data-step") == at, "paused"
    pg.keyboard.press(" ")  # space plays again
    pg.wait_for_function(f"document.body.dataset.step > {at}", timeout=10_000)
    pg.keyboard.press(" ")
    pg.click("#log li:nth-child(6)")
    assert pg.get_attribute("body", "data-step") == "5"
    assert "4.f = 7.a" in _current_text(pg)
    assert _color(pg, "8") == "grey" and pg.get_attribute('#picture [data-obj="8"]', "data-shaded") == "true"
    # a stack write: 9 stays white although stack object 1 points to it
    pg.keyboard.press("ArrowRight")
    assert _color(pg, "9") == "white"
    _shot(pg, tmp_path, "insertion-barrier-go1.5.png")
    # every scenario and mode on the page shows a picture at each end
    names = pg.evaluate("Array.from(document.querySelectorAll('#scenario option')).map(o => o.value)")
    assert "hybrid-4" in names and len(names) >= 9
    for name in names:
        pg.select_option("#scenario", name)
        modes = pg.evaluate("Array.from(document.querySelectorAll('#mode option')).map(o => o.value)")
        assert "go1.8" in modes and "none" in modes
        pg.locator("body").click(position={"x": 5, "y": 5})
        pg.keyboard.press("End")
        mode = pg.get_attribute("body", "data-mode")
        assert mode == "go1.5", "switching scenario keeps the chosen mode"
        assert pg.is_visible("#outcome") and pg.inner_text("#outcome").startswith(f"Outcome under {mode}")
        assert pg.locator("#picture svg [data-obj]").count() >= 1


# -- layout: the failed run's report, the scenario page on a phone and a desktop ----------------------------

_OVERFLOW_JS = "[document.documentElement.scrollWidth, window.innerWidth]"


def _open(browser, uri: str, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(uri)
    return ctx, pg, errors, requests


def _assert_clean(errors: list[str], requests: list[str]) -> None:
    assert errors == [], f"errors on the page: {errors}"
    assert all(u.startswith(("file:", "data:")) for u in requests), f"the page fetched {requests}"


def _no_horizontal_overflow(pg) -> None:
    sw, iw = pg.evaluate(_OVERFLOW_JS)
    assert sw <= iw, f"the page is {sw} px wide in a {iw} px window"
    # nor does any element stick out of the window (a wide child of a clipping box is fine: it scrolls inside it)
    out = pg.evaluate(
        """() => Array.from(document.querySelectorAll('body *')).filter(e => {
             const r = e.getBoundingClientRect();
             if (r.width === 0 || r.right <= window.innerWidth + 0.5) return false;
             for (let p = e.parentElement; p; p = p.parentElement) {
               const ox = getComputedStyle(p).overflowX;
               if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') return false;
             }
             return true;
           }).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' right=' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert out == [], f"sticking out of the window: {out[:5]}"


@pytest.fixture(scope="module")
def oom_report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser-oom") / "oom.html"
    rc = main(["run", "churn", "--param", "live=200000", "--param", "replacements=1000", "--max-heap", "8MiB",
               "--no-progress", "--html", str(path)])
    assert rc == 2
    return path


@pytest.mark.parametrize("width", [1280, 420])
def test_failed_run_report_cards_are_filled(browser, oom_report, tmp_path, width):
    ctx, pg, errors, requests = _open(browser, oom_report.as_uri(), width)
    try:
        # the error, first and prominent
        assert pg.is_visible("section.error h2")
        assert pg.inner_text("section.error h2") == "The run failed: OutOfMemory"
        err_box = pg.locator("section.error").bounding_box()
        grid_box = pg.locator(".grid").bounding_box()
        assert err_box["y"] < grid_box["y"] and err_box["height"] >= 60
        # Summary and MemStats: filled, not blank
        summary_rows = pg.locator("table.summary tr").count()
        ms_rows = pg.locator("table.memstats tr").count()
        assert summary_rows >= 6 and ms_rows >= 10, (summary_rows, ms_rows)
        assert pg.inner_text("table.memstats").count("HeapAlloc") == 1
        # no card of the top grid is mostly blank: its content fills it
        fill = pg.evaluate(
            """() => Array.from(document.querySelectorAll('.grid section.card')).map(card => {
                 const kids = Array.from(card.children).map(e => e.getBoundingClientRect());
                 const used = Math.max(...kids.map(r => r.bottom)) - Math.min(...kids.map(r => r.top));
                 return [card.querySelector('h2').textContent, used / card.clientHeight];
               })"""
        )
        assert [f[0] for f in fill] == ["Summary at the failure", "MemStats at the failure", "Configuration"]
        for name, share in fill:
            assert share >= 0.8, f"the {name} card is {100 * (1 - share):.0f}% blank"
        # every chart spans its card
        cards = pg.evaluate(
            """() => Array.from(document.querySelectorAll('section.chart-card > svg.chart')).map(svg => {
                 const card = svg.parentElement, cs = getComputedStyle(card);
                 const inner = card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
                 return [svg.getAttribute('class'), svg.getBoundingClientRect().width, inner, card.scrollWidth > card.clientWidth];
               })"""
        )
        assert [c[0] for c in cards] == ["chart heap", "chart pauses", "chart gccpu", "chart timeline", "chart mmu", "chart occupancy"]
        for cls, w, inner, scrolls in cards:
            if width >= 1000:
                assert w >= inner - 1 and not scrolls, f"{cls} is {w:.0f} px in a {inner:.0f} px card"
            else:  # a phone: at least the card's width, scrolling inside it where the chart needs more to stay legible
                assert w >= inner - 1, f"{cls} is {w:.0f} px in a {inner:.0f} px card"
        # the GC CPU chart draws the run up to the failure, not a placeholder
        assert pg.locator("svg.gccpu polyline.cumulative").count() == 1
        assert pg.locator("svg.gccpu g.failure-mark").count() == 1 and pg.locator("svg.heap g.failure-mark").count() == 1
        _no_horizontal_overflow(pg)
        shot = _shot(pg, tmp_path, f"failed-run-report-{width}.png")
        assert shot.stat().st_size > 20_000
        _assert_clean(errors, requests)
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [1280, 420])
def test_scenario_page_fits_the_window(browser, page_file, tmp_path, width):
    ctx, pg, errors, requests = _open(browser, page_file.as_uri(), width)
    try:
        pg.wait_for_selector("#picture svg")
        _no_horizontal_overflow(pg)
        for sel in ("#scenario", "#mode", "#next", "#picture", "#log"):
            box = pg.locator(sel).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (sel, box)
        # the selector still works at this width
        pg.select_option("#scenario", "tricolor")
        assert pg.get_attribute("body", "data-scenario") == "tricolor"
        _no_horizontal_overflow(pg)
        pg.locator("body").click(position={"x": 2, "y": 2})
        pg.keyboard.press("End")
        assert pg.is_visible("#outcome")
        _no_horizontal_overflow(pg)
        shot = _shot(pg, tmp_path, f"scenario-page-{width}.png")
        assert shot.stat().st_size > 10_000
        _assert_clean(errors, requests)
    finally:
        ctx.close()


_GLYPHS_JS = r"""
async (args) => {
  const [sel, texts] = args;
  await document.fonts.ready;
  const cs = getComputedStyle(document.querySelector(sel));
  const font = `${cs.fontWeight} 32px ${cs.fontFamily}`;
  const chars = Array.from(new Set(Array.from(texts.join("")).filter(c => /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c))));
  await document.fonts.load(font, chars.join(""));
  const cv = document.createElement("canvas");
  cv.width = cv.height = 48;
  const ctx = cv.getContext("2d", {willReadFrequently: true});
  const draw = (c) => {
    ctx.clearRect(0, 0, 48, 48); ctx.font = font; ctx.textBaseline = "top"; ctx.fillStyle = "#000"; ctx.fillText(c, 4, 4);
    return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(",");
  };
  const box = draw("\ue000");  // a private-use character no font has: the missing-glyph box
  const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, "") === "gomem Noto Sans CJK SC");
  return {font, chars: chars.join(""), missing: chars.filter(c => draw(c) === box).join(""),
          detector: draw("\ue001") === box, faces: faces.map(f => f.weight + ":" + f.status)};
}
"""


def test_chinese_titles_have_every_glyph(page):
    pg = page
    titles = pg.evaluate("Array.from(document.querySelectorAll('#scenario option')).map(o => o.textContent)")
    assert any("三色标记法" in t for t in titles)
    for sel in ("#title", "#scenario"):  # the bold heading and the regular selector
        pg.select_option("#scenario", "tricolor")
        r = pg.evaluate(_GLYPHS_JS, [sel, titles + [pg.inner_text("#title")]])
        assert r["detector"], "the check tells a missing glyph by the box U+E000 and U+E001 share"
        assert len(r["chars"]) >= 15, r
        assert r["missing"] == "", f"no glyph for {r['missing']!r} in {r['font']}"
        assert sorted(r["faces"]) == ["400:loaded", "700:loaded"], r["faces"]  # the page's own subset drew them
