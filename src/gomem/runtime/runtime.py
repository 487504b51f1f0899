"""The assembled runtime, and the mutator API goroutines use.

:class:`Runtime` puts together the heap (:mod:`gomem.runtime.malloc`), the
scheduler (:mod:`gomem.runtime.sched`), the globals (:mod:`gomem.runtime.dataseg`), stacks
(:mod:`gomem.runtime.stack`), the collector (:mod:`gomem.runtime.mgc`) and the event log
(:mod:`gomem.runtime.trace`).  :meth:`Runtime.run` runs a program: a generator
function ``main(g)`` started as the main goroutine; the program ends when
main returns, as in Go.

A goroutine (:class:`Goroutine`) reaches memory only through its API, which
is what makes the collector's view of the program exact:

* ``g.new(T)``, ``g.new_array(T, n)``, ``g.alloc(size)`` — allocate on the
  goroutine's P (paying mark assists while the GC is marking);
* ``g.store(obj, off, val)`` / ``g.load(obj, off)`` — heap pointer fields,
  with the write barrier and checks; ``g.set_global``/``g.get_global``;
* ``g.frame(T)`` pushes a frame of locals; ``g.set_local``/``g.get_local``
  read and write it — stack writes, never a barrier;
* ``g.go(fn, …)`` starts a goroutine; ``yield from g.gc()`` is
  ``runtime.GC()``; ``yield`` is a safe point.

Every operation charges its cost-model price to the goroutine's P clock.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from . import mbarrier
from . import types as gotypes
from .arena import ARENA_BASE_ADDR
from .dataseg import RUNTIME_GLOBALS_BYTES, DataSegment
from ..errors import BadInput, BadPointer, BadWrite, GomemError
from .malloc import Heap
from .mgcpacer import MAX_INT64
from .mbarrier import WBBUF_ENTRIES
from .mgc import GC_OFF, Collector
from .sched import FORCE_PREEMPT_NS, G, G_DEAD, G_RUNNABLE, G_WAITING, CostModel, P, Scheduler
from .stack import _SHAPES as FRAME_SHAPES
from .stack import STACK_GUARD, Frame, Stack, StackAllocator
from .trace import ALLOC, WRITE, EventLog


new_frame = object.__new__
#: how late an idle P wakes for a timer (netpoll's sleep until the next timer): the median oversleep of
#: ``time.Sleep(time.Millisecond)`` on Go 1.27, GOMAXPROCS=1, this machine (2 runs of 300 sleeps: min 50 and
#: 70 us, p10 88-89 us, median 101-103 us, p90 120-125 us; /tmp/m/oversleep.go in the session note)
IDLE_TIMER_WAKE_NS = 100_000


class DanglingPointer(GomemError):
    """A load through a pointer to a freed object (caught thanks to clobberfree)."""

    exit_status = 4


class Goroutine(G):
    """A goroutine and its mutator API (see the module docstring)."""

    __slots__ = ()

    def requeue(self, sched, p: P) -> None:
        """Its step ended at a safe point (a ``yield``) and it can go on: to the tail of *p*'s local run
        queue.  A Python workload yields at every safe point, so goroutines sharing a P take turns there;
        a compiled program's goroutine ends a step only when Go's would leave its P (``GeneratedGoroutine``)."""
        self.status = G_RUNNABLE
        sched.runqput(p, self)

    # -- allocation --------------------------------------------------------------

    def alloc(self, size: int, typ: gotypes.GoType | None = None) -> int:
        rt = self.rt
        p = self.p
        rt.cur_p = p
        v = rt.heap.mallocgc(size, typ, p.id)
        p.now += rt.cost_alloc
        if rt.gc.blacken_enabled:
            rt.gc.charge_alloc(self, p, size)
        if rt.track_types:
            rt.obj_types[rt.heap.slot_base(v)] = str(typ) if typ is not None else f"[{size}]byte"
        if rt.memprof is not None:
            rt.heap.profile_alloc(rt.memprof, p.id, v, size, typ, self is rt.main)
        if rt.log.detail:
            rt.log.emit(p.now, ALLOC, p.id, addr=v, size=size, type=str(typ) if typ else "noscan", g=self.id)
        return v

    def new(self, typ: gotypes.GoType) -> int:
        """``new(T)`` / ``&T{}``: a zeroed object of type *typ*."""
        return self.alloc(typ.size, typ if typ.ptrdata else None)

    def new_array(self, typ: gotypes.GoType, n: int) -> int:
        """``make([]T, n)``'s backing array."""
        if n < 0:
            raise BadInput("makeslice: len out of range")
        return self.alloc(typ.size * n, typ if typ.ptrdata else None)

    # -- heap fields ---------------------------------------------------------------

    def store(self, obj: int, off: int, val: int) -> None:
        """``obj.f = val`` for a pointer field at byte offset *off* (heap write, barrier)."""
        rt = self.rt
        if rt.stack_owner(val) is not None:
            raise BadWrite(
                f"cannot store a pointer to stack object {val:#x} into heap object {obj:#x}: "
                "the object would have escaped to the heap"
            )
        heap = rt.heap
        self._check_live(obj)
        addr, start, mask = heap._slot(obj, off, 8)
        if addr & 7 or not (mask >> ((addr - start) >> 3)) & 1:
            raise BadWrite(f"offset {off} of object {start:#x} is not a pointer slot")
        if not heap.is_valid_pointer(val):
            raise BadPointer(f"storing invalid pointer {val:#x}: {heap._why_not_object(val)}")
        self.write_slot(addr, val)

    def write_slot(self, addr: int, val: int) -> None:
        """Store *val* into the heap pointer slot at *addr*, through the write barrier.

        Trusted: no checks (built-in workloads use it after validating once).
        """
        rt = self.rt
        p = self.p
        i = (addr - ARENA_BASE_ADDR) >> 3
        words = rt.words
        if rt.wb_enabled:
            rt.barrier.store(p, words[i], val, addr)
        else:
            p.now += rt.cost.ptr_store
        if rt.log.detail:
            rt.log.emit(p.now, WRITE, p.id, slot=addr, old=words[i], new=val, where="heap", g=self.id)
        words[i] = val

    def load(self, obj: int, off: int) -> int:
        """The pointer in field *off* of *obj*; a dangling result raises DanglingPointer."""
        rt = self.rt
        self._check_live(obj)
        v = rt.heap.load_pointer(obj, off)
        self.p.now += rt.cost.ptr_load
        if v:
            self._check_live(v)
        return v

    def store_scalar(self, obj: int, off: int, val: int, nbytes: int = 8) -> None:
        self._check_live(obj)
        self.rt.heap.store_scalar(obj, off, val, nbytes)
        self.p.now += self.rt.cost.scalar

    def load_scalar(self, obj: int, off: int, nbytes: int = 8) -> int:
        self._check_live(obj)
        self.p.now += self.rt.cost.scalar
        return self.rt.heap.load_scalar(obj, off, nbytes)

    def _check_live(self, v: int) -> None:
        rt = self.rt
        if v == 0 or not rt.heap.aspace.arena_of(v):
            return
        if rt.heap.find_object(v) is None and rt.stack_owner(v) is None:
            info = rt.graveyard.get(rt.heap.slot_base(v))
            if info is not None:
                raise DanglingPointer(
                    f"dangling pointer {v:#x}: object {info['addr']:#x} ({info['type']}) was freed "
                    f"by the sweeper in GC cycle {info['cycle']}{info.get('where', '')}"
                )
            raise BadPointer(rt.heap._why_not_object(v))

    # -- globals -------------------------------------------------------------------

    def set_global(self, name: str, val: int, off: int = 0) -> None:
        """``name = val`` (or a pointer field of a global struct): barrier while on."""
        rt = self.rt
        gv = rt.data.get(name)
        addr = gv.addr + off
        if not rt.data.is_pointer_slot(addr):
            raise BadWrite(f"{name}+{off} is not a pointer slot")
        if rt.stack_owner(val) is not None:
            raise BadWrite(
                f"cannot store a pointer to stack object {val:#x} into global {name}: "
                "the object would have escaped to the heap"
            )
        if not rt.heap.is_valid_pointer(val):
            raise BadPointer(f"storing invalid pointer {val:#x}: {rt.heap._why_not_object(val)}")
        p = self.p
        old = rt.data.load_word(addr)
        if rt.wb_enabled:
            rt.barrier.store(p, old, val, addr)
        else:
            p.now += rt.cost.ptr_store
        if rt.log.detail:
            rt.log.emit(p.now, WRITE, p.id, slot=addr, old=old, new=val, where="global", name=name, g=self.id)
        rt.data.store_word(addr, val)

    def get_global(self, name: str, off: int = 0) -> int:
        rt = self.rt
        gv = rt.data.get(name)
        self.p.now += rt.cost.ptr_load
        v = rt.data.load_word(gv.addr + off)
        if v:
            self._check_live(v)
        return v

    # -- stack ---------------------------------------------------------------------

    def frame(self, typ: gotypes.GoType, name: str = "frame"):
        """Push a frame of locals of struct type *typ* (zeroed).

        With the C extension built, :mod:`gomem.runtime.speedups` puts its copy of this method (and of
        :meth:`pop`) in the class: the same steps, in C, this code for any other case."""
        rt = self.rt
        self.p.now += rt.cost.frame
        st = self.stack
        shape = FRAME_SHAPES.get(typ)
        if shape is not None and st.sp - shape[0] - st.lo >= STACK_GUARD:
            # Stack.push when the frame fits above the guard (no morestack), inlined: the hottest call
            size, zeros = shape
            base = st.sp = st.sp - size
            if size:
                i0 = (base - ARENA_BASE_ADDR) >> 3
                st.words[i0:i0 + (size >> 3)] = zeros
            f = new_frame(Frame)
            f.stack, f.base, f.type, f.name, f.size = st, base, typ, name, size
            st.frames.append(f)
            if st.hi - base > st.max_used:
                st.max_used = st.hi - base
            return f
        return st.push(typ, name, rt.gc.phase != GC_OFF)

    def runtime_frame(self, typ: gotypes.GoType, name: str = "runtime"):
        """A frame of the model's runtime helpers (maps, fmt, strconv ...): like Go's runtime code that runs
        within the stack guard, it does not grow (move) the stack while the generated code that called the
        helper holds stack addresses in flight."""
        rt = self.rt
        self.p.now += rt.cost.frame
        return self.stack.push(typ, name, rt.gc.phase != GC_OFF, 0)

    def pop(self, frame=None) -> None:
        self.p.now += self.rt.cost.frame
        st = self.stack
        frames = st.frames
        if frames and frames[-1] is frame:  # Stack.pop of the top frame, inlined
            frames.pop()
            st.sp = frame.base + frame.size
        else:
            st.pop(frame)

    def set_local(self, frame, field: str | int, val: int) -> None:
        """A stack write: no write barrier, ever."""
        rt = self.rt
        addr = frame.addr(field)
        if not (frame.type.ptrmask >> ((addr - frame.base) >> 3)) & 1:
            raise BadWrite(f"local {frame.name}.{field} is not a pointer slot")
        owner = rt.stack_owner(val)
        if owner is not None and owner is not self:
            raise BadWrite(f"cannot store a pointer into goroutine {owner.id}'s stack in goroutine {self.id}'s frame")
        if owner is None and not rt.heap.is_valid_pointer(val):
            raise BadPointer(f"storing invalid pointer {val:#x}: {rt.heap._why_not_object(val)}")
        i = (addr - ARENA_BASE_ADDR) >> 3
        if rt.log.detail:
            rt.log.emit(self.p.now, WRITE, self.p.id, slot=addr, old=rt.words[i], new=val, where="stack", g=self.id)
        rt.words[i] = val
        self.p.now += rt.cost.ptr_store

    def get_local(self, frame, field: str | int) -> int:
        rt = self.rt
        v = rt.words[(frame.addr(field) - ARENA_BASE_ADDR) >> 3]
        self.p.now += rt.cost.ptr_load
        if v:
            self._check_live(v)
        return v

    # -- goroutines and the GC -------------------------------------------------------

    def go(self, fn: Callable[..., Iterator], *args: Any, name: str | None = None) -> Goroutine:
        """``go fn(args...)``."""
        rt = self.rt
        self.p.now += rt.cost.goroutine
        return rt.spawn(fn, *args, name=name or getattr(fn, "__name__", "goroutine"))

    def gc(self) -> Iterator[None]:
        """``runtime.GC()``: ``yield from g.gc()``; returns after a full cycle, sweep included."""
        yield from self.rt.gc.user_gc(self)

    def set_gc_percent(self, percent: int) -> int:
        """``debug.SetGCPercent(percent)``: returns the old GOGC; takes effect at once.

        Like Go, turning the collector off (a negative percent) waits for a
        mark phase in progress to finish — in the model the goroutine parks
        at its next ``yield``.
        """
        gc = self.rt.gc
        old = gc.set_gc_percent(percent)
        if percent < 0 and gc.running:
            self.status = G_WAITING
            self.wait_reason = "GC mark termination"
            gc.waiters.setdefault(gc.cycles, []).append(self)
        return old

    def set_memory_limit(self, limit: int) -> int:
        """``debug.SetMemoryLimit(limit)``: returns the old limit; a negative *limit* only reads it."""
        return self.rt.gc.set_memory_limit(limit)

    def free_os_memory(self) -> Iterator[None]:
        """``debug.FreeOSMemory()``: ``yield from g.free_os_memory()``; a forced GC, then every free page released."""
        yield from self.rt.gc.user_gc(self)
        self.rt.gc.scavenger.scavenge_all()

    def work(self, units: int = 1) -> None:
        """Account for *units* of the program's own computation."""
        self.p.now += self.rt.cost.scalar * units

    @property
    def now(self) -> int:
        return self.p.now if self.p else 0


class Runtime:
    """A Go program's runtime: heap, scheduler, collector, globals, log."""

    def __init__(
        self,
        procs: int = 1,
        mode: str = mbarrier.DEFAULT_MODE,
        gogc: int = 100,
        seed: int = 1,
        policy: str = "rr",
        layout: str = "greentea",
        max_heap: int | None = None,
        cost: CostModel | None = None,
        checkmark: bool = False,
        clobberfree: bool = False,
        detail: bool = False,
        wbbuf_entries: int = WBBUF_ENTRIES,
        gctrace: Callable[[str], None] | None = None,
        memory_limit: int = MAX_INT64,
        gcpacertrace: Callable[[str], None] | None = None,
        scavtrace: Callable[[str], None] | None = None,
    ) -> None:
        if not 1 <= procs <= 256:
            raise BadInput(f"GOMAXPROCS must be between 1 and 256, got {procs}")
        self.mode = mbarrier.get_mode(mode)
        self.cost = cost or CostModel()
        self.cost_alloc = self.cost.alloc
        self.heap = Heap(procs=procs, layout=layout, max_heap=max_heap, clobberfree=clobberfree)
        self.words = self.heap.aspace.words
        self.sched = Scheduler(procs, policy, seed)
        for p, c in zip(self.sched.ps, self.heap.mcaches):
            p.mcache = c
        self.data = DataSegment(runtime_bytes=RUNTIME_GLOBALS_BYTES)
        self.stacks = StackAllocator(self.heap.mheap)
        #: the stack bytes of every goroutine alive (Go: ``gcController.maxStackScan``, kept as
        #: ``addScannableStack`` keeps it: at a goroutine's start and exit and when its stack is copied)
        self.scannable_stack = 0
        self.stacks.on_resize = self.add_scannable_stack
        self.log = EventLog(detail=detail)
        self.wbbuf_entries = wbbuf_entries
        #: GODEBUG=clobberfree=1: freed objects are poisoned and remembered
        self.clobberfree = clobberfree
        #: slot address -> what was freed there (for dangling-pointer reports)
        self.graveyard: dict[int, dict] = {}
        #: remember each object's type for reports (checkmark, clobberfree, detail)
        self.track_types = checkmark or clobberfree or detail
        self.obj_types: dict[int, str] = {}
        #: the heap profile (gomem.runtime.mprof.MemProfile) when one is kept, else None
        self.memprof = None
        #: the CPU profile (gomem.runtime.cpuprof.CPUProfile) when one is kept, else None: its hook swaps
        #: the P's class while it samples, so a run without one runs exactly the code it would anyway
        self.cpuprof = None
        self.cur_p: P = self.sched.ps[0]
        self.wb_enabled = False
        self.main: Goroutine | None = None
        #: the goroutines a compiled program makes (gomem.runtime.proc.Procs), set when it starts
        self.procs = None
        #: the program's pending timers (gomem.runtime.time.Timers), set when it first makes one
        self.timers = None
        self._next_gid = 0
        #: per P id: the goroutine it has run since it last went through the
        #: scheduler, and since when (see :meth:`keeps_running`)
        self.slice: dict[int, tuple[Goroutine, int]] = {}
        self.gc = Collector(
            self,
            gogc=gogc,
            checkmark=checkmark,
            gctrace=gctrace,
            memory_limit=memory_limit,
            gcpacertrace=gcpacertrace,
            scavtrace=scavtrace,
        )
        #: the mode's write barrier at work (:class:`gomem.runtime.mbarrier.WriteBarrier`)
        self.barrier = self.gc.wb
        self.heap.extra_pointer_targets = self._extra_targets  # type: ignore[method-assign]

    # -- goroutines ------------------------------------------------------------------

    def spawn(self, fn: Callable[..., Iterator], *args: Any, name: str = "goroutine") -> Goroutine:
        self._next_gid += 1
        g = Goroutine(self._next_gid, name, self, Stack(self.stacks, self.words))
        g.gen = fn(g, *args)
        if self.gc.running:
            # A goroutine created during marking starts with no roots to scan.
            g.scandone = True
        self.scannable_stack += g.stack.size
        self.sched.allgs.append(g)
        self.sched.ready(g, self.cur_p)
        return g

    def stack_owner(self, addr: int) -> Goroutine | None:
        if not addr or self.heap.aspace.arena_of(addr) is None:
            return None
        for g in self.sched.allgs:
            if g.status != G_DEAD and g.stack.contains(addr):
                return g  # type: ignore[return-value]
        return None

    def type_name(self, addr: int) -> str:
        """The Go type of the object at *addr*, where known."""
        base = self.heap.slot_base(addr)
        name = self.obj_types.get(base)
        if name is not None:
            return name
        t = self.heap.object_type(addr)
        if t is not None:
            return str(t)
        s = self.heap.aspace.span_of(addr)
        if s is not None and s.elemsize:
            return f"{s.elemsize}-byte object, size class {s.sizeclass}{' noscan' if s.noscan else ''}"
        return "unknown"

    def _extra_targets(self) -> set[int]:
        return set()

    # -- the write barrier ------------------------------------------------------------

    def write_barrier(self, p: P, old: int, new: int, slot: int) -> None:
        """The mode's barrier for a heap or global store (while the barrier is on): :meth:`WriteBarrier.store`."""
        self.barrier.store(p, old, new, slot)

    # -- running -----------------------------------------------------------------------

    def run(self, main: Callable[..., Iterator], *args: Any, max_steps: int | None = None) -> Goroutine:
        """Run ``main`` as the main goroutine until it returns."""
        self.main = self.spawn(main, *args, name="main")
        steps = 0
        sched = self.sched
        gc = self.gc
        while self.main.status != G_DEAD:
            p = sched.next_p()
            self.cur_p = p
            if p.now >= gc.next_sysmon and gc.sysmon(p):
                continue
            if gc.blacken_enabled and gc.run_worker_if_due(p):
                continue
            if self.timers is not None and self.timers.next_when <= p.now:
                self.timers.run(p)
                continue
            tick = p.schedtick
            g = sched.pick(p)
            if g is None:
                if gc.blacken_enabled:
                    nxt = sched.next_ready(p.now, p)
                    if self.timers is not None and self.timers.pending():
                        nxt = self.timers.next_when if nxt is None else min(nxt, self.timers.next_when)
                    gc.run_idle_worker(p, None if nxt is None else nxt - p.now)
                    continue
                if gc.bg_sweep(p):
                    continue
                self._idle(p)
                continue
            self._run_step(p, g, inherit=p.schedtick == tick)
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        return self.main

    def schedule_inline(self, g: Goroutine, p: P) -> None:
        """What *p*'s scheduler runs while *g* (the goroutine whose step is running) is preempted or parked:
        sysmon's duties, due mark workers, idle marking while *g* waits; then *g* runs on, its time slice
        restarted (a trip through ``schedule()``).  The time spent is the workers', not *g*'s."""
        gc = self.gc
        sched = self.sched
        t0 = p.now
        prev_g = p.g
        p.g = None
        try:
            while True:
                if p.now >= gc.next_sysmon and gc.sysmon(p):
                    continue
                if g.status == G_WAITING:
                    if gc.blacken_enabled:
                        if not gc.run_worker_if_due(p):
                            gc.run_idle_worker(p, None)
                        continue
                    raise AssertionError("the running goroutine is parked with no marking to wake it")
                if gc.blacken_enabled and gc.run_worker_if_due(p):
                    continue
                break
        finally:
            p.g = prev_g
        sched.remove(g)  # readied by the end of its wait
        g.status = "running"
        p.mutator_time -= p.now - t0  # the step's time is charged to the mutator when it ends
        self.slice[p.id] = (g, p.now)

    def keeps_running(self, p: P) -> bool:
        """Whether *p* just goes on with the goroutine it is running, without calling ``schedule()``.

        A Go goroutine keeps its P at a safe point unless something asks
        it to stop: it blocks, another goroutine is waiting for the P, or
        sysmon preempts it after ``forcePreemptNS`` (10 ms) of running.  So
        a P whose goroutine is the only one ready, and has run for less
        than 10 ms, never reaches ``findRunnableGCWorker``: the fractional
        mark worker cannot start there (the collector asks this before
        running one).  Measured on Go 1.27 at GOMAXPROCS=1: while a busy
        goroutine's assists find no work, nobody marks until sysmon's
        preemption, and the heap overshoots its goal by ~10 ms of
        allocation.
        """
        s = self.slice.get(p.id)
        if s is None:
            return False
        g, start = s
        if g.status != G_RUNNABLE or p.now - start >= FORCE_PREEMPT_NS:
            return False
        now = p.now
        queued = self.sched.runnable()
        return all(h is g for h in queued if h.ready_at <= now) and g in queued

    def _run_step(self, p: P, g: Goroutine, inherit: bool = False) -> None:
        """Run *g*'s next step on *p*.  With *inherit* (it came from ``runnext``) it takes over the time
        slice of the goroutine before it, as Go's ``execute(gp, inheritTime=true)`` does: sysmon's 10 ms
        run from the last schedule that was not a ``runnext`` hand-off."""
        s = self.slice.get(p.id)
        if s is None or p.now - s[1] >= FORCE_PREEMPT_NS:
            self.slice[p.id] = (g, p.now)  # a trip through schedule()
        elif s[0] is not g:
            self.slice[p.id] = (g, s[1] if inherit else p.now)
        g.p = p
        p.g = g
        g.status = "running"
        t0 = p.now
        try:
            next(g.gen)
        except StopIteration as stop:
            g.result = stop.value
            self._exit(g)
        finally:
            p.g = None
            p.mutator_time += p.now - t0
            if self.log.timeline is not None:
                self.log.timeline.g_step(p.id, g, t0, p.now)
        if g.ready_at < p.now:
            g.ready_at = p.now
        if g.status == "running":
            g.requeue(self.sched, p)
        p.now += self.cost.switch

    def add_scannable_stack(self, delta: int) -> None:
        self.scannable_stack += delta

    def _exit(self, g: Goroutine) -> None:
        g.status = G_DEAD
        self.scannable_stack -= g.stack.size
        if g.desc:  # a compiled program's goroutine: goexit puts its g on the P's free list
            self.procs.goexit(g)
        elif g is not self.main:
            # Go's runtime.main calls exit(0) once main.main returns: the main goroutine never
            # exits and its stack stays in use, in StackInuse of the MemStats read after the run.
            g.stack.release(self.gc.running)

    def _idle(self, p: P) -> None:
        """Nothing to run on *p*: wait for the next P or goroutine that has something to do."""
        others = [q.now for q in self.sched.ps if q is not p and q.now > p.now]
        nxt = self.sched.next_ready(p.now, p)
        if nxt is not None:
            others.append(nxt)
        if self.timers is not None and self.timers.pending():
            # an idle P sleeps in the network poller until the next timer, and wakes that much late
            others.append(max(self.timers.next_when, p.now) + IDLE_TIMER_WAKE_NS)
        if others:
            p.idle_time += min(others) - p.now
            p.now = min(others)
            return
        busy = [g for g in self.sched.allgs if g.status == G_WAITING]
        if busy and self.gc.running:
            # goroutines wait for the collector: let it make progress
            p.now += 1000
            return
        from .panics import GoFatal

        alive = [g for g in self.sched.allgs if g.status != G_DEAD]
        e = GoFatal("all goroutines are asleep - deadlock!", alive)
        if self.procs is not None:
            e.path, e.files = self.procs.path, self.procs.files
        raise e

    @property
    def now(self) -> int:
        return self.sched.now
