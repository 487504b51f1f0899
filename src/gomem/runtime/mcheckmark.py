"""Checkmark: re-trace the heap with the world stopped and report what the mark missed.

Models ``runtime/mcheckmark.go`` (``GODEBUG=gccheckmark=1``).  At mark
termination, with ``--checkmark``, the collector traces the heap again
from every root (:meth:`GCCheckmark.roots`) with its own mark bits
(:func:`trace`), recording how each object was reached; any object it
reaches that the cycle's mark left unmarked is *lost* — the sweep would free
a reachable object.  The report names the object, its type and the path
from its root; :class:`LostObject` stops the program (or, with
``checkmark_action = "record"``, the report is kept in ``last_lost``).
"""

from __future__ import annotations

import numpy as np

from .arena import ARENA_BASE_ADDR
from ..errors import GomemError
from .mgcmark import GCWork, Marker
from .sched import G_DEAD
from .trace import LOST


class LostObject(GomemError):
    """Checkmark found a reachable object the concurrent mark did not mark."""

    exit_status = 4

    def __init__(self, message: str, lost: list[dict]) -> None:
        super().__init__(message)
        self.lost = lost


def trace(marker: Marker, roots: list[tuple[str, np.ndarray]]) -> tuple[dict[int, int], list[str]]:
    """Trace the heap again from *roots* with independent marks (Go: ``gccheckmark``).

    *roots* is a list of (root name, pointer values).  Returns
    (parents, names): every object reached maps to the object it was
    found from, or to ``i + 1`` (below any legal address) when it was
    found directly from root ``names[i]``.  The cycle's mark bits and work
    queues are not touched.
    """
    cm = marker.bits.checkmarks
    cm[: marker.bits.top] = 0
    gcw = GCWork()
    parents: dict[int, int] = {}
    names = []
    for i, (name, vals) in enumerate(roots):
        names.append(name)
        vals = np.asarray(vals, dtype=np.uint64)
        marker.grey(vals, gcw, marks=cm, parents=parents, srcs=np.full(vals.size, i + 1, dtype=np.uint64))
    while True:
        b = gcw.pop()
        if b is None:
            break
        vals, srcs = marker.scan(b, gcw, with_sources=True)
        if vals.size:
            marker.grey(vals, gcw, marks=cm, parents=parents, srcs=srcs)
    return parents, names


class GCCheckmark:
    """The collector's checkmark (a Collector mixin): the roots, the re-trace, the report."""

    def roots(self) -> list[tuple[str, np.ndarray]]:
        """Every root's pointer values, named (for checkmark and pictures)."""
        rt = self.rt
        out = []
        for slot, val in zip(*rt.data.pointer_values()):
            out.append((f"global {rt.data.name_of(int(slot))}", np.array([val], dtype=np.uint64)))
        for g in rt.sched.allgs:
            if g.status == G_DEAD:
                continue
            for f in g.stack.frames:
                for off in f.type.pointer_offsets():
                    v = rt.words[(f.base + off - ARENA_BASE_ADDR) >> 3]
                    if v:
                        fld = _field_name(f.type, off)
                        out.append((f"goroutine {g.id} frame {f.name}.{fld}", np.array([v], dtype=np.uint64)))
        for c in self.heap.mcaches:
            if c.tiny:
                out.append((f"tiny block of P{c.p_id}", np.array([c.tiny], dtype=np.uint64)))
        return out

    def _checkmark(self, p) -> int:
        """Re-trace from the roots with the world stopped; report anything unmarked; return the ns."""
        parents, names = trace(self.marker, self.roots())
        marks = self.marker.bits.marks
        objs = np.array(list(parents), dtype=np.uint64) if parents else np.zeros(0, dtype=np.uint64)
        lost = []
        if objs.size:
            _, _, _, pos = self.marker.locate(objs)
            lost = objs[marks[pos] == 0].tolist()
        cost = len(parents) * (self.cost.scan_object + self.cost.grey)
        if lost:
            self._report_lost(p, sorted(lost), parents, names)
        return cost

    def _report_lost(self, p, lost: list[int], parents: dict[int, int], names: list[str]) -> None:
        """Each lost object's root and path; raise :class:`LostObject` or keep the report in ``last_lost``."""
        info = []
        for a in lost:
            path = [a]
            cur = parents.get(a, 0)
            root = "?"
            while True:
                if cur < 4096:
                    root = names[cur - 1] if cur else "?"
                    break
                path.append(cur)
                cur = parents.get(cur, 0)
            path.reverse()
            info.append({"addr": a, "type": self.rt.type_name(a), "root": root, "path": path})
        self.cur.lost = len(info)
        first = info[0]
        hops = [f"{x:#x}" for x in first["path"]]
        if len(hops) > 8:  # keep the message one readable line
            hops = hops[:3] + [f"... ({len(hops) - 6} more) ..."] + hops[-3:]
        chain = " -> ".join([first["root"]] + hops)
        msg = (
            f"checkmark: GC cycle {self.numgc + 1} ({self.mode.name}) left reachable object "
            f"{first['addr']:#x} ({first['type']}) unmarked; path: {chain}"
            + (f" (and {len(info) - 1} more)" if len(info) > 1 else "")
        )
        self.rt.log.emit(p.now, LOST, p.id, addr=first["addr"], path=chain, count=len(info))
        if self.checkmark_action == "raise":
            raise LostObject(msg, info)
        self.last_lost = info


def _field_name(typ, off: int) -> str:
    for f in getattr(typ, "fields", ()) or ():
        if f.offset <= off < f.offset + max(f.type.size, 1):
            sub = off - f.offset
            return f.name if sub == 0 else f"{f.name}+{sub}"
    return str(off)
