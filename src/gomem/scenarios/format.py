"""The scenario file format: a graph and a list of steps, one per line.

A scenario is plain text; ``#`` starts a comment.  Each line is a
directive::

    scenario lost-object              # the name (first directive)
    title Marking without STW ...     # one line shown above the pictures
    about Free text ...               # a paragraph, may repeat
    modes go1.5 go1.8 none            # modes it is meant for (default: the article's six, not go1.5-norescan)
    global r1 -> 1                    # a global root slot pointing to 1
    stack G1 1 5 2 3                  # stack objects in goroutine G1's frame
    local G1 x                        # a local pointer variable in G1's frame
    heap 1 2 3 4 5 6 7                # heap objects
    edge 1.f -> 2                     # field f of 1 points to 2 (fields: f, a, b)
    step gc start                     # a collector or program step (below)
    expect go1.8: live 3; freed 5 6   # the outcome under a mode ('*': all)

Steps:

* collector: ``gc start``, ``shade roots``, ``scan stack G1``, ``scan N``,
  ``drain``, ``mark done``, ``sweep``, ``gc cycle`` (a whole further cycle);
* program (goroutine ``G``): ``program G: A.f = B``, ``A.f = nil``,
  ``A.f = x`` (a local), ``x = A.f`` (load into a local), ``x = nil``,
  ``A.f = B.g`` (load then store, as one statement), ``A.f = new N`` and
  ``x = new N`` (allocate heap object N, declared in the ``heap`` line but
  not allocated until this step), and ``new stack object N`` (a stack object
  comes into scope).

Outcomes: ``live`` (survives), ``freed`` (freed and unreachable), ``lost``
(freed although still referenced — a dangling pointer), ``floating``
(marked although unreachable when marking ended: kept by that cycle's
sweep; also live, or freed if a later cycle ran).  Outcomes of objects an
``expect`` line does not name are not checked.

Errors name the line: an unknown object, a heap object pointing into a stack
(it would have escaped to the heap), a malformed step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BadInput
from ..runtime.mbarrier import ARTICLE_MODES, MODES

FIELDS = ("f", "a", "b")
OUTCOMES = ("live", "freed", "lost", "floating")


class ScenarioError(BadInput):
    """A scenario file that cannot be run as written."""


@dataclass
class Scenario:
    name: str
    title: str = ""
    about: list[str] = field(default_factory=list)
    #: the modes it runs under: the article's collectors unless it names its own (variants included)
    modes: list[str] = field(default_factory=lambda: list(ARTICLE_MODES))
    globals: list[tuple[str, str]] = field(default_factory=list)  # (global name, object)
    stacks: dict[str, list[str]] = field(default_factory=dict)  # goroutine -> stack objects
    locals: dict[str, list[str]] = field(default_factory=dict)  # goroutine -> local names
    heap: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (obj, field, target)
    steps: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    expect: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # mode -> outcome -> objects
    source: str = ""
    origin: str = ""  # the file name errors start with
    lines: dict = field(default_factory=dict, repr=False)  # (kind, key) -> line of its declaration

    @property
    def objects(self) -> list[str]:
        out = list(self.heap)
        for objs in self.stacks.values():
            out += objs
        return out

    def where(self, obj: str) -> str:
        """'heap', or the goroutine whose frame holds *obj*."""
        if obj in self.heap:
            return "heap"
        for g, objs in self.stacks.items():
            if obj in objs:
                return g
        raise ScenarioError(f"scenario {self.name}: unknown object {obj}")

    def goroutines(self) -> list[str]:
        gs = list(self.stacks)
        for g in self.locals:
            if g not in gs:
                gs.append(g)
        for _, text in self.steps:
            m = re.match(r"program (\w+):", text)
            if m and m.group(1) not in gs:
                gs.append(m.group(1))
        return gs or ["G1"]

    def expected(self, mode: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in ("*", mode):
            for k, v in self.expect.get(key, {}).items():
                out.setdefault(k, [])
                out[k] += [o for o in v if o not in out[k]]
        return out


_OBJ = r"[A-Za-z0-9_]+"


def decode_error(origin: str, exc: UnicodeDecodeError) -> ScenarioError:
    """A scenario file that is not UTF-8 text, as one line: ``FILE:LINE:COL: not UTF-8 text (byte 0xff at offset N)``.

    LINE:COL count from 1, the column in bytes, as Go's compiler reports positions.
    """
    data = exc.object if isinstance(exc.object, (bytes, bytearray)) else b""
    off = exc.start
    line = data.count(b"\n", 0, off) + 1
    col = off - (data.rfind(b"\n", 0, off) + 1) + 1
    bad = data[off:off + 1].hex() if off < len(data) else ""
    what = f"byte 0x{bad}" if bad else "a byte"
    return ScenarioError(f"{origin}:{line}:{col}: not a scenario: not UTF-8 text ({what} at offset {off})")


def decode(data: bytes, origin: str = "<scenario>") -> str:
    """The text of a scenario file's bytes (UTF-8); :func:`decode_error` if they are not text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise decode_error(origin, e) from None


def parse(text: str, origin: str = "<scenario>") -> Scenario:
    """Parse a scenario; raise ScenarioError with ``origin:line:`` on bad input."""
    sc: Scenario | None = None
    all_modes = set(MODES)
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue

        def err(msg: str) -> ScenarioError:
            return ScenarioError(f"{origin}:{lineno}: {msg}")

        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if sc is None:
            if word != "scenario" or not re.fullmatch(r"[\w.-]+", rest):
                raise err("a scenario file starts with 'scenario NAME'")
            sc = Scenario(rest, source=text, origin=origin)
            continue
        if word == "title":
            sc.title = rest
        elif word == "about":
            sc.about.append(rest)
        elif word == "modes":
            bad = [m for m in rest.split() if m not in all_modes]
            if bad:
                raise err(f"unknown GC mode {bad[0]!r}")
            sc.modes = rest.split()
        elif word == "global":
            m = re.fullmatch(rf"(\w+)\s*->\s*({_OBJ})", rest)
            if not m:
                raise err("want 'global NAME -> OBJECT'")
            sc.lines[("global", len(sc.globals))] = lineno
            sc.globals.append((m.group(1), m.group(2)))
        elif word == "stack":
            parts = rest.split()
            if len(parts) < 2:
                raise err("want 'stack GOROUTINE OBJECT...'")
            for o in parts[1:]:
                sc.lines.setdefault(("object", o), lineno)
            sc.stacks.setdefault(parts[0], []).extend(parts[1:])
        elif word == "local":
            parts = rest.split()
            if len(parts) < 2:
                raise err("want 'local GOROUTINE NAME...'")
            for x in parts[1:]:
                sc.lines.setdefault(("local", x), lineno)
            sc.locals.setdefault(parts[0], []).extend(parts[1:])
        elif word == "heap":
            for o in rest.split():
                sc.lines.setdefault(("object", o), lineno)
            sc.heap.extend(rest.split())
        elif word == "edge":
            m = re.fullmatch(rf"({_OBJ})\.(\w+)\s*->\s*({_OBJ})", rest)
            if not m:
                raise err("want 'edge OBJECT.FIELD -> OBJECT'")
            if m.group(2) not in FIELDS:
                raise err(f"unknown field {m.group(2)!r}: objects have fields {', '.join(FIELDS)}")
            sc.lines[("edge", len(sc.edges))] = lineno
            sc.edges.append((m.group(1), m.group(2), m.group(3)))
        elif word == "step":
            if not rest:
                raise err("empty step")
            sc.steps.append((lineno, rest))
        elif word == "expect":
            m = re.fullmatch(r"([\w.*-]+)\s*:\s*(.+)", rest)
            if not m:
                raise err("want 'expect MODE: OUTCOME OBJECT...; ...'")
            mode = m.group(1)
            if mode != "*" and mode not in all_modes:
                raise err(f"unknown GC mode {mode!r}")
            for clause in m.group(2).split(";"):
                parts = clause.split()
                if not parts:
                    continue
                if parts[0] not in OUTCOMES:
                    raise err(f"unknown outcome {parts[0]!r} (outcomes: {', '.join(OUTCOMES)})")
                sc.expect.setdefault(mode, {}).setdefault(parts[0], []).extend(parts[1:])
                for o in parts[1:]:
                    sc.lines.setdefault(("expect", mode, o), lineno)
        else:
            raise err(f"unknown directive {word!r}")
    if sc is None:
        raise ScenarioError(f"{origin}: empty scenario")
    _check(sc, origin)
    return sc


def _check(sc: Scenario, origin: str) -> None:
    def at(*key) -> str:
        n = sc.lines.get(key)
        return f"{origin}:{n}" if n else origin

    seen: set[str] = set()
    for o in sc.objects:
        if o in seen:
            raise ScenarioError(f"{at('object', o)}: object {o} declared twice")
        seen.add(o)
    locals_ = {x for xs in sc.locals.values() for x in xs}
    for i, (name, target) in enumerate(sc.globals):
        if target not in seen:
            raise ScenarioError(f"{at('global', i)}: global {name} points to unknown object {target}")
        if sc.where(target) != "heap":
            raise ScenarioError(
                f"{at('global', i)}: global {name} cannot point to stack object {target}: "
                "it would have escaped to the heap"
            )
    for i, (src, fld, dst) in enumerate(sc.edges):
        for o in (src, dst):
            if o not in seen:
                raise ScenarioError(f"{at('edge', i)}: edge {src}.{fld} -> {dst} names unknown object {o}")
        if sc.where(src) == "heap" and sc.where(dst) != "heap":
            raise ScenarioError(
                f"{at('edge', i)}: heap object {src} cannot point to stack object {dst}: "
                "it would have escaped to the heap"
            )
        if sc.where(src) not in ("heap", sc.where(dst)) and sc.where(dst) != "heap":
            raise ScenarioError(f"{at('edge', i)}: {src} and {dst} are on different goroutines' stacks")
    for o in locals_:
        if o in seen:
            raise ScenarioError(f"{at('local', o)}: local {o} has the name of an object")
    for mode, outs in sc.expect.items():
        for objs in outs.values():
            for o in objs:
                if o not in seen:
                    raise ScenarioError(f"{at('expect', mode, o)}: expect {mode} names unknown object {o}")
