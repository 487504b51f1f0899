"""The page of ``gomem leaks NAME --html FILE``: one of the article's leaks, the leaky program beside its fix.

One self-contained HTML file (inline CSS and SVG, no script, no network) in the scenario pages'
style (:mod:`gomem.viz.html`: the same header, intro and colours): the explanation for a learner
(the article's words, what happens, what to look at, the fix and why it works), the verdict,
then two columns — the leaky program and the fixed one — each with its source, its output,
and the evidence its run left, the two drawn to one scale (:func:`gomem.viz.report_html.site_growth_html`: in use by site
over the GC cycles, the goroutines over time, the growing sites, the goroutines alive at the
end).  On a narrow screen the columns stack.

Stable hooks for tests: ``body[data-leak]``, ``#verdict[data-ok]``, ``.run[data-fixed][data-leaks]``.
"""

from __future__ import annotations

from typing import Any

from .html import _CSS as SCENARIO_CSS
from .report_html import _CSS as REPORT_CSS
from .report_html import SITE_GROWTH_CSS, site_growth_html
from .svg import esc

#: the charts' coordinate width: one of two columns (the run report's cards are twice as wide)
COLUMN_W = 560


def _prose(text: str) -> str:
    """A paragraph of the explanations: escaped, with `code` in backquotes as <code>."""
    parts = esc(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _scale(runs: list[Any]) -> tuple[int, int, int]:
    """The largest in-use bytes of a site, goroutine count and sample time of *runs*: one scale for all."""
    samples = [s for r in runs for s in r.growth.samples]
    return (max([b for s in samples for b, _ in s.sites.values()] + [0]),
            max([s.goroutines for s in samples] + [0]), max([s.t for s in samples] + [0]))


def _run_html(leak: Any, run: Any, scale: tuple[int, int, int]) -> str:
    label = "fixed" if run.fixed else "leaky"
    shows = "the leak shows" if run.leaks else "no leak shows"
    return (
        f'<section class="run {label}" data-fixed="{str(run.fixed).lower()}" data-leaks="{str(run.leaks).lower()}">'
        f'<h2>{label.capitalize()}: <code>{esc(run.file)}</code> <span class="shows {"bad" if run.leaks else "ok"}">{shows}</span></h2>'
        f'<details class="card source"><summary>The program</summary><pre><code>{esc(leak.source(run.fixed))}</code></pre></details>'
        f'<div class="card output"><h3>It prints</h3><pre>{esc(run.stdout)}</pre></div>'
        + site_growth_html(run.growth, scale, COLUMN_W)
        + "</section>"
    )


def render_leak_page(leak: Any, leaky: Any, fixed: Any, verdict_line: str) -> str:
    """The page for *leak* (:class:`gomem.leaks.Leak`) and its runs (:class:`gomem.cmd.leaks.LeakRun`;
    *leaky* None when only the fixed program ran)."""
    runs = [r for r in (leaky, fixed) if r is not None]
    ok = (leaky is None or leaky.leaks) and not fixed.leaks
    intro = "".join(
        f'<h3>{esc(head)}</h3><p>{_prose(body)}</p>'
        for head, body in (("The article says", leak.article), ("What happens", leak.what_happens),
                           ("What to look at", leak.look_at), ("The fix, and why it works", leak.fix))
    )
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>gomem: {esc(leak.name)}, a memory leak and its fix</title>",
        "<style>" + SCENARIO_CSS + _scoped(REPORT_CSS) + SITE_GROWTH_CSS + _CSS + "</style></head>",
        f'<body data-leak="{esc(leak.name)}">',
        f'<header><h1>gomem <span class="sub">memory leaks, as the article lists them: {esc(leak.name)}</span></h1></header>',
        f'<section id="intro"><h2 id="title">{esc(leak.title)}</h2>{intro}'
        f'<p id="verdict" class="{"ok" if ok else "bad"}" data-ok="{str(ok).lower()}">{esc(verdict_line)}</p></section>',
        '<main class="runs">' + "".join(_run_html(leak, r, _scale(runs)) for r in runs) + "</main>",
        "<footer>Model time throughout; every allocation is in the heap profile (MemProfileRate=1), sampled at each "
        "GC's mark termination. Everything on this page is in this one file; it needs no network. Written by "
        f"<code>gomem leaks {esc(leak.name)} --html</code>.</footer>",
        "</body></html>",
    ]) + "\n"


def _scoped(css: str) -> str:
    """The run report's card, table and chart rules, without its page-wide ones (body, h1, h2, footer)."""
    keep = []
    for line in css.strip().splitlines():
        sel = line.split("{", 1)[0].strip()
        if sel.startswith(("body", "h1", "h2", "footer", "@media", ".grid")):
            continue
        keep.append(line)
    return "\n" + "\n".join(keep) + "\n"


_CSS = """
#intro h3 { font-size:14px; margin:10px 0 2px 0; }
#intro p { max-width:80em; }
#verdict { font-weight:bold; font-size:15px; padding:6px 10px; border-radius:6px; border:2px solid var(--ok); background:#e8f5e9; display:inline-block; }
#verdict.bad { border-color:var(--bad); background:#ffebee; }
main.runs { display:grid; grid-template-columns: 1fr 1fr; gap:16px; align-items:start; }
.run { min-width:0; }
.run h2 { font-size:15px; margin:4px 0 8px 0; }
.run .shows { font-size:12px; font-weight:normal; border-radius:6px; padding:1px 6px; margin-left:6px; color:#fff; }
.run .shows.bad { background:var(--bad); } .run .shows.ok { background:var(--ok); }
.run pre { font-size:12px; margin:4px 0; overflow-x:auto; }
.run .card h3 { font-size:13px; margin:2px 0; }
.run .chart-card svg.chart { min-width:0; }
@media (max-width: 1000px) { main.runs { grid-template-columns: 1fr; } }
"""

__all__ = ["render_leak_page"]
