"""Goroutines of compiled Go programs (``runtime/proc.go``): ``newproc``, ``gopark``/``goready``,
``Gosched``, preemption at safe points, the free-g lists, ``allgs``, and Go's goroutine dumps.

A goroutine of a compiled program runs its generated code in a greenlet of its own.  The run
loop (:meth:`gomem.runtime.runtime.Runtime.run`) steps a goroutine by switching into its greenlet
(:class:`GreenStep` is the iterator the loop calls ``next`` on); the goroutine ends its step by
switching back, which is what Go's ``gopark`` (it waits), ``Gosched`` and a preemption (it stays
runnable) do.  A goroutine that returns ends its greenlet (``goexit``).

What Go allocates, the model allocates:

* ``newproc`` takes a dead g from the P's free list (``gfget``: its 2 KiB stack kept with it) or
  makes one (``malg``: ``new(g)``, one 480-byte scan object, and a 2 KiB stack from the stack
  pool); a new g is appended to ``allgs`` (``allgadd``), a runtime slice that grows as ``append``
  grows it, so every goroutine ever made stays reachable.  Measured on Go 1.27 (linux/amd64) with
  ``runtime.ReadMemStats`` around ``go f()`` (``/tmp/m/allgs.go`` in the session note): the first
  ``go`` costs one 480-byte malloc; ``allgs`` holds 6 goroutines when ``main.main`` starts
  (capacity 8) and is reallocated at the 3rd, 11th, 27th and 59th ``go`` (16, 32, 64, 128 slots);
  a goroutine that has exited is reused and costs nothing; ``StackInuse`` grows by a 32 KiB
  stack span every 16 goroutines.
* ``gfput`` keeps a dead g's stack when it is the starting size and frees it otherwise; a P's
  list of 64 moves 32 to the global list (``sched.gFree``), and ``gfget`` refills from it.
* new and readied goroutines go to the P's ``runnext`` (``runqput(pp, gp, next=true)``), the
  goroutine they displace to the tail of its local run queue; a preempted goroutine and one that
  calls ``Gosched`` go to the global queue (``goschedImpl``); idle Ps steal (:class:`~gomem.runtime.sched.Scheduler`).

Goroutine ids: Go hands them out from per-P batches of 16 (``_GoidCacheBatch``) after the
runtime's own goroutines (2-5 in a program that makes no goroutines during init), so a
program's first ``go`` statement makes goroutine 6; the model counts on from 6.  Simplification:
a program whose init-time goroutines took batches on other Ps gets higher ids from Go.
"""

from __future__ import annotations

from greenlet import getcurrent, greenlet

from . import types as gotypes
from .arena import ARENA_BASE_ADDR
from .sched import FORCE_PREEMPT_NS, G_DEAD, G_RUNNABLE, G_WAITING
from .runtime import Goroutine
from .stack import STACK_MIN, Stack
from .support import next_slice_cap, roundupsize

#: the g struct's size on linux/amd64 in Go 1.27 (unsafe.Sizeof(g{}) = 480: measured as the one
#: 480-byte malloc of a first ``go`` statement)
G_SIZE = 480
#: the g descriptor as an object the collector scans: a few pointer words (``_panic``, ``_defer``,
#: ``m``, ``sched.ctxt``), the rest scalars.  Simplification: the model keeps a goroutine's state in
#: Python; the object holds no pointers the program made, so scanning it finds none (as Go's finds
#: only runtime objects the model does not have).
G_TYPE = gotypes.struct_of([("_panic", gotypes.UNSAFE_POINTER), ("_defer", gotypes.UNSAFE_POINTER),
                            ("m", gotypes.UNSAFE_POINTER), ("ctxt", gotypes.UNSAFE_POINTER),
                            ("timer", gotypes.UNSAFE_POINTER),
                            ("rest", gotypes.array_of(gotypes.UINTPTR, G_SIZE // 8 - 5))], name="g", pkg="runtime")
G_CTXT = 24  #: offset of the func value a new goroutine runs (sched.ctxt in the model's g)
G_TIMER = 32  #: offset of the g's own timer (time.Sleep's, made by its first Sleep; kept with the g)
#: allgs when main.main starts: the main goroutine and the runtime's own (measured as above)
STARTUP_ALLGLEN = 6
STARTUP_ALLGCAP = 8
#: the first goroutine id a program's ``go`` statement gets (see the module docstring)
FIRST_USER_GOID = 6
#: a P's free-g list moves half to the global list at this length (gfput)
GFREE_LOCAL_MAX = 64
GFREE_LOCAL_KEEP = 32

class GreenStep:
    """The run loop's view of a greenlet goroutine: ``next()`` runs it until it parks, yields or ends.

    Ends with ``StopIteration`` when the goroutine's function returns; an exception the
    goroutine does not handle (a Go panic) propagates out of ``next()`` to the run loop.
    """

    __slots__ = ("glet",)

    def __init__(self, fn, *args) -> None:
        self.glet = greenlet(lambda: fn(*args))

    def __iter__(self):
        return self

    def __next__(self):
        glet = self.glet
        glet.parent = getcurrent()  # the run loop's greenlet: where a park or a return switches to
        r = glet.switch()
        if glet.dead:
            raise StopIteration(r)
        return None


#: a runtime frame of one pointer slot: what runtime code keeps on its goroutine's stack so that a value
#: it holds only in Python (a fresh object, a channel it waits on) stays a root
HOLD = gotypes.struct_of([("p", gotypes.UNSAFE_POINTER)], name="hold", pkg="runtime")


def hold(g, v: int, name: str):
    """Push a runtime frame named *name* holding the pointer *v*; the caller pops it (``g.pop``)."""
    f = g.runtime_frame(HOLD, name)
    g.rt.words[(f.base - ARENA_BASE_ADDR) >> 3] = v
    return f


def switch_out() -> None:
    """End the running goroutine's step: back to the run loop (the goroutine's status says why)."""
    getcurrent().parent.switch()


def gopark(g, reason: str, waiting: tuple[int, ...] = ()) -> None:
    """Park the running goroutine *g* until :func:`goready`; its wait reason is *reason*, *waiting* the
    addresses of the channels or the sync primitive it waits on (what the goroutine-leak GC tests)."""
    g.status = G_WAITING
    g.wait_reason = reason
    g.waiting = waiting
    switch_out()
    g.wait_reason = ""
    g.waiting = ()
    g.wait_since = 0
    g.leaked = False


def goready(g, by) -> None:
    """Make the parked *g* runnable, next on the readying goroutine *by*'s P (``ready``: runnext)."""
    g.status = G_RUNNABLE
    p = by.p if by is not None else None
    now = p.now if p is not None else 0
    if g.ready_at < now:
        g.ready_at = now
    g.rt.sched.put_next(p, g)


def gosched(g) -> None:
    """``runtime.Gosched``: *g* goes to the tail of the run queue and the P schedules."""
    g.p.now += g.rt.cost.switch
    switch_out()  # status "running": the run loop queues it at the tail


class GeneratedGoroutine(Goroutine):
    """A goroutine running generated code: every allocation is a safe point.

    Go switches goroutines at safe points: a goroutine that has run for 10 ms is preempted
    (sysmon's ``forcePreemptNS``) and its P schedules, which runs another goroutine or a due
    fractional or dedicated mark worker; an assist that could not pay parks the goroutine
    (``gcParkAssist``) until background credit or the end of mark readies it.  Here, at an
    allocation where the goroutine has run its 10 ms, sysmon is due, or its assist parked it:
    when another goroutine is ready the goroutine ends its step (back to the run loop, which
    runs the others); when none is, the allocation first runs what the P would run meanwhile
    (:meth:`Runtime.schedule_inline <gomem.runtime.runtime.Runtime.schedule_inline>`) and the
    goroutine goes on.
    Simplification: a loop that never allocates is never preempted (Go preempts it
    asynchronously).
    """

    __slots__ = ()

    def requeue(self, sched, p) -> None:
        """It left its P runnable: ``Gosched`` or a preemption, which put it on the global queue
        (``goschedImpl``)."""
        sched.gosched(self)

    def safe_point(self, p, rt) -> None:
        """What the P does here (see the class docstring); the goroutine may resume on another P."""
        if rt.timers is not None and rt.timers.next_when <= p.now:
            rt.timers.run(p)  # checkTimers: timers due wake their goroutines first
        s = rt.slice.get(p.id)
        preempted = s is not None and p.now - s[1] >= FORCE_PREEMPT_NS
        if (self.status != "running" or preempted) and rt.sched.has_runnable(p.now, self):
            switch_out()  # preempted (to the global queue) or parked by its assist (readied by the GC)
            return
        rt.schedule_inline(self, p)

    def alloc(self, size: int, typ=None) -> int:
        p = self.p
        rt = self.rt
        s = rt.slice.get(p.id)
        if (self.status != "running" or p.now >= rt.gc.next_sysmon
                or (s is not None and p.now - s[1] >= FORCE_PREEMPT_NS)):
            self.safe_point(p, rt)
            p = self.p
        return Goroutine.alloc(self, size, typ)

    def new(self, typ) -> int:
        """``new(T)``: :meth:`alloc` of one *typ* (generated code's commonest allocation), with
        Goroutine.alloc inlined while no detail is recorded."""
        p = self.p
        rt = self.rt
        s = rt.slice.get(p.id)
        if (self.status != "running" or p.now >= rt.gc.next_sysmon
                or (s is not None and p.now - s[1] >= FORCE_PREEMPT_NS)):
            self.safe_point(p, rt)
            p = self.p
        if rt.track_types or rt.log.detail or rt.memprof is not None:
            return Goroutine.alloc(self, typ.size, typ if typ.ptrdata else None)
        rt.cur_p = p
        v = rt.heap.new_object(typ, p.id)
        p.now += rt.cost_alloc
        if rt.gc.blacken_enabled:
            rt.gc.charge_alloc(self, p, typ.size)
        return v


class GFree:
    """The free g's of a run: per P (``p.gFree``) and global (``sched.gFree``)."""

    def __init__(self, procs: int) -> None:
        self.local: list[list] = [[] for _ in range(procs)]
        self.glob: list = []

    def put(self, p, g, gc_running: bool) -> None:
        """``gfput``: *g* has exited on *p*."""
        if g.stack is not None and g.stack.size != STACK_MIN:
            g.stack.release(gc_running)
            g.stack = None
        else:
            g.stack.frames.clear()
            g.stack.sp = g.stack.hi
        q = self.local[p.id if p is not None else 0]
        q.append(g)
        if len(q) >= GFREE_LOCAL_MAX:
            while len(q) > GFREE_LOCAL_KEEP:
                self.glob.append(q.pop(0))

    def get(self, p):
        """``gfget``: a dead g for *p* (refilled from the global list), or None."""
        q = self.local[p.id]
        if not q and self.glob:
            while self.glob and len(q) < GFREE_LOCAL_KEEP:
                q.append(self.glob.pop(0))
        return q.pop() if q else None


class Procs:
    """The goroutines a compiled program makes (``newproc``/``goexit``) and the ``allgs`` slice.

    *image_data* is the program's data segment, where ``runtime.allgs`` is a root; *goclass* the
    goroutine class generated code runs on.
    """

    def __init__(self, rt, image_data, goclass) -> None:
        self.rt = rt
        self.goclass = goclass
        self.gfree = GFree(len(rt.sched.ps))
        self.next_goid = FIRST_USER_GOID
        self.data = image_data
        self.allgs_root = 0  # runtime.allgs, declared with the first goroutine the program makes
        self.allglen = STARTUP_ALLGLEN
        self.allgcap = STARTUP_ALLGCAP
        self.user = 0  # goroutines made by the program and not yet exited
        #: the program's path and the file of each function (for tracebacks), set by the program
        self.path = ""
        self.files: dict[str, str] = {}
        #: the program's symbol table (:mod:`gomem.runtime.symtab`), set by the program: go statements' PCs
        self.symtab = None

    def newproc(self, parent, fn, args: tuple, name: str, creator: str):
        """``go`` run by *parent* in the Go function *creator*: a goroutine running ``fn(g, *args)``
        (*args*' first a func value, kept in the g's ``sched.ctxt`` until it runs), on *parent*'s
        P's runnext; *name* is the function it starts, as tracebacks name it."""
        rt = self.rt
        p = parent.p
        p.now += rt.cost.goroutine
        g = self.gfree.get(p)
        if g is None:
            g = self._malg(parent)
        elif g.stack is None:
            g.stack = Stack(rt.stacks, rt.words)
        g.id = self.next_goid
        self.next_goid += 1
        g.name = name
        g.created_by = (creator, parent.id)
        g.start_fn = name
        g.status = G_RUNNABLE
        g.wait_reason = ""
        g.waiting = ()
        g.wait_since = 0
        g.leaked = False
        # gopc: the creator's return address at its go statement (its innermost frame of the program)
        g.go_pc = self.symtab.current_callers(False, 1)[0] if self.symtab is not None else 0
        g.ready_at = p.now
        g.gc_assist_bytes = 0
        g.scandone = rt.gc.running  # made during marking: born with nothing on its stack to scan
        g.gen = GreenStep(self._body, g, fn, args)
        rt.scannable_stack += g.stack.size
        if args and g.desc:
            Goroutine.write_slot(parent, g.desc + G_CTXT, args[0])  # newg.sched.ctxt = fn
        self.user += 1
        rt.sched.put_next(p, g)
        return g

    def _malg(self, parent):
        """A new g: its descriptor on the heap, a 2 KiB stack, and its entry in ``allgs``."""
        rt = self.rt
        mp = rt.memprof
        if mp is not None:
            mp.system += 1  # newproc1 runs on the system stack: a profile sees none of the program's frames
        try:
            desc = Goroutine.alloc(parent, G_SIZE, G_TYPE)  # malg runs on the system stack: no safe point
            g = self.goclass(0, "", rt, Stack(rt.stacks, rt.words))
            g.desc = desc
            rt.sched.allgs.append(g)
            self._allgadd(parent, desc)
        finally:
            if mp is not None:
                mp.system -= 1
        return g

    def _allgadd(self, parent, desc: int) -> None:
        """``allgs = append(allgs, gp)``: grown as append grows a []*g when it is full.

        The array start-up made (its 8 slots, the runtime's own g's not model objects) is adopted as
        start-up's when the program makes its first goroutine, so every g the program makes is
        reachable from ``allgs`` from the start, as in Go."""
        rt = self.rt
        W = rt.words
        if not self.allgs_root:
            self.allgs_root = self.data.declare("runtime.allgs", gotypes.slice_of(gotypes.UNSAFE_POINTER)).addr
            arr = rt.heap.adopt_startup_object(0, gotypes.array_of(gotypes.UNSAFE_POINTER, STARTUP_ALLGCAP))
            Goroutine.write_slot(parent, self.allgs_root, arr)
        r = (self.allgs_root - ARENA_BASE_ADDR) >> 3
        n = self.allglen
        if n == self.allgcap:
            nbytes = roundupsize(next_slice_cap(n + 1, self.allgcap) * 8, False)
            arr = Goroutine.alloc(parent, nbytes, gotypes.UNSAFE_POINTER)
            old, new = (W[r] - ARENA_BASE_ADDR) >> 3, (arr - ARENA_BASE_ADDR) >> 3
            W[new:new + n] = W[old:old + n]  # the new array is fresh: no barrier needed for the copy
            Goroutine.write_slot(parent, self.allgs_root, arr)
            self.allgcap = nbytes // 8
        Goroutine.write_slot(parent, W[r] + 8 * n, desc)
        self.allglen = n + 1
        W[r + 1] = self.allglen
        W[r + 2] = self.allgcap

    def _body(self, g, fn, args):
        """The goroutine's life: run *fn*, then ``goexit`` (its g to the P's free list)."""
        from .panics import GoPanic

        if g.desc:  # gogo: the func value moves from sched.ctxt into the goroutine's frame (its closure slot)
            Goroutine.write_slot(g, g.desc + G_CTXT, 0)
        try:
            fn(g, *args)
        except GoPanic as e:
            if not e.frames:
                e.frames = [f.name for f in reversed(g.stack.frames)]
            e.goid = g.id
            e.created_by = g.created_by
            e.path, e.files = self.path, self.files
            raise

    def goexit(self, g) -> None:
        """The goroutine *g* has returned (the run loop saw its greenlet end): ``gfput``."""
        self.user -= 1
        if g.desc:
            Goroutine.write_slot(g, g.desc + G_CTXT, 0)
        self.gfree.put(g.p, g, self.rt.gc.running)

