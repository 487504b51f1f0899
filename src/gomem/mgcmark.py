"""Marking: shading objects grey, scanning them black, in bulk.

Models ``runtime/mgcmark.go`` (``greyobject``, ``scanobject``, ``gcDrain``,
root marking, ``gcMarkTinyAllocs``), ``runtime/mgcwork.go`` (``gcWork`` and
its 253-pointer ``workbuf``\\ s) and ``runtime/mcheckmark.go``.

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
header's type, or the large span's type.  ``drain`` alternates the two
until its budget is spent or no work is left.

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
from .spanindex import KIND_LARGE_SCAN, KIND_SMALL_HEADER, KIND_SMALL_HEAPBITS, SCAN_KINDS

if TYPE_CHECKING:  # pragma: no cover
    from .malloc import Heap

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
        *with_sources*.  Counts scan work (bytes) into *gcw*.
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
            gcw.scan_work += int(es.sum())
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
                gcw.scan_work += size
                if typ is None:
                    continue
                offs = self._offsets(typ, size)
                if offs.size == 0:
                    continue
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

    def drain(self, gcw: GCWork, budget_objects: int | None = None) -> int:
        """Scan grey objects until the budget (objects) is spent or no work is left; return objects scanned."""
        done = 0
        while budget_objects is None or done < budget_objects:
            b = self.get_work(gcw)
            if b is None:
                break
            ptrs = self.scan(b, gcw)
            done += int(b.size)
            if ptrs.size:
                self.grey(ptrs, gcw)
            self.balance(gcw)
        return done

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

    # -- checkmark ---------------------------------------------------------------

    def checkmark(self, roots: list[tuple[str, np.ndarray]]) -> tuple[dict[int, int], list[str]]:
        """Trace the heap again from *roots* with independent marks (Go: ``gccheckmark``).

        *roots* is a list of (root name, pointer values).  Returns
        (parents, names): every object reached maps to the object it was
        found from, or to ``i + 1`` (below any legal address) when it was
        found directly from root ``names[i]``.
        """
        cm = self.bits.checkmarks
        cm[: self.bits.top] = 0
        gcw = GCWork()
        parents: dict[int, int] = {}
        names = []
        for i, (name, vals) in enumerate(roots):
            names.append(name)
            vals = np.asarray(vals, dtype=np.uint64)
            self.grey(vals, gcw, marks=cm, parents=parents, srcs=np.full(vals.size, i + 1, dtype=np.uint64))
        while True:
            b = gcw.pop()
            if b is None:
                break
            vals, srcs = self.scan(b, gcw, with_sources=True)
            if vals.size:
                self.grey(vals, gcw, marks=cm, parents=parents, srcs=srcs)
        return parents, names


def _type_at(addr: int):
    from .malloc import type_at

    return type_at(addr)
