"""gomem — Go's memory manager and garbage collector as an executable model.

The reference is the Go 1.27 runtime.  From Python, :func:`gomem.run` runs a
built-in workload or a Go program and returns a :class:`RunResult`
(MemStats, one record per GC cycle, the pauses, the program's stdout and the
:class:`Runtime`); see :mod:`gomem.api`.  :mod:`gomem.workloads` and
:mod:`gomem.scenarios` hold the built-in workloads and the seed article's
scenarios; :class:`gomem.runtime.malloc.Heap` is the heap a workload allocates from.
"""

from __future__ import annotations

from typing import Any

from .errors import BadInput, BadPointer, BadWrite, GomemError, InvariantViolation, OutOfMemory, UnknownType
from .runtime.malloc import Heap

__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "BadPointer",
    "BadWrite",
    "CostModel",
    "GomemError",
    "Heap",
    "InvariantViolation",
    "MODES",
    "OutOfMemory",
    "RunResult",
    "RunTimeout",
    "Runtime",
    "UnknownType",
    "run",
    "scenarios",
    "workloads",
]

#: names loaded on first use (``import gomem`` stays light): name -> (module, attribute or None for the module)
_LAZY = {
    "run": (".api", "run"),
    "RunResult": (".api", "RunResult"),
    "RunTimeout": (".api", "RunTimeout"),
    "Runtime": (".runtime.runtime", "Runtime"),
    "CostModel": (".runtime.sched", "CostModel"),
    "MODES": (".runtime.mbarrier", "MODES"),
    "workloads": (".workloads", None),
    "scenarios": (".scenarios", None),
}


def __getattr__(name: str) -> Any:
    try:
        mod, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'gomem' has no attribute {name!r}") from None
    import importlib

    m = importlib.import_module(mod, __name__)
    value = m if attr is None else getattr(m, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
