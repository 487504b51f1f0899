"""Import cycles among gomem's own modules (issue 16): none in the runtime core, no new ones elsewhere.

Every ``import`` statement counts — top level, under ``if TYPE_CHECKING``
and inside functions — since each one says the two modules know each
other.  A cycle is an elementary cycle of the module graph (``a -> b ->
a`` is one cycle, however many import statements make it).

The cycles left are three pairs in the compiler (``MAX_CYCLES`` below):
``compile.ir <-> compile.types``, ``compile.check_base <-> compile.stdlib``
and ``compile.libfunc <-> compile.libstd``.  Lower ``MAX_CYCLES`` when one
of them goes; never raise it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "gomem"

#: cycles anywhere in the package: may shrink, must not grow
MAX_CYCLES = 3
#: modules that must be in no cycle at all (the collector, the runtime and the heap they sit on)
CORE = {
    "gomem.runtime.mgc",
    "gomem.runtime.mgcmark",
    "gomem.runtime.mgcsweep",
    "gomem.runtime.mgcpacer",
    "gomem.runtime.mgclimit",
    "gomem.runtime.mgcscavenge",
    "gomem.runtime.mcheckmark",
    "gomem.runtime.mbarrier",
    "gomem.runtime.runtime",
    "gomem.runtime.sched",
    "gomem.runtime.stack",
    "gomem.runtime.trace",
    "gomem.runtime.malloc",
    "gomem.runtime.mcache",
    "gomem.runtime.mcentral",
    "gomem.runtime.mheap",
    "gomem.runtime.mspan",
    "gomem.runtime.mpagealloc",
    "gomem.scenarios",
    "gomem.scenarios.engine",
    "gomem.scenarios.format",
}


def modules() -> dict[str, Path]:
    out = {}
    for f in SRC.rglob("*.py"):
        parts = list(f.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source."""
    mods = modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, f in mods.items():
        package = mod.split(".") if f.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                name = ".".join(base + (node.module.split(".") if node.module else []))
                for a in node.names:  # `from . import x` may name a module
                    sub = f"{name}.{a.name}"
                    targets.append(sub if sub in mods else name)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != mod:
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]], limit: int = 1000) -> list[list[str]]:
    """Elementary cycles, each once (started from its smallest module), at most *limit*."""
    found: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack and len(found) < limit:
            node, path = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start:
                    found.append(path)
                elif nxt > start and nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def test_the_graph_sees_every_kind_of_import():
    """The scanner finds top-level, TYPE_CHECKING-only and function-local imports alike."""
    g = import_graph()
    assert "gomem.runtime.mgc" in g["gomem.runtime.runtime"]  # top level
    assert "gomem.runtime.malloc" in g["gomem.runtime.mgcmark"]  # function-local (malloc.type_at)
    assert "gomem.runtime.stack" in g["gomem.runtime.sched"]  # under TYPE_CHECKING


def test_no_cycle_in_the_runtime_core():
    """mgc and runtime, mcentral and mheap, and the rest of the core import nothing that imports them back."""
    bad = [c for c in cycles(import_graph()) if CORE & set(c)]
    assert bad == []


def test_cycles_do_not_grow():
    found = cycles(import_graph())
    assert len(found) <= MAX_CYCLES, "new import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in found)
