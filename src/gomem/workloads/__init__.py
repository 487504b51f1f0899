"""Built-in workloads: Go programs' allocation shapes, run on a gomem heap.

Each workload is a :class:`Workload` with a name, a one-line description,
typed parameters with defaults, and ``main(g, params)``: the generator
function the runtime starts as the program's main goroutine (see
:mod:`gomem.runtime` for the mutator API it uses).  It returns a dict whose
``output`` lines are what the Go program prints.  ``gomem workloads`` lists
them; ``gomem run NAME --param KEY=VALUE`` runs one.

Every parameter has bounds (``gomem workloads`` prints them): a value
outside them is one line naming the parameter and the bound, so no run is
unbounded by mistake (``--param replacements=1e21``).  The upper bounds are
:data:`MAX_LIVE` for table sizes, :data:`MAX_OPS` for operation counts and
:data:`MAX_SEED` (int64, as the Go programs' ``-seed`` flag) for seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import BadInput


#: the most objects, keys or slots a workload's table may hold (2**24: about 1 GiB of simulated heap)
MAX_LIVE = 1 << 24
#: the most operations (replacements, cache operations, steps) a workload may be asked to do
MAX_OPS = 1_000_000_000
#: the largest seed: an int64, as the Go versions' -seed flag takes it
MAX_SEED = (1 << 63) - 1


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    help: str
    kind: type = int
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, text: str) -> Any:
        """*text* as the parameter's kind, within its bounds; BadInput (one line) otherwise."""
        try:
            v = self.kind(text)
        except ValueError:
            raise BadInput(f"parameter {self.name}: invalid {self.kind.__name__} {text!r}") from None
        if self.minimum is not None and v < self.minimum:
            raise BadInput(f"parameter {self.name}: {v} is below the minimum {self.minimum}")
        if self.maximum is not None and v > self.maximum:
            raise BadInput(f"parameter {self.name}: {v} is above the maximum {self.maximum}")
        return v


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    main: Callable[..., Any]
    params: tuple[Param, ...] = field(default_factory=tuple)

    def resolve(self, assignments: list[str]) -> dict[str, Any]:
        """Defaults overridden by KEY=VALUE strings; unknown keys are errors."""
        values = {p.name: p.default for p in self.params}
        by_name = {p.name: p for p in self.params}
        for a in assignments:
            key, sep, val = a.partition("=")
            if not sep:
                raise BadInput(f"--param wants KEY=VALUE, got {a!r}")
            if key not in by_name:
                known = ", ".join(by_name) or "none"
                raise BadInput(f"workload {self.name} has no parameter {key!r} (parameters: {known})")
            values[key] = by_name[key].parse(val)
        return values


_REGISTRY: dict[str, Workload] = {}


def register(w: Workload) -> Workload:
    _REGISTRY[w.name] = w
    return w


def get(name: str) -> Workload:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise BadInput(f"unknown workload {name!r} (try: {', '.join(sorted(_REGISTRY))})") from None


def all_workloads() -> list[Workload]:
    _load()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def _load() -> None:
    import importlib
    import pkgutil

    for m in pkgutil.iter_modules(__path__):
        if not m.name.startswith("_"):
            importlib.import_module(f"{__name__}.{m.name}")
