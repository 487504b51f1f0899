"""The seed article's scenarios, run step by step on the real collector.

``gomem scenario list`` names them; ``gomem scenario run NAME --gc MODE``
prints each step.  Built-in scenarios live in ``builtin/*.scn`` in the
format of :mod:`gomem.scenarios.format`; users can write their own.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import BadInput
from .engine import Outcome, ScenarioRun, Step
from .format import Scenario, ScenarioError, parse

__all__ = ["Outcome", "Scenario", "ScenarioError", "ScenarioRun", "Step", "builtin", "load", "names", "parse"]

#: the article's order
ORDER = [
    "tricolor",
    "stw-mark-sweep",
    "lost-object",
    "insertion-barrier",
    "deletion-barrier",
    "hybrid-1",
    "hybrid-2",
    "hybrid-3",
    "hybrid-4",
]


def names() -> list[str]:
    found = sorted(p.name[:-4] for p in resources.files(__package__).joinpath("builtin").iterdir() if p.name.endswith(".scn"))
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


def builtin(name: str) -> Scenario:
    f = resources.files(__package__).joinpath("builtin", f"{name}.scn")
    if not f.is_file():
        raise BadInput(f"unknown scenario {name!r} (scenarios: {', '.join(names())})")
    return parse(f.read_text(encoding="utf-8"), f"{name}.scn")


def load(name_or_path: str) -> Scenario:
    """A built-in scenario by name, or a scenario file by path."""
    p = Path(name_or_path)
    if p.suffix == ".scn" or p.exists():
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise BadInput(f"cannot read scenario {name_or_path}: {e.strerror}") from None
        return parse(text, str(p))
    return builtin(name_or_path)
