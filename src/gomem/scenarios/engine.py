"""Running a scenario on the real collector, one step at a time.

A :class:`ScenarioRun` builds the scenario's graph in a real
:class:`~gomem.runtime.runtime.Runtime` — heap objects are real allocations of
``Obj struct { f, a, b *Obj; id int64 }`` (the id is the object's number,
stored in its own bytes), stack objects are ``Obj`` values in a goroutine's
frame, roots are real globals and locals — and then performs each step with
the same code ``gomem run`` uses: the collector's start, root jobs, scans,
drain and mark termination; the mutator's stores through the write barrier
of the chosen mode; the sweeper.  Nothing is animated beside it.

After every step it records what happened (the event log since the last
step), every object's colour — derived, never stored: white = unmarked,
grey = marked and waiting in a work buffer, black = marked and scanned; a
stack object takes its stack's colour — whether the strong and the weak
tricolor invariants hold, and which edge breaks them.  At the end it
classifies every object as live, freed, lost (freed while still referenced:
a dangling pointer; checkmark gives the path) or floating garbage (marked
by a cycle although nothing reached it any more when that cycle's marking
ended, so its sweep kept it; a floating object is also live or, after a
later cycle, freed).  Roots have colours too: a global or a local is grey
until the collector has scanned it and then black, so an unscanned root
protects what it points to in the weak invariant.

Write barrier buffers hold one entry here, so a barrier's shading shows in
the very step that fired it.

A heap object that a program step allocates (``A.f = new N``, ``x = new
N``) is declared in the ``heap`` line like the others but does not exist
until that step: ``mallocgc`` allocates it then, black while the collector
marks if the mode allocates black (Go: ``gcmarknewobject``), white
otherwise.  The allocation takes no assist: the collector's work is its own
steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..runtime import mbarrier
from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR
from ..runtime.mgc import GC_OFF
from ..runtime.runtime import Runtime
from ..runtime.sched import CostModel
from ..runtime.trace import BARRIER, FREE, SCAN, SHADE, WRITE
from .format import FIELDS, Scenario, ScenarioError

WHITE, GREY, BLACK = "white", "grey", "black"
#: a program statement that allocates heap object N (``A.f = new N``, ``x = new N``)
_NEW = re.compile(r"=\s*new (\w+)\s*$")


@dataclass
class Step:
    """What one step did and the state it left."""

    index: int
    text: str
    kind: str  # "gc" or "program"
    note: str
    events: list[str]
    colors: dict[str, str]
    strong: bool
    weak: bool
    broken_edge: tuple[str, str, str] | None  # (from, field, to) breaking the strong invariant
    weak_edge: tuple[str, str, str] | None
    phase: str
    world_stopped: bool
    t: int
    highlight: tuple[str, str, str] | None = None  # the edge just written or deleted
    shaded: list[str] = field(default_factory=list)  # objects a barrier shaded in this step
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    freed: list[str] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # "globals" / "G1 stack" -> colour


@dataclass
class Outcome:
    live: list[str]
    freed: list[str]
    lost: list[str]
    floating: list[str]
    lost_paths: dict[str, str]

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _obj_type() -> gotypes.GoType:
    reg = gotypes.TypeRegistry(pkg="scenario")
    reg.declare("Obj", "struct { f, a, b *Obj; id int64 }")
    return reg.get("Obj")


_OBJ = _obj_type()
_FIELD_OFF = {f: _OBJ.field(f).offset for f in FIELDS}
_ID_OFF = _OBJ.field("id").offset


class ScenarioRun:
    """A scenario being run under one GC mode."""

    def __init__(self, scenario: Scenario, mode: str = "go1.8") -> None:
        self.sc = scenario
        self.mode_name = mode
        #: the mode's root policy: how its stacks are scanned, rescanned and coloured
        self.policy = mbarrier.get_mode(mode).stacks
        # Program steps take no model time but their barrier's: a heap store's
        # ptr_store is free here, so the timeline shows the collector's work.
        self.rt = rt = Runtime(
            procs=1, mode=mode, gogc=-1, detail=True, wbbuf_entries=1, clobberfree=True, checkmark=True,
            cost=CostModel(ptr_store=0),
        )
        rt.gc.checkmark_action = "record"
        rt.gc.stepping = True
        self.p = rt.sched.ps[0]
        self.addr: dict[str, int] = {}  # object -> address
        self.name_of: dict[int, str] = {}
        self.gs: dict[str, object] = {}
        self.frames: dict[str, object] = {}
        self.local_addr: dict[tuple[str, str], int] = {}
        self.global_addr: dict[str, int] = {}
        self.created: set[str] = set()  # stack objects in scope
        self.steps: list[Step] = []
        self.deferred: list[tuple[int, str]] = []
        self.freed: set[str] = set()
        self.floating: set[str] = set()
        self.lost_paths: dict[str, str] = {}
        self.dangling: list[tuple[str, str]] = []  # (step, what the load caught)
        self._log_mark = 0
        #: heap objects a program step allocates (``= new N``): not allocated until that step
        self.unborn: set[str] = {m.group(1) for _, t in scenario.steps for m in [_NEW.search(t)] if m and t.startswith("program ")}
        self._build()
        self.initial = self._snapshot("initial graph", "setup", "")
        self.steps.clear()

    # -- building the graph ----------------------------------------------------------

    def _build(self) -> None:
        rt, sc = self.rt, self.sc
        # Goroutines: each gets a frame holding its stack objects and locals.
        for gname in sc.goroutines():

            def parked(g):
                while True:
                    yield

            g = rt.spawn(parked, name=gname)
            g.p = self.p
            self.gs[gname] = g
            fields = [(f"o{o}", _OBJ) for o in sc.stacks.get(gname, [])]
            fields += [(f"l_{x}", gotypes.pointer_to(_OBJ)) for x in sc.locals.get(gname, [])]
            if not fields:
                fields = [("unused", gotypes.pointer_to(_OBJ))]
            ft = gotypes.struct_of(fields)
            fr = g.stack.push(ft, name=f"{gname}.main")
            self.frames[gname] = fr
            for o in sc.stacks.get(gname, []):
                a = fr.base + ft.field(f"o{o}").offset
                self.addr[o] = a
                self._write_word(a + _ID_OFF, _id(o))
            for x in sc.locals.get(gname, []):
                self.local_addr[(gname, x)] = fr.base + ft.field(f"l_{x}").offset
        # Heap objects, in the order given.
        g0 = next(iter(self.gs.values()))
        for o in sc.heap:
            if o not in self.unborn:
                self._allocate(o)
        for o, a in self.addr.items():
            self.name_of[a] = o
        # Stack objects present from the start (all but those created by a step).
        later = {t.split()[-1] for _, t in sc.steps if "new stack object" in t}
        self.created = {o for objs in sc.stacks.values() for o in objs if o not in later}
        # Globals.
        for name, target in sc.globals:
            gv = rt.data.declare(name, gotypes.pointer_to(_OBJ))
            self.global_addr[name] = gv.addr
            rt.data.store_word(gv.addr, self.addr[target])
        for src, fld, dst in sc.edges:
            self._write_word(self.addr[src] + _FIELD_OFF[fld], self.addr[dst])
        del g0
        # The allocating P hands its spans back, as any P does when it stops
        # allocating for a while: the objects sit in mcentral's swept sets
        # and are swept by the sweep phase, not when the mcache is flushed.
        rt.heap.flush_mcaches()
        self._log_mark = len(rt.log.events)

    def _allocate(self, o: str) -> int:
        """Allocate heap object *o* (``mallocgc`` of an ``Obj``, its id in its own bytes); return its address."""
        rt = self.rt
        a = rt.heap.mallocgc(_OBJ.size, _OBJ, 0)
        rt.obj_types[rt.heap.slot_base(a)] = f"Obj {o}"
        self.addr[o] = a
        self.name_of[a] = o
        rt.heap.store_scalar(a, _ID_OFF, _id(o))
        return a

    def _write_word(self, addr: int, value: int) -> None:
        if self.rt.data.contains(addr):
            self.rt.data.store_word(addr, value)
        else:
            self.rt.words[(addr - ARENA_BASE_ADDR) >> 3] = value

    def _read_word(self, addr: int) -> int:
        if self.rt.data.contains(addr):
            return self.rt.data.load_word(addr)
        return self.rt.words[(addr - ARENA_BASE_ADDR) >> 3]

    # -- running --------------------------------------------------------------------

    def run(self) -> list[Step]:
        for lineno, text in self.sc.steps:
            self.step(text, lineno)
        return self.steps

    @property
    def world_stopped(self) -> bool:
        """Whether a stop-the-world collector holds the world now (the program cannot run)."""
        gc = self.rt.gc
        m = gc.mode
        if not m.stw_mark:
            return False
        if gc.phase != GC_OFF:
            return True
        return m.stw_sweep and not self.rt.heap.sweeper.done

    def step(self, text: str, lineno: int = 0) -> Step:
        before = set(self._allocated())
        st = self._step(text, lineno)
        gone = sorted(before - set(self._allocated()), key=_sort_key)
        if gone:
            self.freed.update(gone)
            st.freed = sorted(self.freed, key=_sort_key)
            st.colors.update({o: "freed" for o in gone})
            if "freed" not in st.note:
                st.note += "; freed " + ", ".join(gone)
        return st

    def _step(self, text: str, lineno: int = 0) -> Step:
        where = f"{self.sc.origin or self.sc.name}:{lineno}: " if lineno else ""
        if text.startswith("program "):
            if self.world_stopped:
                self.deferred.append((lineno, text))
                return self._snapshot(text, "program", "the world is stopped: this step runs when it restarts")
            try:
                note, hl, shaded = self._program(text, where)
            except _Dangling as e:
                self.dangling.append((text, str(e)))
                return self._snapshot(text, "program", str(e))
            return self._snapshot(text, "program", note, hl, shaded)
        note = self._collector(text, where)
        st = self._snapshot(text, "gc", note)
        if self.deferred and not self.world_stopped:
            pending, self.deferred = self.deferred, []
            for ln, t in pending:
                self.step(t, ln)
        return st

    # -- collector steps -------------------------------------------------------------------

    def _collector(self, text: str, where: str) -> str:
        rt, gc, p = self.rt, self.rt.gc, self.p
        words = text.split()
        if text == "gc start":
            if gc.phase != GC_OFF:
                raise ScenarioError(f"{where}gc start: a cycle is already running")
            if not rt.heap.sweeper.done:
                rt.heap.sweeper.finish()
            gc.start(p, forced=True)
            note = "sweep termination: the world stops, "
            if self._has_barrier():
                note += "write barrier on, "
            note += "roots queued"
            if self.policy.snapshot:
                note += "; stacks snapshotted with the world stopped"
            if gc.mode.stw_mark:
                note += "; the world stays stopped while marking (no write barrier needed)"
            else:
                if not self._has_barrier():
                    note += "; no write barrier (unsafe on purpose)"
                note += f"; the world restarts after a {gc.pauses[-1][3]} ns pause"
            return note
        self._need_marking(text, where)
        if text == "shade roots":
            done = []
            for job in list(gc.root_jobs):
                if job[0] == "globals" or self.policy.with_globals:
                    gc.markroot(p, job)
                    done.append("globals" if job[0] == "globals" else f"stack of {job[1].name}")
            return "root objects shaded grey (" + ", ".join(done) + ")"
        if words[:2] == ["scan", "stack"] and len(words) == 3:
            g = self._g(words[2], where)
            if self.policy.snapshot:
                return f"{words[2]}'s stack was already scanned at GC start (snapshot)"
            if g.scandone and self.policy.rescan is None:
                return f"{words[2]}'s stack was already scanned"
            if g.scandone:
                gc.scan_stack(g, p.gcw)  # Go 1.5: a stack can be scanned again before the rescan
            else:
                gc.markroot(p, ("stack", g))
            if gc.mode.stw_mark:
                return f"{words[2]}'s stack scanned (the world is stopped)"
            note = f"{words[2]}'s stack scanned while the other goroutines run"
            if self.policy.rescan is not None:
                if self.policy.rescan:
                    note += "; it stays grey (stack writes have no barrier) until mark termination rescans it"
                else:
                    note += "; it counts as black: the rescan at mark termination is switched off"
            return note
        if words[0] == "scan" and len(words) == 2:
            o = words[1]
            a = self._obj(o, where)
            if self.sc.where(o) != "heap":
                raise ScenarioError(f"{where}scan {o}: {o} is a stack object; scan its stack instead")
            c = self._color(o)
            if c != GREY:
                raise ScenarioError(f"{where}scan {o}: {o} is {c}, only a grey object can be scanned now")
            gc.scan_object(p, a)
            return f"{o} scanned: what it points to is shaded, {o} turns black"
        if text == "drain":
            gc.drain(p)
            return "the collector drains every grey object"
        if text == "mark done":
            if gc.phase == GC_OFF:
                raise ScenarioError(f"{where}mark done: no cycle is marking")
            return self._mark_done()
        if text == "sweep":
            if gc.phase != GC_OFF:
                raise ScenarioError(f"{where}sweep: marking is not finished (add 'step mark done' first)")
            if gc.mode.stw_sweep and rt.heap.sweeper.done:
                return "sweep: nothing left to sweep (it ran at mark termination, with the world stopped)"
            before = self._allocated()
            rt.heap.sweeper.finish()
            freed = [o for o in before if not self._is_allocated(o)]
            return "sweep: " + (("freed " + ", ".join(freed)) if freed else "nothing freed")
        if text == "gc cycle":
            if gc.phase != GC_OFF:
                raise ScenarioError(f"{where}gc cycle: a cycle is already running")
            rt.heap.sweeper.finish()
            before = self._allocated()
            gc.start(p, forced=True)
            gc.mark_termination(p)
            rt.heap.sweeper.finish()
            rt.heap.flush_mcaches()
            freed = [o for o in before if not self._is_allocated(o)]
            return "another whole cycle: " + (("freed " + ", ".join(freed)) if freed else "nothing freed")
        raise ScenarioError(f"{where}unknown step {text!r}")

    def _mark_done(self) -> str:
        """The ``mark done`` step: mark termination, and what it leaves (floating garbage, checkmark's lost objects)."""
        gc, p = self.rt.gc, self.p
        gc.mark_termination(p)
        pause = gc.pauses[-1][3]
        note = "mark termination: marking is finished" if gc.mode.stw_mark else (
            "mark termination: the world stops, marking is finished"
        )
        if self._has_barrier():
            note += ", write barrier off"
        if self.policy.rescan is not None:
            if self.policy.rescan:
                note += "; every stack is rescanned with the world stopped"
            else:
                note += "; stacks are not rescanned (switched off)"
        if gc.mode.stw_sweep:
            note += "; the sweep runs before the world restarts"
        elif gc.mode.stw_mark:
            note += "; the world restarts, the sweep runs beside the program"
        else:
            note += f"; the world restarts after a {pause} ns pause"
        # Floating garbage: marked in this cycle (so the sweep keeps it)
        # although nothing reaches it any more when marking ends.
        kept = set(self._allocated()) if gc.mode.stw_sweep else self._marked_set()
        reach = self._reachable()
        fl = sorted((o for o in kept if o not in reach), key=_sort_key)
        self.floating.update(fl)
        if fl:
            note += "; floating garbage (marked, yet unreachable now): " + ", ".join(fl)
        lost = getattr(gc, "last_lost", None)
        if lost:
            for info in lost:
                name = self.name_of.get(info["addr"], hex(info["addr"]))
                chain = " -> ".join([info["root"]] + [self.name_of.get(x, hex(x)) for x in info["path"]])
                self.lost_paths[name] = chain
            gc.last_lost = None
            note += "; checkmark: reachable object(s) left white: " + ", ".join(self.lost_paths)
        return note

    def _need_marking(self, text: str, where: str) -> None:
        import re

        if not (text in ("shade roots", "drain", "mark done") or re.fullmatch(r"scan (stack )?\w+", text)):
            if text not in ("sweep", "gc cycle"):
                raise ScenarioError(f"{where}unknown step {text!r}")
            return
        if self.rt.gc.phase == GC_OFF:
            raise ScenarioError(f"{where}{text}: no GC cycle is running (add 'step gc start' first)")

    # -- program steps ------------------------------------------------------------------------

    def _program(self, text: str, where: str) -> tuple[str, tuple | None, list[str]]:
        import re

        m = re.fullmatch(r"program (\w+):\s*(.+)", text)
        if not m:
            raise ScenarioError(f"{where}want 'program GOROUTINE: STATEMENT'")
        gname, stmt = m.group(1), m.group(2).strip()
        g = self._g(gname, where)
        m = re.fullmatch(r"new stack object (\w+)", stmt)
        if m:
            o = m.group(1)
            if self.sc.where(o) != gname:
                raise ScenarioError(f"{where}{o} is not a stack object of {gname}")
            self.created.add(o)
            c = self._color(o)
            if self.rt.gc.phase == GC_OFF:
                why = "no cycle is marking"
            elif c == GREY:
                why = "grey, like the rest of its stack until the rescan"
            else:
                why = "allocated black: new stack objects are black while marking"
            return f"stack object {o} comes into scope ({why})", None, []
        m = re.fullmatch(r"(\w+)\s*=\s*(.+)", stmt)
        if m and "." not in m.group(1):
            x, rhs = m.group(1), m.group(2).strip()
            la = self._local(gname, x, where)
            val = self._value(gname, rhs, where)
            self._write_word(la, val)
            self.rt.log.emit(self.p.now, WRITE, self.p.id, slot=la, old=0, new=val, where="stack", g=g.id)
            what = "nil" if not val else self.name_of.get(val, hex(val))
            return f"local {x} = {what} (a stack write: no barrier)", None, []
        m = re.fullmatch(r"(\w+)\.(\w+)\s*=\s*(.+)", stmt)
        if not m:
            raise ScenarioError(f"{where}cannot parse statement {stmt!r}")
        o, fld, rhs = m.group(1), m.group(2), m.group(3).strip()
        if fld not in FIELDS:
            raise ScenarioError(f"{where}unknown field {fld!r}")
        dst = self._obj(o, where)
        if o not in self.created and self.sc.where(o) != "heap":
            raise ScenarioError(f"{where}stack object {o} is not in scope yet")
        val = self._value(gname, rhs, where)
        target = self.name_of.get(val)
        slot = dst + _FIELD_OFF[fld]
        old = self._read_word(slot)
        before_marks = self._marked_set()
        if self.sc.where(o) == "heap":
            if val and target is not None and self.sc.where(target) != "heap":
                raise ScenarioError(
                    f"{where}{o}.{fld} = {target}: heap object {o} cannot point to stack object {target}: "
                    "it would have escaped to the heap"
                )
            g.write_slot(slot, val)  # the runtime's heap store: the barrier (its buffer holds one entry), the log
            kind = "a heap write"
        else:
            if self.sc.where(o) != gname:
                raise ScenarioError(f"{where}{gname} cannot write {o}, a stack object of another goroutine")
            if val and target is not None and self.sc.where(target) not in ("heap", gname):
                raise ScenarioError(
                    f"{where}{o}.{fld} = {target}: {target} is on another goroutine's stack; "
                    "a stack may point only to the heap and into itself"
                )
            self._write_word(slot, val)
            self.rt.log.emit(self.p.now, WRITE, self.p.id, slot=slot, old=old, new=val, where="stack", g=g.id)
            kind = "a stack write: no barrier"
        shaded = [n for n in self._marked_set() - before_marks]
        what = "nil" if not val else (target or hex(val))
        note = f"{o}.{fld} = {what} ({kind}"
        if shaded:
            note += "; the barrier shades " + ", ".join(sorted(shaded, key=_sort_key))
        elif self.sc.where(o) == "heap" and self.rt.gc.phase != GC_OFF:
            b = self.rt.mode.barrier
            if not b.active or not self.rt.wb_enabled:
                note += "; no barrier"
            elif b.shades_new and not b.shades_old and not val:
                note += "; the insertion barrier shades only the new value: nil"
            elif b.shades_old and not b.shades_new and not old:
                note += "; the deletion barrier shades only the old value: nil"
            else:
                note += "; what the barrier shades is grey or black already"
        note += ")"
        hl = (o, fld, target if val else self.name_of.get(old, "nil"))
        return note, hl, shaded

    def _value(self, gname: str, rhs: str, where: str) -> int:
        import re

        if rhs == "nil":
            return 0
        m = re.fullmatch(r"new (\w+)", rhs)
        if m:
            o = m.group(1)
            if o not in self.unborn:
                raise ScenarioError(f"{where}new {o}: {o} is not a heap object allocated by a step (or it exists already)")
            self.unborn.discard(o)
            return self._allocate(o)
        m = re.fullmatch(r"(\w+)\.(\w+)", rhs)
        if m:
            o, fld = m.group(1), m.group(2)
            if fld not in FIELDS:
                raise ScenarioError(f"{where}unknown field {fld!r}")
            v = self._read_word(self._obj(o, where) + _FIELD_OFF[fld])
            if v and not self._valid(v):
                info = self.rt.graveyard.get(self.rt.heap.slot_base(v), {})
                cycle = f" by the sweeper in GC cycle {info['cycle']}" if "cycle" in info else ""
                raise _Dangling(
                    f"dangling pointer caught: {o}.{fld} points to {self.name_of.get(v, hex(v))}, "
                    f"freed{cycle} (clobberfree); the program would crash here"
                )
            return v
        if (gname, rhs) in self.local_addr:
            return self._read_word(self.local_addr[(gname, rhs)])
        if rhs not in self.addr:
            raise ScenarioError(
                f"{where}{rhs} is neither an object nor a local of {gname} (declare a local with 'local {gname} {rhs}')"
            )
        if self.sc.where(rhs) != "heap" and rhs not in self.created:
            raise ScenarioError(f"{where}stack object {rhs} is not in scope yet")
        return self._obj(rhs, where)

    def _has_barrier(self) -> bool:
        return self.rt.gc.mode.barrier.active

    def _valid(self, v: int) -> bool:
        return self.rt.heap.find_object(v) is not None or self.rt.stack_owner(v) is not None

    def _g(self, name: str, where: str):
        try:
            return self.gs[name]
        except KeyError:
            raise ScenarioError(f"{where}unknown goroutine {name}") from None

    def _obj(self, o: str, where: str) -> int:
        try:
            return self.addr[o]
        except KeyError:
            raise ScenarioError(f"{where}unknown object {o}") from None

    def _local(self, gname: str, x: str, where: str) -> int:
        try:
            return self.local_addr[(gname, x)]
        except KeyError:
            raise ScenarioError(f"{where}{gname} has no local {x} (declare it with 'local {gname} {x}')") from None

    # -- state ----------------------------------------------------------------------------------

    def _is_allocated(self, o: str) -> bool:
        return o in self.addr and self.rt.heap.find_object(self.addr[o]) is not None

    def _allocated(self) -> list[str]:
        return [o for o in self.sc.heap if o not in self.freed and self._is_allocated(o)]

    def _marked_set(self) -> set[str]:
        out = set()
        for o in self.sc.heap:
            if o in self.freed or o in self.unborn:
                continue
            f = self.rt.heap.find_object(self.addr[o])
            if f and f[0].is_marked(f[2]):
                out.add(o)
        return out

    def _grey_addrs(self) -> set[int]:
        gc = self.rt.gc
        s: set[int] = set()
        for q in self.rt.sched.ps:
            for b in q.gcw.bufs:
                s.update(b.tolist())
            s.update(q.wbbuf)
        for b in gc.marker.full:
            s.update(b.tolist())
        return s

    def _color(self, o: str, grey: set[int] | None = None) -> str:
        gc = self.rt.gc
        where = self.sc.where(o)
        if where != "heap":
            c = self.stack_color(where)
            if c == GREY and gc.phase != GC_OFF and o not in self._initial_stack():
                # created during marking: allocated black, unless the policy keeps the whole stack grey
                return self.policy.stack_colour(scanned=True)
            return c
        if o in self.freed:
            return "freed"
        f = self.rt.heap.find_object(self.addr[o])
        if f is None or not f[0].is_marked(f[2]):
            return WHITE
        if grey is None:
            grey = self._grey_addrs()
        return GREY if self.addr[o] in grey else BLACK

    def stack_color(self, gname: str) -> str:
        """The colour of goroutine *gname*'s stack: its stack objects' and locals' colour."""
        gc = self.rt.gc
        if gc.phase == GC_OFF:
            # between mark termination and the sweep the last cycle's
            # colours still stand: the stacks were scanned, so black
            return WHITE if self.rt.heap.sweeper.done else BLACK
        return self.policy.stack_colour(self.gs[gname].scandone)  # Go 1.5: grey until the STW rescan

    def root_colors(self) -> dict[str, str]:
        """Colours of the root slots (the sources of ``edges()`` that are not objects).

        A root the collector has not scanned yet is grey — it still protects
        what it points to — and black once scanned: globals once their root
        job ran, locals with their goroutine's stack.
        """
        gc = self.rt.gc
        out = {}
        if gc.phase == GC_OFF:
            gcol = WHITE if self.rt.heap.sweeper.done else BLACK
        else:
            gcol = GREY if ("globals",) in gc.root_jobs else BLACK
        for name in self.global_addr:
            out[f"global {name}"] = gcol
        for gname, x in self.local_addr:
            out[f"local {gname}.{x}"] = self.stack_color(gname)
        return out

    def _initial_stack(self) -> set[str]:
        later = {t.split()[-1] for _, t in self.sc.steps if "new stack object" in t}
        return {o for objs in self.sc.stacks.values() for o in objs if o not in later}

    def edges(self) -> list[tuple[str, str, str]]:
        """Every pointer among scenario objects and roots now: (from, field, to)."""
        out = []
        for name, a in self.global_addr.items():
            v = self.rt.data.load_word(a)
            if v in self.name_of:
                out.append((f"global {name}", "", self.name_of[v]))
        for (gname, x), a in self.local_addr.items():
            v = self._read_word(a)
            if v in self.name_of:
                out.append((f"local {gname}.{x}", "", self.name_of[v]))
        for o in self.sc.objects:
            if o in self.freed or o in self.unborn or (self.sc.where(o) != "heap" and o not in self.created):
                continue
            for fld in FIELDS:
                v = self._read_word(self.addr[o] + _FIELD_OFF[fld])
                if v in self.name_of:
                    out.append((o, fld, self.name_of[v]))
        return out

    def _reachable(self) -> set[str]:
        edges = self.edges()
        adj: dict[str, list[str]] = {}
        for a, _, b in edges:
            adj.setdefault(a, []).append(b)
        roots = [b for a, _, b in edges if a.startswith(("global ", "local "))]
        roots += [o for o in self.created if self.sc.where(o) != "heap"]
        seen = set()
        stack = list(roots)
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            stack.extend(adj.get(x, ()))
        return seen

    def invariants(self, colors: dict[str, str], edges: list) -> tuple[bool, bool, tuple | None, tuple | None]:
        """(strong holds, weak holds, an edge breaking strong, an edge breaking weak).

        *colors* may include root slots (``root_colors()``): a black root
        pointing to a white object breaks the strong invariant like a black
        object does, and a grey (unscanned) root protects what it reaches.
        """
        broken = [(a, f, b) for a, f, b in edges if colors.get(a) == BLACK and colors.get(b) == WHITE]
        if not broken:
            return True, True, None, None
        # weak: each white target of a black object must be reachable from a grey object through white ones
        adj: dict[str, list[str]] = {}
        for a, _, b in edges:
            adj.setdefault(a, []).append(b)
        protected: set[str] = set()
        stack = [o for o, c in colors.items() if c == GREY]
        seen = set(stack)
        while stack:
            x = stack.pop()
            for y in adj.get(x, ()):
                if colors.get(y) == WHITE and y not in seen:
                    seen.add(y)
                    protected.add(y)
                    stack.append(y)
        weak_broken = [e for e in broken if e[2] not in protected]
        return False, not weak_broken, broken[0], (weak_broken[0] if weak_broken else None)

    def _snapshot(self, text: str, kind: str, note: str, hl=None, shaded=None) -> Step:
        rt = self.rt
        grey = self._grey_addrs()
        colors = {}
        for o in self.sc.objects:
            if o in self.unborn or (self.sc.where(o) != "heap" and o not in self.created):
                continue
            colors[o] = self._color(o, grey)
        edges = self.edges()
        rcol = self.root_colors()
        strong, weak, be, we = self.invariants({**colors, **rcol}, edges)
        roots = {}
        if self.sc.globals:
            roots["globals"] = next(c for k, c in rcol.items() if k.startswith("global "))
        for gname in self.gs:
            roots[f"{gname} stack"] = self.stack_color(gname)
        evs = rt.log.events[self._log_mark :]
        self._log_mark = len(rt.log.events)
        lines = [self._describe(e) for e in evs if e.kind in (SHADE, SCAN, BARRIER, WRITE, FREE)]
        st = Step(
            index=len(self.steps),
            text=text,
            kind=kind,
            note=note,
            events=[x for x in lines if x],
            colors=colors,
            strong=strong,
            weak=weak,
            broken_edge=be,
            weak_edge=we,
            phase=("off", "mark", "marktermination")[rt.gc.phase],
            world_stopped=self.world_stopped,
            t=rt.now,
            highlight=hl,
            shaded=shaded or [],
            edges=edges,
            freed=sorted(self.freed, key=_sort_key),
            roots=roots,
        )
        self.steps.append(st)
        return st

    def _describe(self, e) -> str:
        d = e.data
        n = self.name_of
        if e.kind == SHADE:
            o = n.get(d.get("addr"))
            return f"shade {o} {d.get('color')}" if o else ""
        if e.kind == SCAN:
            o = n.get(d.get("addr"))
            return f"scan {o}" if o else ""
        if e.kind == BARRIER:
            return f"barrier {d.get('barrier')}: old {n.get(d.get('old'), 'nil')}, new {n.get(d.get('new'), 'nil')}"
        return ""

    def outcome(self) -> Outcome:
        reach = self._reachable()
        referenced = {b for a, _, b in self.edges()}
        # edges() skips freed objects' targets but includes pointers *to* freed objects via name_of
        lost = sorted((o for o in self.freed if o in referenced), key=_sort_key)
        freed = sorted((o for o in self.freed if o not in referenced), key=_sort_key)
        live = sorted((o for o in self.sc.heap if o not in self.freed and o not in self.unborn), key=_sort_key)
        floating = sorted(self.floating, key=_sort_key)
        del reach
        return Outcome(live=live, freed=freed, lost=lost, floating=floating, lost_paths=dict(self.lost_paths))

    def check_expectations(self) -> list[str]:
        """Differences between the outcome and the scenario's ``expect`` lines for this mode."""
        exp = self.sc.expected(self.mode_name)
        out = self.outcome()
        problems = []
        have = {"live": set(out.live), "freed": set(out.freed), "lost": set(out.lost), "floating": set(out.floating)}
        for kind, objs in exp.items():
            for o in objs:
                if o not in have[kind]:
                    problems.append(f"expected {o} {kind}")
        return problems


class _Dangling(ScenarioError):
    """A program step loaded a pointer to a freed object (shown as the step's note)."""


def _id(o: str) -> int:
    try:
        return int(o)
    except ValueError:
        return sum(ord(c) for c in o)


def _sort_key(o: str):
    return (0, int(o)) if o.isdigit() else (1, o)
