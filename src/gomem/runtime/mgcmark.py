"""Marking: roots, shading objects grey, scanning them black, assists and credit.

Models ``runtime/mgcmark.go`` and ``runtime/mgcwork.go`` (``gcWork`` and
its 253-pointer ``workbuf``\\ s).  Two layers:

* :class:`Marker` — the heap-level machinery: ``greyobject``, ``scanobject``
  and the work queues, on arrays of addresses;
* :class:`GCMark` — the collector's marking (a mixin of
  :class:`~gomem.runtime.mgc.Collector`): the root jobs (``markroot``,
  ``scanstack``, the globals' ``markrootBlock``), **the** drain loop
  (:meth:`GCMark.drain`, Go's ``gcDrain`` and ``gcDrainN``; every worker, assist,
  stop-the-world mark and step-by-step driver runs it), mutator assists
  (``gcAssistAlloc``, ``gcParkAssist``) and background credit
  (``gcFlushBgCredit``).

Colours are never stored; they follow from the mark bits and the work
queues, as in Go:

* **white** — mark bit clear;
* **grey** — mark bit set and the object is waiting in a work buffer (or a
  write barrier buffer) to be scanned;
* **black** — mark bit set and scanned (or pointer-free: a noscan object
  goes black the moment it is marked, since it has nothing to scan).

``grey`` (Go's ``greyobject``) takes a batch of candidate pointers: it
finds each one's span and slot through the span index, drops pointers that
are not into an in-use heap span (nil, globals, stacks), sets the mark bits
of the objects not yet marked, counts their bytes, and pushes the ones with
pointers onto the P's ``gcWork``.  ``scan`` (``scanobject``) takes a
workbuf of grey objects and returns every non-nil pointer in them, reading
the pointer layout where Go keeps it: the span's heap bits, the malloc
header's type, or the large span's type.  :meth:`GCMark.drain` alternates
the two until its budget is spent or no work is left, pricing each batch
with the cost model.

Simplifications: Green Tea's span queues are not modelled (all objects are
scanned through workbufs, like the classic collector); large objects are
scanned whole rather than in 128 KiB oblets; a workbuf is scanned as one
batch, so the order within a buffer is not Go's LIFO.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from . import sizeclasses as sc
from . import types as gotypes
from .arena import ARENA_BASE_ADDR, PAGE_SHIFT
from .mgcpacer import GC_ASSIST_TIME_SLACK
from .sched import FORCE_PREEMPT_NS, G_DEAD, G_WAITING
from .spanindex import KIND_LARGE_SCAN, KIND_SMALL_HEADER, KIND_SMALL_HEAPBITS, SCAN_KINDS
from .stackmove import shrink_stack_safe
from .trace import ROOT, SCAN, SHADE

if TYPE_CHECKING:  # pragma: no cover
    from .malloc import Heap

#: what a goroutine parked on the assist queue waits for (waitReasonGCAssistWait)
WAIT_ASSIST = "GC assist wait"
#: pointers per workbuf (Go: _WorkbufSize 2048 - 24 B header, / 8)
WORKBUF_PTRS = 253
_BASE = np.uint64(ARENA_BASE_ADDR)
_EMPTY = np.zeros(0, dtype=np.uint64)


class GCWork:
    """A P's grey objects: a stack of workbufs (Go: ``gcWork``)."""

    __slots__ = ("bufs", "bytes_marked", "scan_work", "objects_scanned", "objects_marked", "pages_touched")

    def __init__(self) -> None:
        self.bufs: list[np.ndarray] = []
        #: bytes of objects this P marked this cycle
        self.bytes_marked = 0
        #: bytes of heap this P scanned this cycle (Go: heapScanWork)
        self.scan_work = 0
        self.objects_scanned = 0
        self.objects_marked = 0
        #: distinct pages of the objects this P marked, batch by batch (a
        #: measure of how scattered the graph is: each is a cache miss)
        self.pages_touched = 0

    def push(self, objs: np.ndarray) -> None:
        n = objs.size
        if n == 0:
            return
        if self.bufs and self.bufs[-1].size < WORKBUF_PTRS and self.bufs[-1].size + n <= WORKBUF_PTRS:
            self.bufs[-1] = np.concatenate([self.bufs[-1], objs])
            return
        for i in range(0, n, WORKBUF_PTRS):
            self.bufs.append(objs[i : i + WORKBUF_PTRS])

    def pop(self) -> np.ndarray | None:
        return self.bufs.pop() if self.bufs else None

    def empty(self) -> bool:
        return not self.bufs

    def contents(self) -> np.ndarray:
        return np.concatenate(self.bufs) if self.bufs else _EMPTY


class Marker:
    """The marking machinery of one heap."""

    def __init__(self, heap: Heap) -> None:
        self.heap = heap
        self.index = heap.mheap.spanindex
        self.bits = heap.mheap.gcbits
        #: global list of full workbufs other Ps can take (Go: work.full)
        self.full: list[np.ndarray] = []
        self._offsets_cache: dict[tuple[int, int], np.ndarray] = {}
        #: called as on_shade(obj_addrs) with newly marked objects (for the event log)
        self.on_shade: Callable[[np.ndarray, np.ndarray], None] | None = None
        #: called as on_scan(obj_addrs) for objects scanned
        self.on_scan: Callable[[np.ndarray], None] | None = None

    # -- the views -----------------------------------------------------------

    @property
    def mem64(self) -> np.ndarray:
        return self.heap.aspace.np64

    @property
    def mem8(self) -> np.ndarray:
        return self.heap.aspace.np8

    # -- shading ---------------------------------------------------------------

    def locate(self, ptrs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(kept pointers, span ids, slot indices, mark positions) of pointers into in-use heap spans."""
        idx = self.index
        off = ptrs - _BASE
        page = (off >> np.uint64(PAGE_SHIFT)).astype(np.int64)
        ok = (ptrs >= _BASE) & (page < idx.page_sid.size)
        if not ok.all():
            ptrs, page = ptrs[ok], page[ok]
        sid = idx.page_sid[page]
        ok = sid > 0
        if not ok.all():
            ptrs, sid = ptrs[ok], sid[ok]
        ok = ptrs < idx.limit[sid]
        if not ok.all():
            ptrs, sid = ptrs[ok], sid[ok]
        oi = ((ptrs - idx.base[sid]) * idx.magic[sid]) >> np.uint64(32)
        pos = idx.markoff[sid] + oi.astype(np.int64)
        return ptrs, sid, oi, pos

    def grey(
        self,
        ptrs: np.ndarray,
        gcw: GCWork,
        marks: np.ndarray | None = None,
        parents: dict | None = None,
        srcs: np.ndarray | None = None,
    ) -> int:
        """Shade every object the candidate pointers point into; return how many were newly marked.

        Go: ``greyobject`` for each pointer.  With *parents* (checkmark),
        record for each newly marked object the source it was found from.
        """
        if ptrs.size == 0:
            return 0
        if srcs is not None:
            keep_src = True
        else:
            keep_src = False
        idx = self.index
        if keep_src:
            # locate() filters; redo the filter to keep sources aligned
            off = ptrs - _BASE
            page = (off >> np.uint64(PAGE_SHIFT)).astype(np.int64)
            ok = (ptrs >= _BASE) & (page < idx.page_sid.size)
            ptrs, srcs, page = ptrs[ok], srcs[ok], page[ok]
            sid = idx.page_sid[page]
            ok = sid > 0
            ptrs, srcs, sid = ptrs[ok], srcs[ok], sid[ok]
            ok = ptrs < idx.limit[sid]
            ptrs, srcs, sid = ptrs[ok], srcs[ok], sid[ok]
            oi = ((ptrs - idx.base[sid]) * idx.magic[sid]) >> np.uint64(32)
            pos = idx.markoff[sid] + oi.astype(np.int64)
        else:
            ptrs, sid, oi, pos = self.locate(ptrs)
        if pos.size == 0:
            return 0
        checking = marks is not None  # checkmark's own marks: not the cycle's shading
        if marks is None:
            marks = self.bits.marks
        pos, first = np.unique(pos, return_index=True)
        fresh = marks[pos] == 0
        if not fresh.any():
            return 0
        pos = pos[fresh]
        first = first[fresh]
        marks[pos] = 1
        sid = sid[first]
        oi = oi[first]
        esize = idx.elemsize[sid]
        objs = idx.base[sid] + oi * esize
        n = int(pos.size)
        gcw.bytes_marked += int(esize.sum())
        gcw.objects_marked += n
        gcw.pages_touched += int(np.unique(objs >> np.uint64(13)).size) if n > 1 else n
        if parents is not None and keep_src:
            s = srcs[first]
            parents.update(zip(objs.tolist(), s.tolist()))
        kinds = idx.kind[sid]
        scan = np.isin(kinds, SCAN_KINDS)
        if self.on_shade is not None and not checking:
            self.on_shade(objs, scan)
        if scan.any():
            gcw.push(objs[scan] if not scan.all() else objs)
        return n

    # -- scanning --------------------------------------------------------------

    def scan(self, objs: np.ndarray, gcw: GCWork, with_sources: bool = False):
        """Every non-nil pointer in the grey objects *objs* (slot bases).

        Returns the pointer values, or (values, source objects) with
        *with_sources*.  Counts scan work into *gcw* as Go's ``scanobject``
        (and Green Tea's sparse ``scanObjectSmall``) count ``heapScanWork``:
        an object's bytes up to the end of its last pointer slot, nil or
        not (``Len64(ptrBits)`` words) — the measure the allocator's
        ``scanAlloc`` adds to heapScan (``writeHeapBitsSmall``'s scanSize,
        the type's PtrBytes).  Counting whole objects instead would let the
        cycle's work outrun the pacer's expected work on objects whose
        pointers come first, and collapse the assist ratio.  (Green Tea's
        dense span scan counts whole elements; its span queue is not
        modelled, see the README.)
        """
        idx = self.index
        mem64 = self.mem64
        sid = idx.page_sid[((objs - _BASE) >> np.uint64(PAGE_SHIFT)).astype(np.int64)]
        kinds = idx.kind[sid]
        vals_parts = []
        src_parts = []
        esize_all = idx.elemsize[sid]
        gcw.objects_scanned += int(objs.size)
        # Small objects with heap bits in the span: expand to words, test bits.
        hb = kinds == KIND_SMALL_HEAPBITS
        if hb.any():
            o = objs[hb] if not hb.all() else objs
            s = sid[hb] if not hb.all() else sid
            es = idx.elemsize[s]
            nw = (es >> np.uint64(3)).astype(np.int64)
            if (nw == nw[0]).all():
                k = np.arange(nw[0], dtype=np.uint64)
                waddr = (o[:, None] + k[None, :] * np.uint64(8)).ravel()
                sb = np.repeat(idx.base[s], nw[0])
                hbase = np.repeat(idx.heapbits[s], nw[0])
                srcw = np.repeat(o, nw[0]) if with_sources else None
            else:
                rep = np.repeat(np.arange(o.size), nw)
                start = np.cumsum(nw) - nw
                k = (np.arange(int(nw.sum())) - np.repeat(start, nw)).astype(np.uint64)
                waddr = o[rep] + k * np.uint64(8)
                sb = idx.base[s][rep]
                hbase = idx.heapbits[s][rep]
                srcw = o[rep] if with_sources else None
            wi = (waddr - sb) >> np.uint64(3)
            byte = (hbase + (wi >> np.uint64(3)) - _BASE).astype(np.int64)
            bit = (self.mem8[byte] >> (wi & np.uint64(7)).astype(np.uint8)) & 1
            pw = bit.astype(bool)
            gcw.scan_work += 8 * _words_to_last_pointer(pw, nw)
            slots = waddr[pw]
            vals = mem64[((slots - _BASE) >> np.uint64(3)).astype(np.int64)]
            nz = vals != 0
            vals_parts.append(vals[nz])
            if with_sources:
                src_parts.append(srcw[pw][nz])
        # Header objects and large objects: per object, by type.
        other = (kinds == KIND_SMALL_HEADER) | (kinds == KIND_LARGE_SCAN)
        if other.any():
            for obj, s_id, es in zip(objs[other].tolist(), sid[other].tolist(), esize_all[other].tolist()):
                span = idx.spans[s_id]
                if span.sizeclass == 0:
                    typ = span.large_type
                    start, size = obj, span.limit - span.start_addr
                else:
                    typ = _type_at(int(mem64[(obj - ARENA_BASE_ADDR) >> 3]))
                    start, size = obj + sc.MALLOC_HEADER_SIZE, es - sc.MALLOC_HEADER_SIZE
                if typ is None:
                    continue
                offs = self._offsets(typ, size)
                if offs.size == 0:
                    continue
                gcw.scan_work += start - obj + int(offs[-1]) + 8
                vals = mem64[(start - ARENA_BASE_ADDR + offs) >> 3]
                nz = vals != 0
                vals_parts.append(vals[nz])
                if with_sources:
                    src_parts.append(np.full(int(nz.sum()), obj, dtype=np.uint64))
        if self.on_scan is not None:
            self.on_scan(objs)
        vals = np.concatenate(vals_parts) if vals_parts else _EMPTY
        if with_sources:
            return vals, (np.concatenate(src_parts) if src_parts else _EMPTY)
        return vals

    def _offsets(self, typ: gotypes.GoType, nbytes: int) -> np.ndarray:
        key = (typ.id, nbytes)
        offs = self._offsets_cache.get(key)
        if offs is None:
            # A malloc-header object's type need not fill its slot (a 528-byte
            # struct in a 576-byte slot): Go tiles the type's mask over the
            # whole slot and stops at its end (mbitmap.go typePointers.next).
            whole = -(-nbytes // typ.size) * typ.size if typ.size else nbytes
            offs = gotypes.pointer_offsets_array(typ, whole).astype(np.int64)
            if whole != nbytes:
                offs = offs[offs < nbytes]
            if len(self._offsets_cache) > 4096:
                self._offsets_cache.clear()
            self._offsets_cache[key] = offs
        return offs

    # -- draining ----------------------------------------------------------------

    def get_work(self, gcw: GCWork) -> np.ndarray | None:
        """A workbuf: this P's own, else one from the global list (Go: ``tryGet``)."""
        b = gcw.pop()
        if b is None and self.full:
            b = self.full.pop()
        return b

    def balance(self, gcw: GCWork) -> None:
        """Give the global list work when this P has plenty (Go: ``gcWork.balance``)."""
        if len(gcw.bufs) > 4 and not self.full:
            half = len(gcw.bufs) // 2
            self.full.extend(gcw.bufs[:half])
            del gcw.bufs[:half]

    def has_work(self, gcws) -> bool:
        return bool(self.full) or any(not g.empty() for g in gcws)

    def flush_to_global(self, gcw: GCWork) -> None:
        """Move a P's buffers to the global list (Go: ``gcWork.dispose``)."""
        self.full.extend(gcw.bufs)
        gcw.bufs.clear()

    def grey_objects(self) -> np.ndarray:
        """Every object waiting in a workbuf (for pictures and tests)."""
        parts = list(self.full)
        return np.concatenate(parts) if parts else _EMPTY


class GCMark:
    """The collector's marking: roots, the drain loop, assists, background credit (a Collector mixin).

    Uses the collector's ``rt``, ``cost``, ``marker``, ``wb``, ``ps``,
    ``pacer``, ``limiter``, ``cur`` and the cycle's mark state
    (``root_jobs``, ``stack_scan``, ``globals_scan_work``, ``bg_credit``,
    ``assist_queue``).
    """

    # -- roots (markroot, scanstack) --------------------------------------------------

    #: ``GODEBUG=gcshrinkstackoff=1``: the collector never shrinks a stack (set on the collector, ``rt.gc``)
    gcshrinkstackoff = False

    def scan_stack(self, g, gcw: GCWork) -> int:
        """Grey everything a goroutine's stack points to (Go: ``scanstack``); return the cost in ns.

        Before the scan, a stack the goroutine uses little of is halved (``shrinkstack``) when the
        goroutine may be moved (:meth:`_shrink_stack`); the scanned size is the one before, as Go counts it.
        """
        rt = self.rt
        if not self.gcshrinkstackoff and g.stack.shrink_wanted():
            self._shrink_stack(g)
        slots = g.stack.pointer_slots()
        if slots:
            idx = (np.array(slots, dtype=np.uint64) - _BASE) >> np.uint64(3)
            vals = rt.heap.aspace.np64[idx.astype(np.int64)]
            vals = vals[vals != 0]
            if vals.size:
                self.marker.grey(vals, gcw)
        used = g.stack.used
        self.stack_scan += used
        g.scandone = True
        if g.status == G_WAITING and not g.wait_since and self.cur is not None:
            g.wait_since = self.cur.t_sweep_term or 1  # markroot: waitsince = work.tstart
        if rt.log.detail:
            rt.log.emit(rt.cur_p.now, ROOT, rt.cur_p.id, root=f"stack of goroutine {g.id}", bytes=used)
        return self.cost.root_job + used * self.cost.stack_scan_per_kib // 1024

    def _shrink_stack(self, g) -> None:
        """``shrinkstack`` of *g* if :func:`shrink_stack_safe`, then ``adjustsudogs``: the ``elem`` of every
        sudog *g* waits with that pointed into the old stack is moved with it."""
        sudogs = shrink_stack_safe(g)
        if sudogs is None or not g.stack.shrink(True):  # scanning runs only while the GC runs
            return
        old_lo, old_hi, delta = g.stack.last_move
        for sg in sudogs:
            if old_lo <= sg.elem < old_hi:
                sg.elem += delta

    def scan_globals(self, gcw: GCWork) -> int:
        """Grey what the program's globals point to (Go: ``markrootBlock`` of data and bss); return the ns."""
        rt = self.rt
        _, vals = rt.data.pointer_values()
        if vals.size:
            self.marker.grey(vals, gcw)
        nbytes = rt.data.scan_bytes
        self.globals_scan_work += nbytes
        if rt.log.detail:
            rt.log.emit(rt.cur_p.now, ROOT, rt.cur_p.id, root="globals", bytes=nbytes)
        # the runtime's own data+bss (rt.data.runtime_bytes) is pointer-free here:
        # markrootBlock skips it through its pointer bitmap, so only the program's part is charged
        return self.cost.root_job + rt.data.size * self.cost.globals_scan_per_kib // 1024

    def markroot(self, p, job: tuple | None = None) -> int:
        """Run root job *job* (taken off the queue if queued), else the next queued one (Go: ``markroot``).

        A job is ``("globals",)`` or ``("stack", g)``; a stack already
        scanned, or of an exited goroutine, costs nothing.  Returns the ns.
        """
        if job is None:
            job = self.root_jobs.pop()
        elif job in self.root_jobs:
            self.root_jobs.remove(job)
        if job[0] == "globals":
            return self.scan_globals(p.gcw)
        g = job[1]
        if g.status == G_DEAD or g.scandone:
            return 0
        return self.scan_stack(g, p.gcw)

    def _on_shade(self, objs: np.ndarray, scan: np.ndarray) -> None:
        log = self.rt.log
        if not log.detail:
            return
        p = self.rt.cur_p
        for a, s in zip(objs.tolist(), scan.tolist()):
            log.emit(p.now, SHADE, p.id, addr=a, color="grey" if s else "black")

    # -- the drain loop (gcDrain, gcDrainN) -------------------------------------------------

    def drain(
        self,
        p,
        budget_ns: int | None = None,
        budget_bytes: int | None = None,
        heap_first: bool = False,
        budget_objects: int | None = None,
    ) -> tuple[int, int]:
        """Drain root jobs and grey objects on *p*; charge *p* and return (ns spent, scan bytes done).

        Stops when a budget is spent or there is no work (root jobs, grey
        objects here or on the global list, the P's write barrier buffer).
        Workers take root jobs first (Go: ``gcDrain``); an assist
        (*heap_first*) scans grey objects first and takes a root job only
        when it finds none, counting the root's bytes against its budget
        (Go: ``gcDrainN``).  *budget_objects* (step-by-step driving) scans
        exactly that many grey objects at most, splitting a workbuf if need be.
        """
        gcw = p.gcw
        marker = self.marker
        spent = 0
        done_bytes = 0
        scanned0 = gcw.objects_scanned
        while (
            (budget_ns is None or spent < budget_ns)
            and (budget_bytes is None or done_bytes < budget_bytes)
            and (budget_objects is None or gcw.objects_scanned - scanned0 < budget_objects)
        ):
            if self.root_jobs and not heap_first:
                spent += self.markroot(p)
                continue
            b = marker.get_work(gcw)
            if b is None:
                if p.wbbuf:
                    spent += self.wb.flush(p, charge=False)
                    continue
                if self.root_jobs:
                    before = self.stack_scan + self.globals_scan_work
                    spent += self.markroot(p)
                    done_bytes += self.stack_scan + self.globals_scan_work - before
                    continue
                break
            if budget_objects is not None:
                left = budget_objects - (gcw.objects_scanned - scanned0)
                if b.size > left:
                    gcw.bufs.append(b[: b.size - left])
                    b = b[b.size - left :]
            ns, nbytes = self._scan_batch(p, b, p.now + spent)
            marker.balance(gcw)
            spent += ns
            done_bytes += nbytes
        p.now += spent
        return spent, done_bytes

    def _scan_batch(self, p, b: np.ndarray, t: int) -> tuple[int, int]:
        """Scan the grey objects *b* on *p* and grey what they point to; return (ns, scan bytes).

        *t*: the model time the scans are logged at.  The price: per object
        scanned, per word of scan work, per object marked, and per page the
        newly marked objects touch (a cache miss each).
        """
        gcw = p.gcw
        marker = self.marker
        cost = self.cost
        s0, w0, m0, t0 = gcw.objects_scanned, gcw.scan_work, gcw.objects_marked, gcw.pages_touched
        ptrs = marker.scan(b, gcw)
        if self.rt.log.detail:
            for a in b.tolist():
                self.rt.log.emit(t, SCAN, p.id, addr=a)
        if ptrs.size:
            marker.grey(ptrs, gcw)
        dw = gcw.scan_work - w0
        ns = (
            (gcw.objects_scanned - s0) * cost.scan_object
            + (dw >> 3) * cost.scan_word
            + (gcw.objects_marked - m0) * cost.grey
            + (gcw.pages_touched - t0) * cost.mark_miss
        )
        return ns, dw

    def mark_step(self, p=None, objects: int | None = None) -> int:
        """Drain on *p* until *objects* grey objects are scanned (None: all work); return how many were.

        For driving the collector step by step (tests, the ``--gc`` demos):
        :meth:`drain` with an object budget, root jobs first.
        """
        p = p or self.rt.cur_p
        n0 = p.gcw.objects_scanned
        self.drain(p, budget_objects=objects)
        return p.gcw.objects_scanned - n0

    def scan_object(self, p, addr: int) -> None:
        """Scan the grey object at *addr* now, out of queue order (the scenario engine's ``scan X``).

        The object is taken off *p*'s and the global queues.  The scan is
        not charged to *p*'s clock: a scenario's ``scan`` steps take no
        model time (its ``drain`` does).
        """
        for q in (p.gcw.bufs, self.marker.full):
            for i, b in enumerate(q):
                hit = b == np.uint64(addr)
                if hit.any():
                    rest = b[~hit]
                    if rest.size:
                        q[i] = rest
                    else:
                        del q[i]
                    break
            else:
                continue
            break
        self._scan_batch(p, np.array([addr], dtype=np.uint64), p.now)

    def mark_all(self, p) -> int:
        """Every root job and every grey object, on every P's behalf, now; return the ns of work.

        For marking with the world stopped: flushes every P's write barrier
        buffer and moves the other Ps' work to the global list until none is left.
        """
        total = 0
        while True:
            spent, _ = self.drain(p)
            total += spent
            moved = 0
            for q in self.ps:
                if q.wbbuf:
                    total += self.wb.flush(q, charge=False)
                    moved += 1
                if q is not p and not q.gcw.empty():
                    self.marker.flush_to_global(q.gcw)
                    moved += 1
            if not moved and not self._has_work():
                return total

    def _has_work(self) -> bool:
        return bool(self.root_jobs) or self.marker.has_work([q.gcw for q in self.ps]) or any(q.wbbuf for q in self.ps)

    # -- assists (gcAssistAlloc) and background credit (gcFlushBgCredit) -----------------------

    def charge_alloc(self, g, p, size: int) -> None:
        """Allocation during mark: run up debt, assist when it is negative (Go: ``deductAssistCredit``)."""
        g.gc_assist_bytes -= size
        if g.gc_assist_bytes < 0:
            self.assist(g, p)

    def assist(self, g, p) -> None:
        """Pay allocation debt with scan work (Go: ``gcAssistAlloc``).

        Skipped while the CPU limiter is limiting (the debt stays), and on the
        system context that fires timers (Go's gcAssistAlloc returns at once on
        g0).  One assist drains for at most 10 ms of model time, when sysmon would
        preempt it; the rest of the debt is retried at the next allocation
        (Go: Gosched and retry, which re-checks the limiter).  An
        assist that runs out of work before paying parks the goroutine on
        the assist queue (``gcParkAssist``) — in the model it stops at its
        next safe point (``yield``), not inside the allocation — until
        background credit pays it (:meth:`_flush_bg_credit`) or marking ends.
        """
        if g.gen is None:  # the scheduler's own context (the timers' g0): Go never assists on the system stack
            return
        pacer = self.pacer
        lim = self.limiter
        if lim.limiting():
            return
        debt = -g.gc_assist_bytes
        scan_work = int(pacer.assist_work_per_byte * debt)
        if scan_work < self.cost.assist_min_work:
            scan_work = self.cost.assist_min_work
            debt = int(pacer.assist_bytes_per_work * scan_work)
        # Steal background credit first.
        if self.bg_credit > 0:
            stolen = min(self.bg_credit, scan_work)
            self.bg_credit -= stolen
            g.gc_assist_bytes += int(pacer.assist_bytes_per_work * stolen)
            if g.gc_assist_bytes >= 0:
                return
            scan_work -= stolen
        t0 = p.now
        spent, done = self.drain(p, budget_ns=FORCE_PREEMPT_NS, budget_bytes=scan_work, heap_first=True)
        dt = p.now - t0
        if self.rt.log.timeline is not None:
            self.rt.log.timeline.span(p.id, "assist", t0, p.now, g)
        self.cur.assist_time += dt
        pacer.assist_time += dt
        self.gc_cpu += dt
        lim.add_assist_time(dt)
        slack = self._assist_slack.get(p.id, 0) + dt
        if slack > GC_ASSIST_TIME_SLACK:
            lim.update(p.now)  # gcAssistAlloc1: flush the P's assist time past 5 us, update the limiter
            slack = 0
        self._assist_slack[p.id] = slack
        g.gc_assist_bytes += 1 + int(pacer.assist_bytes_per_work * done)
        if not self._has_work():
            self.mark_done(p)
        elif g.gc_assist_bytes < 0 and done < scan_work and spent < FORCE_PREEMPT_NS:
            self._park_assist(g)  # out of work, not preempted: wait for background credit

    def _park_assist(self, g) -> None:
        """Queue a goroutine whose assist could not pay (Go: ``gcParkAssist``)."""
        if g.status == G_WAITING and g.wait_reason == WAIT_ASSIST:
            return  # already queued
        self.assist_queue.append(g)
        g.status = G_WAITING
        g.wait_reason = WAIT_ASSIST

    def _flush_bg_credit(self, p, scan_work: int) -> None:
        """Pay queued assists FIFO with background scan work, bank the rest (Go: ``gcFlushBgCredit``)."""
        q = self.assist_queue
        if not q:
            self.bg_credit += scan_work
            return
        pacer = self.pacer
        scan_bytes = int(scan_work * pacer.assist_bytes_per_work)
        n = len(q)
        while q and scan_bytes > 0 and n > 0:
            n -= 1
            g = q.pop(0)
            if g.status != G_WAITING or g.wait_reason != WAIT_ASSIST:
                continue  # exited, or waiting for something else now
            if scan_bytes + g.gc_assist_bytes >= 0:
                scan_bytes += g.gc_assist_bytes
                g.gc_assist_bytes = 0
                self._wake_assist(g, p)
            else:
                g.gc_assist_bytes += scan_bytes
                scan_bytes = 0
                q.append(g)  # partially paid: to the back
        if scan_bytes > 0:
            self.bg_credit += int(scan_bytes * pacer.assist_work_per_byte)

    def _wake_assist(self, g, p) -> None:
        """Ready the assist *g* at the tail of *p*'s run queue: not ``runnext``, so that a goroutine cannot
        use the worker's priority to run before every other (``gcFlushBgCredit``'s ``ready(gp, 0, false)``)."""
        g.wait_reason = ""
        g.ready_at = max(g.ready_at, p.now)
        self.rt.sched.ready(g, p)

    def _wake_all_assists(self, p) -> None:
        """Mark is over: release every queued assist to *p*'s run queue (Go: ``gcWakeAllAssists``, whose
        ``injectglist`` puts them on the current P's queue when no P is idle; the others steal them)."""
        q, self.assist_queue = self.assist_queue, []
        for g in q:
            if g.status == G_WAITING and g.wait_reason == WAIT_ASSIST:
                self._wake_assist(g, p)


def _words_to_last_pointer(pw: np.ndarray, nw: np.ndarray) -> int:
    """Σ over objects of (index of the object's last pointer word + 1); 0 for an object with none.

    *pw*: every object's words' pointer bits, object after object; *nw*:
    each object's length in words (Go: ``sys.Len64(ptrBits)`` summed).
    """
    if (nw == nw[0]).all():
        m = pw.reshape(-1, int(nw[0]))
        last = m.shape[1] - np.argmax(m[:, ::-1], axis=1)
        return int(last[m.any(axis=1)].sum())
    start = np.cumsum(nw) - nw
    k = np.arange(pw.size) - np.repeat(start, nw) + 1
    return int(np.maximum.reduceat(np.where(pw, k, 0), start).sum())


def _type_at(addr: int):
    from .malloc import type_at

    return type_at(addr)
