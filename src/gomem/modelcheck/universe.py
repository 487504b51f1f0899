"""The small programs the checker explores: a heap graph and every mutator move on it.

A *universe* is a scenario (:mod:`gomem.scenarios.format`) without steps —
globals, goroutine stacks, heap objects, edges — plus what each goroutine
may do, and how often:

* ``D.f = S.f`` — load the pointer in ``S.f`` and store it into ``D.f``
  (the scenario format's load-then-store statement), for any two objects
  *D* ≠ *S* the goroutine can reach (its own stack objects, and the heap
  objects reachable from them and from the globals): a goroutine only has
  the pointers it can load, so it cannot write into an object it cannot
  reach, nor conjure a pointer to one;
* ``D.f = nil`` — delete a pointer;
* ``D.f = new N`` — allocate heap object *N* (the next of the universe's
  allocatable objects) and store it.

A write into a stack object is a stack write (no barrier in any mode);
into a heap object, a heap write through the mode's barrier.  Only the
field ``f`` is used: one pointer per object is enough to build every
interleaving the article draws (a grey object losing its path, a black one
gaining it), and it keeps the state space small.

:func:`generated` builds the default universe from the bound (goroutines,
heap objects, statements per goroutine, allocations); :func:`from_scenario`
takes a scenario file's graph and its program steps as each goroutine's
fixed program (then only the interleavings are explored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BadInput
from ..scenarios.format import Scenario

_PROGRAM = re.compile(r"program (\w+):\s*(.+)")


@dataclass
class Universe:
    """A heap graph and the mutator moves the checker may interleave with the collector."""

    scenario: Scenario
    #: goroutine -> its stack objects
    stacks: dict[str, list[str]]
    #: heap objects that exist when the cycle starts
    heap: list[str]
    #: heap objects a step may allocate, in the order they are allocated
    unborn: list[str]
    #: statements per goroutine (generated programs): the bound on each goroutine's moves
    steps: int
    #: goroutine -> its fixed program (from a scenario file), or None: any move, ``steps`` times
    programs: dict[str, list[str]] | None = None
    #: how the universe was made, for the report
    origin: str = ""
    fields: tuple[str, ...] = ("f",)
    globals: list[tuple[str, str]] = field(default_factory=list)

    @property
    def goroutines(self) -> list[str]:
        return list(self.stacks)

    def describe(self) -> str:
        edges = ", ".join(f"{a}.{f} -> {b}" for a, f, b in self.scenario.edges)
        gl = ", ".join(f"{n} -> {t}" for n, t in self.globals)
        what = (
            f"{self.steps} statement(s) per goroutine, any of D.f = S.f, D.f = nil, D.f = new N"
            if self.programs is None
            else "the scenario's program steps, in every interleaving"
        )
        stacks = ", ".join(g + ": stack " + " ".join(o) for g, o in self.stacks.items())
        return (
            f"{len(self.goroutines)} goroutine(s) ({stacks}); "
            f"heap {' '.join(self.heap)}"
            + (f" (+ {' '.join(self.unborn)} allocatable)" if self.unborn else "")
            + f"; globals {gl}; edges {edges}; {what}"
        )

    def scenario_text(self, name: str, mode: str, steps: list[str], lost: list[str], about: list[str]) -> str:
        """The universe and a step list as a scenario file (replayable by ``gomem scenario run``)."""
        born = {m.group(1) for s in steps for m in [re.search(r"=\s*new (\w+)$", s)] if m}
        lines = [f"scenario {name}", f"title Model checker counterexample under --gc {mode}: {' '.join(lost)} lost"]
        lines += [f"about {a}" for a in about]
        lines.append(f"modes {mode}")
        for n, t in self.globals:
            lines.append(f"global {n} -> {t}")
        for g, objs in self.stacks.items():
            if objs:
                lines.append(f"stack {g} {' '.join(objs)}")
        for g, xs in self.scenario.locals.items():
            lines.append(f"local {g} {' '.join(xs)}")
        lines.append("heap " + " ".join(self.heap + [o for o in self.unborn if o in born]))
        for a, f, b in self.scenario.edges:
            lines.append(f"edge {a}.{f} -> {b}")
        for s in steps:
            lines.append(f"step {s}")
        if lost:
            lines.append(f"expect {mode}: lost {' '.join(lost)}")
        return "\n".join(lines) + "\n"


def _declare(sc: Scenario, unborn: list[str], g0: str) -> None:
    """Declare the allocatable objects to the engine: it allocates an object a ``new`` statement names only then."""
    sc.steps = [(0, f"program {g0}: x = new {o}") for o in unborn]


def generated(goroutines: int = 1, objects: int = 3, steps: int = 2, allocs: int = 1) -> Universe:
    """The default universe of a bound.

    Heap objects ``1``…``N``; a global ``r`` points to ``1``; ``1.f -> 2 -> …``
    is a chain reachable from the global; goroutine ``Gi`` has one stack
    object ``si`` whose ``f`` points to one of the last heap objects (one per
    goroutine, the last ones reachable from the stacks only).  Objects
    ``N+1``… are allocatable.
    """
    for name, v, lo in (("goroutines", goroutines, 1), ("objects", objects, 1), ("steps", steps, 0), ("allocs", allocs, 0)):
        if v < lo:
            raise BadInput(f"check: --{name} must be at least {lo}, not {v}")
    if goroutines > 4 or objects > 8 or steps > 8 or allocs > 4:
        raise BadInput("check: the bound is too large to explore (at most 4 goroutines, 8 objects, 8 steps, 4 allocations)")
    heap = [str(i) for i in range(1, objects + 1)]
    unborn = [str(i) for i in range(objects + 1, objects + allocs + 1)]
    gs = [f"G{i}" for i in range(1, goroutines + 1)]
    stacks = {g: [f"s{i}"] for i, g in enumerate(gs, 1)}
    # the stacks' targets: the last objects (but never object 1, the global's)
    nstack = min(goroutines, max(objects - 1, 0))
    stack_targets = heap[objects - nstack:] if nstack else []
    chain = heap[: objects - nstack]
    edges = [(a, "f", b) for a, b in zip(chain, chain[1:])]
    for i, g in enumerate(gs):
        if stack_targets:
            edges.append((stacks[g][0], "f", stack_targets[i % len(stack_targets)]))
    sc = Scenario("check", heap=heap + unborn, stacks={g: list(o) for g, o in stacks.items()}, globals=[("r", "1")], edges=edges)
    _declare(sc, unborn, gs[0])
    return Universe(
        sc, stacks, heap, unborn, steps, None,
        origin=f"--goroutines {goroutines} --objects {objects} --steps {steps} --allocs {allocs}",
        globals=[("r", "1")],
    )


def from_scenario(sc: Scenario) -> Universe:
    """A scenario file's graph, with its program steps as each goroutine's fixed program (collector steps dropped)."""
    programs: dict[str, list[str]] = {}
    unborn: list[str] = []
    for _, text in sc.steps:
        m = _PROGRAM.fullmatch(text)
        if not m:
            continue
        programs.setdefault(m.group(1), []).append(m.group(2).strip())
        n = re.search(r"=\s*new (\w+)$", text)
        if n:
            unborn.append(n.group(1))
    gs = sc.goroutines()
    stacks = {g: list(sc.stacks.get(g, [])) for g in gs}
    for g in programs:
        stacks.setdefault(g, [])
    heap = [o for o in sc.heap if o not in unborn]
    u = Scenario(
        sc.name, heap=list(sc.heap), stacks={g: list(o) for g, o in stacks.items() if o},
        locals={g: list(x) for g, x in sc.locals.items()}, globals=list(sc.globals), edges=list(sc.edges), origin=sc.origin,
    )
    u.steps = [(0, f"program {g}: {s}") for g, prog in programs.items() for s in prog]  # declares goroutines, allocations
    later = [t for _, t in sc.steps if "new stack object" in t]
    if later:
        raise BadInput(f"check: {sc.origin or sc.name}: 'new stack object' is not supported by the checker")
    return Universe(
        u, stacks, heap, unborn, max((len(p) for p in programs.values()), default=0), programs,
        origin=sc.origin or sc.name, fields=("f", "a", "b"), globals=list(sc.globals),
    )
