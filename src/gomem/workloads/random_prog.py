"""random: seeded random mutator programs, for fuzzing the collectors.

Each program is a Go program drawn at random from its seed.  Its shape::

    var near *[N]*T1            // a table the GC reaches straight from a global
    var deep *[8192]*T1         // a chain of big pointer arrays ...
                                //   ... whose tail points to the far table
    var g0, g1, ... *T1         // plain pointer globals

    func main() {
        // build the tables and the chain, then
        for i := 1; i < goroutines; i++ { go worker(i) }
        worker(0)
        wg.Wait()     // the workers and whatever they started (main parks)
        runtime.GC()  // then walk everything reachable with checked loads
    }

and every ``worker`` runs ``steps`` random mutator operations, yielding to
the scheduler after almost every one:

* **allocations** of random types: small structs with one to seven pointer
  fields (``T1``, ``T2``, ``T3``, ``T7``), pointer arrays of 1–24
  elements, a 528-byte struct (a malloc-header object), pointer-free blobs
  of every size class including tiny ones (interior pointers into tiny
  blocks), and now and then a large pointer array or a large blob;
* **constructors** ``&T{f: p, ...}``: a new object's pointer fields are
  filled from locals, which the caller then often forgets — the pointer
  moves from the stack into the new (while marking: black) object;
* **pointer moves and copies** between every kind of slot: locals (stack),
  globals, the two tables and the pointer fields of heap objects; interior
  pointers (``&a[i]``) are moved around like any other pointer;
* **deletions**: storing nil over a pointer, in any of those places;
* **calls**: a nested frame with a big array of scalars (so the stack
  grows and is copied) whose two pointer slots join the worker's locals
  until the call returns;
* **goroutine spawns** (children run a shorter random program) and
  **runtime.GC()**, just after putting a few fresh objects in the far table;
* the **hazard the seed article draws**: load a pointer out of a heap
  object into a local, store nil over the heap edge, yield a few times, then
  store the local into another object — preferably one the collector has
  already scanned (the near table, a global, an object found from them).
  While a cycle is marking (``rt.gc.running``) workers do this far more
  often, as a program whose timing happens to line up with the collector.
  They take what they hide from the far table, which marking reaches only
  after walking the chain of big arrays (``ballast`` KiB of pointer words
  the mark workers must scan), so that it is still white when it is moved.

Without a write barrier (``--gc none``) that loses objects; checkmark names
them with a path from a root.  Every other mode must lose nothing.

Rooting discipline.  A goroutine holds pointers only where a Go program
would: in its frame's pointer slots (stack), in globals and in heap objects.
Python variables holding an address never live across an allocation, a
``yield`` or ``runtime.GC()`` (the stop-the-world modes collect inside an
allocation), so the collector always sees every pointer the program will
use again.  The program knows each object's pointer layout the way compiled
Go code knows its static types: from a side table written at allocation.

The program is deterministic given its seed: each goroutine draws from its
own ``random.Random`` seeded from the program's seed and its index.  With
``seed=0`` the seed is derived from the runtime's scheduler seed (without
consuming any of the scheduler's random numbers).
"""

from __future__ import annotations

import random

from ..runtime import types as gotypes
from ..runtime.sched import G_WAITING
from . import MAX_LIVE, MAX_OPS, MAX_SEED, Param, Workload, register

#: pointer slots in a worker's frame; the last one is reserved for hiding
LOCALS = 8
#: words in each big pointer array of the chain in front of the far table
CHAIN_WORDS = 8192

_REG = gotypes.TypeRegistry()
T1 = _REG.declare("T1", "struct { next *T1; id int }")
T2 = _REG.declare("T2", "struct { left, right *T2 }")
T3 = _REG.declare("T3", "struct { a *T3; id int; b, c *T3 }")
T7 = _REG.declare("T7", "struct { p [7]*T7; id int }")
#: over 512 bytes: scanned through its malloc header's type
BIG = _REG.declare("Big", "struct { p [62]*Big; pad [4]int }")
PTR = gotypes.pointer_to(T1)
FRAME = _REG.declare("workerFrame", f"struct {{ l [{LOCALS}]*T1; n int }}")
#: callee frames: two pointer slots and a scalar array that makes the stack grow
CALLEES = tuple(
    _REG.declare(f"callee{k}", f"struct {{ a, b *T1; buf [{k}]int }}") for k in (0, 40, 200, 600)
)
#: now and then a frame big enough that the stack leaves the stack pools (>= 32 KiB)
HUGE_CALLEE = _REG.declare("calleeHuge", "struct { a, b *T1; buf [4200]int }")

_STRUCTS = (T1, T2, T3, T7)
#: cumulative probabilities of (hide, alloc, move, delete), quiet and while marking
_QUIET = (0.04, 0.40, 0.65, 0.77)
_MARKING = (0.45, 0.70, 0.85, 0.90)
_ID_OFF = {T1: 8, T3: 8, T7: 56}


class _Program:
    """What the whole program shares: parameters, counters, the layout side table."""

    def __init__(self, params: dict, seed: int) -> None:
        self.seed = seed
        self.goroutines = params["goroutines"]
        self.steps = params["steps"]
        self.objects = params["objects"]
        self.nglobals = params["globals"]
        self.chain = params["ballast"] * 1024 // (CHAIN_WORDS * 8)
        self.near_len = max(1, self.objects // 2)
        self.far_len = max(1, self.objects - self.near_len)
        self.globals = [f"g{i}" for i in range(self.nglobals)]
        #: pointer -> (pointer field offsets, size): what static types tell Go code
        self.layout: dict[int, tuple[tuple[int, ...], int]] = {}
        self.live = 0  # goroutines still running (a sync.WaitGroup's counter)
        self.waiter = None  # main, parked in wg.Wait()
        self.spawned = 0
        self.max_spawn = 2 * self.goroutines
        self.serial = 0
        self.ops: dict[str, int] = dict.fromkeys(
            ("alloc", "move", "delete", "hide", "interior", "call", "spawn", "gc", "scalar"), 0
        )


class _Worker:
    """One goroutine's random program."""

    def __init__(self, g, prog: _Program, index: int, steps: int, child: bool) -> None:
        self.g = g
        self.prog = prog
        self.rng = random.Random(prog.seed * 1_000_003 + index * 7919 + (1 << 40 if child else 0))
        self.steps = steps
        self.child = child
        self.frame = g.frame(FRAME, f"worker{index}")
        #: the local pointer slots in use: (frame, offset); the hide slot is kept apart
        self.slots = [(self.frame, 8 * i) for i in range(LOCALS - 1)]
        self.hide_slot = (self.frame, 8 * (LOCALS - 1))
        self.calls: list[list] = []  # [frame, steps left]
        self.hiding = 0  # steps until the hidden pointer is stored back (0: nothing hidden)

    # -- reading and writing slots (no allocation anywhere in here) --------------------

    def _far(self) -> int:
        g = self.g
        p = g.get_global("deep")
        for _ in range(self.prog.chain):
            p = g.load(p, 0)
        return p

    def _objects_with_fields(self) -> list[tuple]:
        """Local slots holding an object with pointer fields."""
        g = self.g
        lay = self.prog.layout
        out = []
        for fr, off in self.slots:
            v = g.get_local(fr, off)
            if v and lay.get(v, ((), 0))[0]:
                out.append(v)
        return out

    def _pick_place(self, early: bool = False, heap_only: bool = False):
        """A pointer slot: ('local', frame, off) / ('global', name) / ('heap', obj, off).

        With *early*, prefer places marking reaches first (near table,
        globals, objects found from them).
        """
        r = self.rng
        prog = self.prog
        g = self.g
        kinds = ["near", "far", "field", "field"]
        if not heap_only:
            kinds += ["local", "local", "global"]
        if early:
            kinds = ["near", "near", "global", "nearfield"] if not heap_only else ["near", "near", "nearfield"]
        k = r.choice(kinds)
        if k == "local":
            fr, off = r.choice(self.slots)
            return ("local", fr, off)
        if k == "global":
            return ("global", r.choice(prog.globals)) if prog.globals else ("heap", g.get_global("near"), 0)
        if k == "near":
            return ("heap", g.get_global("near"), 8 * r.randrange(prog.near_len))
        if k == "far":
            return ("heap", self._far(), 8 * r.randrange(prog.far_len))
        if k == "nearfield":
            obj = g.load(g.get_global("near"), 8 * r.randrange(prog.near_len))
            offs = prog.layout.get(obj, ((), 0))[0] if obj else ()
            if offs:
                return ("heap", obj, r.choice(offs))
            return ("heap", g.get_global("near"), 8 * r.randrange(prog.near_len))
        objs = self._objects_with_fields()
        if not objs:
            return ("heap", g.get_global("near"), 8 * r.randrange(prog.near_len))
        obj = r.choice(objs)
        return ("heap", obj, r.choice(prog.layout[obj][0]))

    def _read(self, place) -> int:
        g = self.g
        if place[0] == "local":
            return g.get_local(place[1], place[2])
        if place[0] == "global":
            return g.get_global(place[1])
        return g.load(place[1], place[2])

    def _write(self, place, val: int) -> None:
        g = self.g
        if place[0] == "local":
            g.set_local(place[1], place[2], val)
        elif place[0] == "global":
            g.set_global(place[1], val)
        else:
            g.store(place[1], place[2], val)

    # -- operations -------------------------------------------------------------------

    def op_alloc(self) -> None:
        g = self.g
        r = self.rng
        prog = self.prog
        x = r.random()
        if x < 0.45:
            t = r.choice(_STRUCTS)
            v = g.new(t)
            layout = (t.pointer_offsets(), t.size)
            prog.serial += 1
            if t in _ID_OFF:
                g.store_scalar(v, _ID_OFF[t], prog.serial)
        elif x < 0.62:
            n = r.randint(1, 24)
            v = g.new_array(PTR, n)
            layout = (tuple(range(0, 8 * n, 8)), 8 * n)
        elif x < 0.66:
            v = g.new(BIG)
            layout = (BIG.pointer_offsets(), BIG.size)
        elif x < 0.80:
            n = r.randint(1, 15)
            v = g.alloc(n)
            layout = ((), n)
        elif x < 0.96:
            n = r.choice((16, 24, 48, 100, 256, 513, 1500, 4000))
            v = g.alloc(n)
            layout = ((), n)
        elif x < 0.98:
            n = r.randint(4100, 4400)
            v = g.new_array(PTR, n)
            layout = (tuple(range(0, 8 * n, 8 * 97)), 8 * n)
        else:
            n = r.randint(33_000, 70_000)
            v = g.alloc(n)
            layout = ((), n)
        prog.layout[v] = layout
        # Root it before anything else can happen.
        fr, off = r.choice(self.slots)
        g.set_local(fr, off, v)
        prog.ops["alloc"] += 1
        # &T{f: p, ...}: fields from locals, some of which the caller then
        # forgets: the pointer moves from the stack into the new object,
        # black if marking is on; while marking, mostly so.
        moving = 0.9 if g.rt.gc.running else 0.4
        for foff in layout[0][:4]:
            if r.random() < 0.6:
                sfr, soff = r.choice(self.slots)
                g.store(v, foff, g.get_local(sfr, soff))
                if r.random() < moving and (sfr, soff) != (fr, off):
                    g.set_local(sfr, soff, 0)
        if r.random() < 0.5:
            # Outside marking, stock the far table: what a later cycle's
            # hiding will find still white.
            marking = g.rt.gc.running
            self._write(self._pick_place(heap_only=True) if marking or r.random() < 0.5 else self._far_place(), v)

    def op_move(self) -> None:
        src = self._pick_place()
        val = self._read(src)
        if val and self.rng.random() < 0.5:
            self._write(src, 0)  # a move, not a copy
        self._write(self._pick_place(), val)
        self.prog.ops["move"] += 1

    def op_delete(self) -> None:
        self._write(self._pick_place(), 0)
        self.prog.ops["delete"] += 1

    def op_interior(self) -> None:
        """``p := &a[i]``: an interior pointer into an object held in a local."""
        g = self.g
        r = self.rng
        fr, off = r.choice(self.slots)
        v = g.get_local(fr, off)
        lay = self.prog.layout.get(v)
        if not v or lay is None or lay[1] < 2:
            return
        ip = v + r.randrange(1, lay[1])
        self.prog.layout[ip] = ((), 0)
        fr2, off2 = r.choice(self.slots)
        g.set_local(fr2, off2, ip)
        self.prog.ops["interior"] += 1

    def op_scalar(self) -> None:
        g = self.g
        r = self.rng
        fr, off = r.choice(self.slots)
        v = g.get_local(fr, off)
        lay = self.prog.layout.get(v)
        if not v or lay is None:
            return
        offs, size = lay
        if not offs and size >= 1:
            n = 8 if size >= 8 and not v & 7 else 1
            g.store_scalar(v, 0, r.getrandbits(8 * n), n)
            g.load_scalar(v, 0, n)
        elif offs and size >= 16 and (size - 8) not in offs:
            g.load_scalar(v, size - 8)
        self.prog.ops["scalar"] += 1

    def hide_begin(self) -> None:
        """Load a pointer out of the heap into a local, then delete the heap edge."""
        r = self.rng
        for _ in range(3):
            place = self._pick_place(heap_only=True) if r.random() < 0.15 else self._far_place()
            val = self._read(place)
            if val:
                break
        else:
            return
        fr, off = self.hide_slot
        self.g.set_local(fr, off, val)
        self._write(place, 0)
        self.hiding = r.randint(1, 4)

    def _far_place(self):
        """A pointer slot in the far table, or one field deeper."""
        r = self.rng
        prog = self.prog
        g = self.g
        far = self._far()
        i = 8 * r.randrange(prog.far_len)
        if r.random() < 0.5:
            obj = g.load(far, i)
            offs = prog.layout.get(obj, ((), 0))[0] if obj else ()
            if offs:
                return ("heap", obj, r.choice(offs))
        return ("heap", far, i)

    def hide_end(self) -> None:
        """Store the hidden pointer into an (early-scanned) object; maybe forget the local."""
        r = self.rng
        fr, off = self.hide_slot
        val = self.g.get_local(fr, off)
        self._write(self._pick_place(early=r.random() < 0.8, heap_only=r.random() < 0.5), val)
        if r.random() < 0.7:
            self.g.set_local(fr, off, 0)
        self.hiding = 0
        self.prog.ops["hide"] += 1

    def stock(self) -> None:
        """Before runtime.GC(): fresh objects into the far table (white when the cycle starts)."""
        g = self.g
        r = self.rng
        prog = self.prog
        fr, off = r.choice(self.slots)
        for _ in range(r.randint(2, 8)):
            t = r.choice(_STRUCTS)
            v = g.new(t)
            prog.layout[v] = (t.pointer_offsets(), t.size)
            g.set_local(fr, off, v)
            self._write(self._far_place(), v)
        g.set_local(fr, off, 0)

    def op_call(self) -> None:
        g = self.g
        if len(self.calls) >= 3:
            return
        t = self.rng.choice(CALLEES) if self.rng.random() < 0.97 else HUGE_CALLEE
        f = g.frame(t, f"callee{len(self.calls)}")
        self.slots += [(f, 0), (f, 8)]
        # Move a pointer into the callee (an argument).
        fr, off = self.rng.choice(self.slots[:-2])
        g.set_local(f, 0, g.get_local(fr, off))
        self.calls.append([f, self.rng.randint(1, 12)])
        self.prog.ops["call"] += 1

    def ret(self) -> None:
        """Return from the innermost call: its result goes to a local or the heap."""
        g = self.g
        f, _ = self.calls.pop()
        res = g.get_local(f, 8) or g.get_local(f, 0)
        del self.slots[-2:]
        self._write(self._pick_place(), res)
        g.pop(f)

    # -- the program --------------------------------------------------------------------

    def run(self):
        g = self.g
        r = self.rng
        prog = self.prog
        gc = g.rt.gc
        for _ in range(self.steps):
            if self.hiding:
                self.hiding -= 1
                if not self.hiding:
                    self.hide_end()
            for c in self.calls:
                c[1] -= 1
            while self.calls and self.calls[-1][1] <= 0:
                self.ret()
            marking = gc.running
            hide, alloc, move, delete = _MARKING if marking else _QUIET
            x = r.random()
            if not self.hiding and x < hide:
                self.hide_begin()
            elif x < alloc:
                self.op_alloc()
            elif x < move:
                self.op_move()
            elif x < delete:
                self.op_delete()
            elif x < 0.84:
                self.op_interior()
            elif x < 0.89:
                self.op_scalar()
            elif x < 0.93:
                self.op_call()
            elif x < 0.95:
                if not self.child and prog.spawned < prog.max_spawn:
                    prog.spawned += 1
                    prog.live += 1
                    prog.ops["spawn"] += 1
                    g.go(_child, prog, prog.spawned, name=f"child{prog.spawned}")
            elif x < 0.96 and not marking:
                self.stock()
                prog.ops["gc"] += 1
                yield from g.gc()
                continue
            if r.random() < 0.85:
                yield
        while self.calls:
            self.ret()
        if self.hiding:
            self.hide_end()
        g.pop(self.frame)


def _worker(g, prog: _Program, index: int):
    yield from _Worker(g, prog, index, prog.steps, child=False).run()
    _done(g, prog)


def _child(g, prog: _Program, index: int):
    yield from _Worker(g, prog, 1000 + index, max(1, prog.steps // 8), child=True).run()
    _done(g, prog)


def _done(g, prog: _Program) -> None:
    """``wg.Done()``: the last one out wakes main (goready)."""
    prog.live -= 1
    w = prog.waiter
    if not prog.live and w is not None and w.status == G_WAITING:
        prog.waiter = None
        g.rt.sched.ready(w, g.p)


def _wait(g, prog: _Program):
    """``wg.Wait()``: park main until every worker is done (gopark), never spin.

    A spinning main would keep its P from the fractional mark worker, as in Go.
    """
    while prog.live:
        prog.waiter = g
        g.status = G_WAITING
        g.wait_reason = "sync.WaitGroup.Wait"
        yield


def _derive_seed(g) -> int:
    st = random.Random()
    st.setstate(g.rt.sched.rng.getstate())
    return st.getrandbits(48) ^ 0x5EED


def _reachable(g, prog: _Program, roots: list[int]) -> int:
    """Walk every object reachable from *roots* with checked loads (dangling pointers raise)."""
    seen: set[int] = set()
    todo = [v for v in roots if v]
    while todo:
        v = todo.pop()
        if v in seen:
            continue
        seen.add(v)
        for off in prog.layout.get(v, ((), 0))[0]:
            w = g.load(v, off)
            if w and w not in seen:
                todo.append(w)
    return len(seen)


def main(g, params: dict):
    seed = params["seed"] or _derive_seed(g)
    prog = _Program(params, seed)
    rt = g.rt
    for name in prog.globals:
        rt.data.declare(name, PTR)
    rt.data.declare("near", PTR)
    rt.data.declare("deep", PTR)
    # The far table first, then the chain in front of it, each rooted as it is built.
    far = g.new_array(PTR, prog.far_len)
    prog.layout[far] = (tuple(range(0, 8 * prog.far_len, 8)), 8 * prog.far_len)
    g.set_global("deep", far)
    for _ in range(prog.chain):
        a = g.new_array(PTR, CHAIN_WORDS)
        prog.layout[a] = ((0,), 8 * CHAIN_WORDS)
        g.store(a, 0, g.get_global("deep"))
        g.set_global("deep", a)
    near = g.new_array(PTR, prog.near_len)
    prog.layout[near] = (tuple(range(0, 8 * prog.near_len, 8)), 8 * prog.near_len)
    g.set_global("near", near)
    yield
    prog.live = prog.goroutines
    for i in range(1, prog.goroutines):
        g.go(_worker, prog, i, name=f"worker{i}")
    yield from _worker(g, prog, 0)
    yield from _wait(g, prog)
    yield from g.gc()
    roots = [g.get_global(n) for n in prog.globals]
    roots += [g.get_global("near"), g.get_global("deep")]
    n = _reachable(g, prog, roots)
    ops = " ".join(f"{k}={v}" for k, v in prog.ops.items())
    return {
        "output": [
            f"random program seed={seed} goroutines={prog.goroutines} steps={prog.steps} "
            f"objects={prog.objects} globals={prog.nglobals} ballast={params['ballast']}KiB",
            f"ops: {ops}",
            f"goroutines started: {prog.goroutines + prog.spawned}",
            f"GC cycles: {rt.gc.numgc}",
            f"reachable at exit: {n} objects",
        ]
    }


register(
    Workload(
        "random",
        "seeded random mutator programs (allocations, heap/stack/global pointer moves and deletions, "
        "goroutine spawns) for fuzzing the collectors",
        main,
        (
            Param("seed", 0, "program seed (0: derived from the runtime's --seed)", int, 0, MAX_SEED),
            Param("goroutines", 4, "worker goroutines, main included", int, 1, 64),
            Param("steps", 2000, "random operations per worker", int, 1, MAX_OPS),
            Param("objects", 200, "slots of the near and far object tables (about the live objects)", int, 2, MAX_LIVE),
            Param("globals", 8, "pointer globals g0, g1, ...", int, 0, 256),
            Param("ballast", 512, "KiB of big pointer arrays chained in front of the far table", int, 0, 1 << 20),
        ),
    )
)
