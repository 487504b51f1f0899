"""Pictures and pages: what people look at instead of reading step logs.

* :mod:`gomem.viz.svg` — one SVG per scenario step in the article's visual
  language (stack and heap side by side, white/grey/black objects, the
  pointer just written or deleted, the barrier's shading, the invariant, a
  small STW timeline).  Pure Python, no dependencies, byte-for-byte
  deterministic.
* :mod:`gomem.viz.html` — one self-contained interactive page holding every
  scenario under every GC mode (``gomem scenario run NAME --html FILE``),
  with the glyphs of the article's Chinese titles embedded
  (:mod:`gomem.viz.cjk_font`, a Noto Sans CJK subset under the SIL OFL).
* :mod:`gomem.viz.report_html` — the run report of ``gomem run … --html
  FILE``: heap, goal and live heap over model time, pauses, GC CPU,
  per-size-class occupancy, as inline SVG charts sized to their card; a
  failed run's report shows the run up to the failure.

They read only finished runs (a :class:`~gomem.scenarios.ScenarioRun`
or a :class:`~gomem.runtime.runtime.Runtime`); none of them changes the model.
"""
