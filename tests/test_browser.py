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

from gomem.cli import main

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
