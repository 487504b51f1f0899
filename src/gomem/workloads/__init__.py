"""Built-in workloads: Go programs' allocation shapes, run on a gomem heap.

Each workload is a :class:`Workload` with a name, a one-line description and
typed parameters with defaults.  Most are Go programs shipped in ``go/``
(``go_source``): ``gomem run NAME --param KEY=VALUE`` compiles the program
with :mod:`gomem.compile.program` and runs it with the parameters as its flags
(``-KEY=VALUE``), exactly as ``gomem vs-go`` runs the same file on the real
toolchain.  The others (``random``, the collector fuzzer) have
``main(g, params)``: the generator function the runtime starts as the
program's main goroutine (see :mod:`gomem.runtime.runtime` for the mutator API it
uses), returning a dict whose ``output`` lines are what it prints.
``gomem workloads`` lists them.

Every parameter has bounds (``gomem workloads`` prints them): a value
outside them is one line naming the parameter and the bound, so no run is
unbounded by mistake (``--param replacements=1e21``).  The upper bounds are
:data:`MAX_LIVE` for table sizes, :data:`MAX_OPS` for operation counts and
:data:`MAX_SEED` (int64, as the Go programs' ``-seed`` flag) for seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import BadInput


#: the most objects, keys or slots a workload's table may hold (2**24: about 1 GiB of simulated heap)
MAX_LIVE = 1 << 24
#: the most operations (replacements, cache operations, steps) a workload may be asked to do
MAX_OPS = 1_000_000_000
#: the largest seed: an int64, as the Go versions' -seed flag takes it
MAX_SEED = (1 << 63) - 1
#: where the built-in Go programs live
GO_DIR = Path(__file__).parent / "go"


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
    main: Callable[..., Any] | None
    params: tuple[Param, ...] = field(default_factory=tuple)
    #: the Go program (a file name in :data:`GO_DIR`) this workload runs, its parameters as flags
    go_source: str | None = None

    @property
    def go_path(self) -> Path | None:
        """The Go program's path, None for a workload written against the runtime's API."""
        return GO_DIR / self.go_source if self.go_source else None

    def go_args(self, values: dict[str, Any], seed: int) -> list[str]:
        """The Go program's flags for the parameter *values*: :func:`flag_args`."""
        return flag_args(values, seed)

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


def flag_args(values: dict[str, Any], seed: int) -> list[str]:
    """A workload's Go program's flags for the parameter *values*, ``-KEY=VALUE`` each (a ``seed`` of 0
    becomes the run's *seed*)."""
    args = []
    for k, v in values.items():
        if k == "seed" and not v:
            v = seed
        args.append(f"-{k}={v}")
    return args


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


def expected_alloc_bytes(name: str, params: dict[str, Any]) -> int | None:
    """The bytes (MemStats.TotalAlloc) a run of the built-in workload *name* allocates in all, None if unknown.

    Only where the parameters fix the allocations: binary-trees allocates
    one 16-byte node per tree node — the stretch tree of depth max+1, the
    long-lived tree of depth max and, for each depth d = 4, 6, … max,
    2**(max−d+4) trees of depth d (a tree of depth d has 2**(d+1)−1 nodes;
    max is at least 6) — and churn its 8-byte-per-slot table plus one
    64-byte object per live slot and per replacement.  Checked against
    ``gomem.run(...).memstats["TotalAlloc"]``: binary-trees depth 12
    10,793,304 B against 10,791,648 estimated (the rest is fmt's), churn
    live=65536 replacements=327680 25,690,112 B exactly.  lru's and
    random's allocations depend on the random draws, so they are unknown.
    """
    if name == "binary-trees":
        mx = max(params.get("depth", 12), 6)
        nodes = (1 << (mx + 2)) - 1 + (1 << (mx + 1)) - 1
        nodes += sum((1 << (mx - d + 4)) * ((1 << (d + 1)) - 1) for d in range(4, mx + 1, 2))
        return 16 * nodes
    if name == "churn":
        live = params.get("live", 65536)
        return 8 * live + 64 * (live + params.get("replacements", 327680))
    return None
