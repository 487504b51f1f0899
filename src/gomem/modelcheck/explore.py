"""One worker's view of the search: the real scenario engine, its state saved, restored and hashed.

An :class:`Explorer` owns one :class:`~gomem.scenarios.engine.ScenarioRun`
of the universe under a mode, with the cycle started (``gc start``: sweep
termination, the barrier on, the root jobs queued — Yuasa's stacks
snapshotted).  Every transition of the search is one step of that engine:

* the collector's: ``shade roots`` (the globals' root job), ``scan stack
  G`` (a goroutine's stack job), ``scan N`` (one grey object, any of them:
  with several Ps any order is possible), and ``mark done`` once no root job
  and no grey object is left — mark termination, the last transition of a
  path;
* the mutator's: one statement of a goroutine (:mod:`.universe`), its heap
  stores through the mode's write barrier, its stack stores without.

Between transitions the engine's marking state is saved
(:meth:`Explorer.checkpoint`) and put back (:meth:`Explorer.restore`): the
words of the objects and stack frames, the mark bits of the objects' span,
the work buffers, the root jobs, each goroutine's scan state, the phase, and
— when objects may be allocated — the allocating span, mcache, mcentral
and heap counters.  A state's hash (:meth:`Explorer.digest`) names, per
object, whether it exists, its colour and its fields' targets by object
name, plus the root jobs and each goroutine's remaining statements: two
states that differ only in where the allocator put an object are the same.

``mark done`` runs the collector's mark termination marking — the root
policy's last word (Go 1.5: the stop-the-world rescan of every stack) and
the last drain, :meth:`~gomem.runtime.mgcmark.GCMark.mark_all` — and then
checkmark (:meth:`~gomem.runtime.mcheckmark.GCCheckmark._checkmark`): a reachable
object left unmarked, or already freed, is lost.  The sweep that would free
it is not run in the search (it only frees what is unmarked); the replay of
a counterexample through ``gomem scenario run`` runs it.
"""

from __future__ import annotations

import re
import numpy as np

from ..runtime.arena import ARENA_BASE_ADDR
from ..errors import InvariantViolation
from ..runtime.mgc import GC_OFF
from ..scenarios.engine import _FIELD_OFF, _OBJ, ScenarioRun
from .universe import Universe

_STMT = re.compile(r"program (\w+):\s*(?:(\w+)\.(\w+)|(\w+))\s*=\s*(?:(\w+)\.(\w+)|nil|new (\w+)|(\w+))$")
_SCALARS = (int, bool, float, str, type(None))


class Transition:
    """A step of the search and its footprint (for partial-order reduction)."""

    __slots__ = ("text", "kind", "g", "writes", "reads", "heap_write", "alloc", "obj")

    def __init__(self, text: str, kind: str, g: str = "", obj: str = "", writes=(), reads=(),
                 heap_write: bool = False, alloc: bool = False) -> None:
        self.text = text
        self.kind = kind  # "roots", "stack", "scan", "done", "prog"
        self.g = g
        self.obj = obj
        self.writes = frozenset(writes)
        self.reads = frozenset(reads)
        self.heap_write = heap_write
        self.alloc = alloc

    def __repr__(self) -> str:
        return f"<{self.text}>"


def parse_transition(text: str, where) -> Transition:
    """The footprint of a step text; *where* tells an object's home ('heap' or a goroutine)."""
    if text == "shade roots":
        return Transition(text, "roots")
    if text == "mark done":
        return Transition(text, "done")
    if text.startswith("scan stack "):
        return Transition(text, "stack", g=text.split()[2])
    if text.startswith("scan "):
        return Transition(text, "scan", obj=text.split()[1])
    m = _STMT.fullmatch(text)
    if not m:
        raise InvariantViolation(f"check: not a checker statement: {text!r}")
    g, d, local, src, new, name = m.group(1), m.group(2), m.group(4), m.group(5), m.group(7), m.group(8)
    # a local is a slot of its goroutine's stack; a bare name on the right is a local or an object's address
    dst = d if d else f"{g}.{local}"
    reads = [src] if src else ([f"{g}.{name}"] if name else [])
    return Transition(
        text, "prog", g=g, writes=(dst,), reads=reads,
        heap_write=bool(d) and where(d) == "heap", alloc=new is not None,
    )


def independent(a: Transition, b: Transition) -> bool:
    """Whether two transitions enabled together commute and neither disables the other.

    Conservative: collector steps only shade (a union: any order gives the same
    marks and grey set); a scan commutes with a statement that does not write
    the object scanned, a stack scan with another goroutine's statement, the
    globals' job with every statement (no statement writes a global).  Two
    goroutines' statements commute when both write only their own stacks:
    a heap write can change what the other goroutine reaches.  ``mark done``
    commutes with nothing.
    """
    if a.kind == "done" or b.kind == "done":
        return False
    if a.kind != "prog" and b.kind != "prog":
        return True
    if a.kind != "prog":
        a, b = b, a
    if b.kind == "prog":
        if a.g == b.g:
            return False
        return not (a.heap_write or b.heap_write or a.alloc or b.alloc)
    if b.kind == "roots":
        return True
    if b.kind == "stack":
        return b.g != a.g
    return b.obj not in a.writes  # scan


def _grab(obj) -> dict:
    """An object's scalar attributes (its slots or dict), for restoring them later."""
    names = getattr(type(obj), "__slots__", None)
    if names is None:
        names = list(vars(obj))
    out = {}
    for n in names:
        v = getattr(obj, n, None)
        if isinstance(v, _SCALARS):
            out[n] = v
        elif isinstance(v, np.ndarray) and v.size <= 4096:
            out[n] = v.copy()
    return out


def _put(obj, saved: dict) -> None:
    for n, v in saved.items():
        if isinstance(v, np.ndarray):
            getattr(obj, n)[...] = v
        else:
            setattr(obj, n, v)


class Explorer:
    """The real engine of one universe under one mode, driven transition by transition."""

    def __init__(self, universe: Universe, mode: str) -> None:
        self.u = universe
        self.mode = mode
        self._build()

    # -- the engine ----------------------------------------------------------------------

    def _build(self) -> None:
        u = self.u
        self.run = run = ScenarioRun(u.scenario, self.mode)
        rt = self.rt = run.rt
        run.step("gc start")
        rt.log.detail = False  # the search reads state, not the event log
        self.gc = rt.gc
        self.p = run.p
        self.heap = rt.heap
        self.marks = rt.heap.mheap.gcbits.marks
        self.np64 = rt.heap.aspace.np64
        self.sc = run.sc
        self.names = list(u.heap) + list(u.unborn)
        self.gnames = list(u.goroutines)
        self.stack_objs = [o for g in self.gnames for o in u.stacks[g]]
        # where the words and marks the search changes live
        first = rt.heap.find_object(run.addr[u.heap[0]]) if u.heap else None
        if first is None:
            raise InvariantViolation("check: the universe has no heap object")
        self.span = span = first[0]
        top = max(rt.heap.find_object(run.addr[o])[2] for o in u.heap) + len(u.unborn) + 1
        if top > span.nelems:
            raise InvariantViolation("check: the universe does not fit in one span")
        w0 = (span.start_addr - ARENA_BASE_ADDR) >> 3
        self.heap_words = np.arange(w0, w0 + top * (span.elemsize >> 3), dtype=np.int64)
        self.mark_range = (span.mark_off, span.mark_off + top)
        frames = []
        for g in run.gs.values():
            for f in g.stack.frames:
                fw = (f.base - ARENA_BASE_ADDR) >> 3
                frames.append(np.arange(fw, fw + max(f.type.size >> 3, 1), dtype=np.int64))
        self.stack_words = np.concatenate(frames) if frames else np.zeros(0, dtype=np.int64)
        self.words_idx = np.concatenate([self.heap_words, self.stack_words])
        #: the scenario's locals (fixed programs), as stack words
        self.local_words = [(run.local_addr[k] - ARENA_BASE_ADDR) >> 3 for k in sorted(run.local_addr)]
        # the allocator's state, when the program allocates
        self.alloc_objs = []
        if u.unborn:
            spc = span.spanclass
            self.spc = spc
            self.mcache = rt.heap.mcaches[self.p.id]
            self.central = rt.heap.mheap.central[spc]
            self.known_spans = [span] + [s for dq in (*self.central.partial, *self.central.full) for s in dq if s is not span]
            self.alloc_objs = [span, self.mcache, rt.heap.stats, rt.heap, rt.heap.mheap]
        #: the allocator's state by the allocations made (object, address), and the one the engine is in
        self.alloc_states: dict[tuple, tuple] = {}
        self.alloc_now: tuple | None = ()
        if self.alloc_objs:
            self.alloc_states[()] = self._alloc_state()
        self.sweepgen = rt.heap.mheap.sweepgen
        self.where = self.sc.where

    # -- state ------------------------------------------------------------------------------

    def checkpoint(self) -> tuple:
        """The marking state of the engine now (picklable: plain values and small arrays)."""
        run, gc, p = self.run, self.gc, self.p
        lo, hi = self.mark_range
        gcw = p.gcw
        born = tuple((o, run.addr[o]) for o in self.u.unborn if o in run.addr)
        if self.alloc_objs and self.alloc_now is None:
            if born not in self.alloc_states:
                self.alloc_states[born] = self._alloc_state()
            self.alloc_now = born
        alloc = self.alloc_states.get(born) if born else None
        return (
            self.np64[self.words_idx],
            self.marks[lo:hi].copy(),
            list(gcw.bufs),
            (gcw.bytes_marked, gcw.scan_work, gcw.objects_scanned, gcw.objects_marked, gcw.pages_touched),
            list(gc.marker.full),
            list(p.wbbuf),
            [(j[0], j[1].name) if len(j) > 1 else j for j in gc.root_jobs],
            tuple(run.gs[g].scandone for g in self.gnames),
            (gc.phase, self.rt.wb_enabled, self.heap.alloc_black, gc.blacken_enabled, gc.stack_scan, gc.globals_scan_work, p.now),
            born,
            alloc,
        )

    def _alloc_state(self) -> tuple:
        """The allocator's state (span, mcache, mcentral, counters), the same for every state with the same allocations."""
        ks = self.known_spans
        return (
            tuple(_grab(o) for o in self.alloc_objs),
            self.mcache.alloc[self.spc] is self.span,
            tuple(tuple(ks.index(s) for s in dq) for dq in (*self.central.partial, *self.central.full)),
        )

    def restore(self, ck: tuple) -> None:
        """Put the engine back in the state *ck* was taken in."""
        run, gc, p = self.run, self.gc, self.p
        if self.heap.mheap.sweepgen != self.sweepgen:
            self._build()  # something swept (a broken engine): the allocator's state is past restoring
            run, gc, p = self.run, self.gc, self.p
        words, marks, bufs, counters, full, wbbuf, jobs, scandone, flags, born, alloc = ck
        self.np64[self.words_idx] = words
        lo, hi = self.mark_range
        self.marks[lo:hi] = marks
        gcw = p.gcw
        gcw.bufs[:] = bufs
        gcw.bytes_marked, gcw.scan_work, gcw.objects_scanned, gcw.objects_marked, gcw.pages_touched = counters
        gc.marker.full[:] = full
        p.wbbuf[:] = wbbuf
        gc.root_jobs[:] = [(j[0], run.gs[j[1]]) if len(j) > 1 else j for j in jobs]
        for g, s in zip(self.gnames, scandone):
            run.gs[g].scandone = s
        gc.phase, self.rt.wb_enabled, self.heap.alloc_black, gc.blacken_enabled, gc.stack_scan, gc.globals_scan_work, p.now = flags
        gc.last_lost = None
        for o in self.u.unborn:
            a = run.addr.pop(o, None)
            if a is not None:
                run.name_of.pop(a, None)
        for o, a in born:
            run.addr[o] = a
            run.name_of[a] = o
        run.unborn = {o for o in self.u.unborn if o not in run.addr}
        if self.alloc_objs and self.alloc_now != born:
            self.alloc_now = born
            if alloc is not None:
                self.alloc_states.setdefault(born, alloc)  # taken in another worker
            saved, cached, sets = self.alloc_states[born]
            for o, s in zip(self.alloc_objs, saved):
                _put(o, s)
            self.mcache.alloc[self.spc] = self.span if cached else _empty_span()
            ks = self.known_spans
            for dq, idx in zip((*self.central.partial, *self.central.full), sets):
                dq.clear()
                dq.extend(ks[i] for i in idx)

    def _grey(self) -> set[int]:
        p, gc = self.p, self.gc
        s: set[int] = set()
        for b in p.gcw.bufs:
            s.update(b.tolist())
        for b in gc.marker.full:
            s.update(b.tolist())
        s.update(p.wbbuf)
        return s

    def _targets(self, o: str) -> list[str]:
        run = self.run
        a = run.addr[o]
        w = self.np64
        base = (a - ARENA_BASE_ADDR) >> 3
        out = []
        for f in self.u.fields:
            v = int(w[base + (_FIELD_OFF[f] >> 3)])
            out.append(run.name_of.get(v, "?") if v else "")
        return out

    def digest(self, left: tuple) -> tuple:
        """The state's hash key: object by object (exists, colour, targets), root jobs, scans done, moves left."""
        run, gc = self.run, self.gc
        grey = self._grey()
        marks = self.marks
        span = self.span
        objs = []
        for o in self.names:
            a = run.addr.get(o)
            if a is None:
                objs.append(None)
                continue
            m = marks[span.mark_off + (a - span.start_addr) // span.elemsize]
            c = 0 if not m else (1 if a in grey else 2)
            objs.append((c, *self._targets(o)))
        for o in self.stack_objs:
            objs.append(tuple(self._targets(o)))
        for w in self.local_words:
            v = int(self.np64[w])
            objs.append(run.name_of.get(v, "?") if v else "")
        jobs = frozenset(j[0] if len(j) == 1 else j[1].name for j in gc.root_jobs)
        scans = tuple(run.gs[g].scandone for g in self.gnames)
        return (tuple(objs), jobs, scans, left, gc.phase)

    # -- transitions ----------------------------------------------------------------------------

    def reachable(self, g: str) -> list[str]:
        """Objects goroutine *g* can reach now: its stack objects, and the heap from them and the globals."""
        run = self.run
        seen: list[str] = []
        todo = list(self.u.stacks[g])
        for name in run.global_addr:
            v = run.rt.data.load_word(run.global_addr[name])
            if v in run.name_of:
                todo.append(run.name_of[v])
        while todo:
            o = todo.pop()
            if o in seen or o not in run.addr:
                continue
            seen.append(o)
            todo.extend(t for t in self._targets(o) if t and t != "?")
        return sorted(seen, key=_key)

    def enabled(self, left: tuple, pcs: tuple | None) -> list[Transition]:
        """Every transition enabled now; *left*: statements each goroutine may still make (or *pcs* into fixed programs)."""
        run, gc = self.run, self.gc
        out: list[Transition] = []
        where = self.where
        if gc.phase == GC_OFF:
            return out
        jobs = gc.root_jobs
        for j in jobs:
            if j[0] == "globals":
                out.append(Transition("shade roots", "roots"))
        if not gc.mode.stw_mark and not run.policy.snapshot:
            for j in jobs:
                if j[0] == "stack" and not j[1].scandone:
                    out.append(Transition(f"scan stack {j[1].name}", "stack", g=j[1].name))
        grey = self._grey()
        for o in self.u.heap + self.u.unborn:
            a = run.addr.get(o)
            if a is not None and a in grey:
                out.append(Transition(f"scan {o}", "scan", obj=o))
        if not jobs and not grey:
            out.append(Transition("mark done", "done"))
        if run.world_stopped:
            return out
        if pcs is not None:
            for i, g in enumerate(self.gnames):
                prog = self.u.programs.get(g, [])
                if pcs[i] < len(prog):
                    out.append(parse_transition(f"program {g}: {prog[pcs[i]]}", where))
            return out
        nxt = next((o for o in self.u.unborn if o not in run.addr), None)
        for i, g in enumerate(self.gnames):
            if not left[i]:
                continue
            reach = self.reachable(g)
            for d in reach:
                for f in self.u.fields:
                    hw = where(d) == "heap"
                    out.append(Transition(f"program {g}: {d}.{f} = nil", "prog", g=g, writes=(d,), heap_write=hw))
                    for s in reach:
                        if s == d:
                            continue
                        # a heap object may not be made to point into a stack (it would escape)
                        tgt = self._targets(s)[self.u.fields.index("f")]
                        if hw and tgt and where(tgt) != "heap":
                            continue
                        out.append(Transition(f"program {g}: {d}.{f} = {s}.f", "prog", g=g, writes=(d,), reads=(s,), heap_write=hw))
                    if nxt is not None:
                        out.append(Transition(f"program {g}: {d}.{f} = new {nxt}", "prog", g=g, writes=(d,), heap_write=hw, alloc=True))
        return out

    def apply(self, t: Transition) -> None:
        """Run one transition on the engine (the scenario engine's own step code)."""
        run = self.run
        if t.kind == "prog":
            if t.alloc:
                self.alloc_now = None  # the allocator moved on: checkpoint() records where to
            run._program(t.text, "")
        else:
            run._collector(t.text, "")

    def terminal(self) -> list[str]:
        """``mark done`` from here: mark termination's marking, then checkmark; the lost objects, by name."""
        gc, p, run = self.gc, self.p, self.run
        gc.mode.stacks.mark_termination(gc, p.gcw)
        gc.mark_all(p)
        gc.last_lost = None
        gc.checkmark_action = "record"
        from ..runtime.mcheckmark import trace

        gc._checkmark(p)
        lost = {info["addr"] for info in (gc.last_lost or [])}
        gc.last_lost = None
        # A reachable object that is no longer allocated was freed before marking ended (a broken
        # engine).  As the scenario engine counts them, an object is lost when a root or a live
        # object still points to it, not when only an object freed with it does.
        parents, _ = trace(gc.marker, gc.roots())
        live = self.heap.find_object
        lost.update(a for a in parents if live(a) is None)
        lost = {a for a in lost if parents.get(a, 0) < 4096 or live(parents[a]) is not None}
        return sorted((run.name_of.get(a, hex(a)) for a in lost), key=_key)


def _key(o: str):
    return (0, int(o)) if o.isdigit() else (1, o)


def _empty_span():
    from ..runtime.mcache import EMPTY_MSPAN

    return EMPTY_MSPAN


__all__ = ["Explorer", "Transition", "independent", "parse_transition"]
