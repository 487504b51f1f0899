"""Why is it alive: a snapshot of the heap graph, paths from roots, dominators, retained sizes.

What ``viewcore`` (``golang.org/x/debug/cmd/viewcore``: ``objects``,
``reachable``, ``histogram``) and ``goref`` (``github.com/cloudwego/goref``:
retained sizes of a running Go process) do for a core file, done on the
model's heap with the world stopped (:func:`snapshot`; call it between
steps, e.g. at the end of a run, or from an event-log subscriber at a
cycle's mark termination: the ``phase`` event with ``phase="marktermination"``
comes after the last drain, while the world is stopped).

The graph
---------
* **Nodes** — every allocated slot of every in-use heap span (allocation bits
  plus every slot below ``freeindex``, as :meth:`~gomem.runtime.malloc.Heap.find_object`
  counts them), in address order: its address, its slot size (the size
  class's size; a large object's span), its Go type where the model knows it
  and, with a ``site_of(addr) -> str | None`` hook, its allocation site.
  Stored as numpy arrays (:class:`HeapGraph`): no Python object per heap object.
* **Roots** — the slots the collector greys from (``markrootBlock`` of the
  data segment, ``scanstack`` of every live goroutine, ``gcMarkTinyAllocs``,
  and the triggering allocation while it is in flight): the same lists
  :meth:`gomem.runtime.mcheckmark.GCCheckmark.roots` re-traces from, each named —
  a global by its data-segment variable (``main.keep``, a field or element of
  it as ``main.cfg.items[3]``), a stack slot as ``goroutine 1 frame main.main.l``
  (the frame type's field), a tiny block as ``tiny block of P0``.
* **Edges** — every non-nil pointer word of every scan object, read by the
  collector's own reader (:meth:`gomem.runtime.mgcmark.Marker.scan`: span heap
  bits, malloc header type, large span type), resolved to the object that
  holds it as ``greyobject`` resolves it (interior pointers find their
  object through the span index).  Kept as CSR (``indptr``, ``indices``).

On it: :meth:`HeapGraph.reachable` (equal to what a full stop-the-world mark
keeps: the tests compare it with checkmark's re-trace and with the marks of a
``stw`` cycle), :meth:`HeapGraph.path` (a shortest path from a root, by
breadth-first search, with field names where the types know them),
:meth:`HeapGraph.dominators` (Cooper, Harvey and Kennedy, "A Simple, Fast
Dominance Algorithm", 2001, on a virtual super-root whose successors are the
roots' objects), :meth:`HeapGraph.retained` (an object's size plus the sizes of
every object it dominates: what freeing it would free) and
:meth:`HeapGraph.table` (count, bytes and retained bytes per type or site).

Simplifications (and why)
-------------------------
* Types: the model knows an object's type where Go does — the malloc header
  (513 B .. 32 KiB scan objects) and a large span's ``largeType`` — and, when
  the runtime tracks types (``rt.track_types``: ``--checkmark``,
  ``--clobberfree``, or ``gomem why``, which turns it on), the name the
  allocation recorded (``rt.obj_types``).  That name is matched back to a type
  descriptor by name (the newest descriptor of that name that fits the slot
  and agrees with its span's scan/noscan class); an entry an allocation path
  that records nothing left behind may be stale.  Unlike viewcore, no types
  are inferred from the pointers' static types (the compiler erases global
  and frame slot types to their pointer shape); an object of unknown type is
  named by its slot (``16-byte object, size class 2``).  A slot holding at
  least two elements of its type is shown as a slice's backing array
  (``[]*main.Node``, fields as ``[3]``).
* Field names on a path are read from the live heap (the slot of the parent
  object that holds the pointer): :meth:`HeapGraph.path` must be called while
  the world is still stopped at the snapshot, else it prints the hops without
  field names.
* The write barrier's buffers are not roots (they are empty after mark
  termination's ragged barrier; what they shade mid-cycle is floating
  garbage, not reachable).  Finalizers and cleanups are not modelled, so no
  specials are roots.  The super-root joins all roots: a root slot's own
  retained size is not reported, only its objects'.
* Retained bytes per type (or site) count an object only when no object of
  the same type dominates it (so a list's retained bytes are its head's, not
  the sum over its nodes).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

import numpy as np

from . import sizeclasses as sc
from . import types as gotypes
from .arena import ARENA_BASE_ADDR, PAGE_SHIFT
from .mgcmark import GCWork
from .mspan import SPAN_IN_USE
from .sched import G_DEAD
from .spanindex import KIND_LARGE_SCAN, KIND_SMALL_HEADER, SCAN_KINDS
from ..errors import BadInput

__all__ = ["HeapGraph", "Root", "snapshot", "field_path", "ROOT_KINDS"]

_BASE = np.uint64(ARENA_BASE_ADDR)
#: the kinds of root the collector greys from
ROOT_KINDS = ("global", "stack", "tiny", "inflight")
#: objects scanned per Marker.scan call while building the edges
_SCAN_BATCH = 1 << 15
#: the virtual super-root's index in dominator results is ``n`` (one past the last object)


class Root:
    """One named root slot (a global's word, a frame's word, a P's tiny block) and the object it points to."""

    __slots__ = ("kind", "name", "slot", "value", "node")

    def __init__(self, kind: str, name: str, slot: int, value: int, node: int) -> None:
        self.kind = kind
        self.name = name
        #: address of the root word (0 for a tiny block or the in-flight allocation: no slot)
        self.slot = slot
        self.value = value
        #: the object's index in the snapshot
        self.node = node

    def __repr__(self) -> str:
        return f"<root {self.kind} {self.name} -> {self.value:#x}>"


# -- naming slots ---------------------------------------------------------------------------


def field_path(typ: gotypes.GoType | None, off: int) -> str:
    """The selector of the word at byte *off* of a value of *typ*: ``.next``, ``[3]``, ``.items[3].p``, ``.data``.

    Descends structs (by field offsets) and arrays (by element size); the data
    word of an interface is ``.data``; a pointer, string or slice word 0 is the
    value itself (``""``).  An offset the type does not explain is ``+off``.
    """
    parts: list[str] = []
    t = typ
    while t is not None and off >= 0:
        if t.fields:
            f = _field_at(t, off)
            if f is None:
                break
            parts.append("." + f.name)
            off -= f.offset
            t = f.type
            continue
        if t.kind == "array" and t.elem is not None and t.elem.size:
            i = off // t.elem.size
            parts.append(f"[{i}]")
            off -= i * t.elem.size
            t = t.elem
            continue
        if t.kind == "interface" and off == 8:
            parts.append(".data")
            off = 0
        break
    if off:
        parts.append(f"+{off}")
    return "".join(parts)


def _field_at(t: gotypes.GoType, off: int):
    for f in t.fields:
        if f.offset <= off < f.offset + max(f.type.size, 1):
            return f
    return None


def _type_label(t: gotypes.GoType) -> str:
    return t.go_string


# -- the snapshot ------------------------------------------------------------------------------


class HeapGraph:
    """The heap graph at one moment (see the module docstring); build it with :func:`snapshot`.

    Arrays, one entry per object, in address order: :attr:`addr` (uint64 slot
    base), :attr:`size` (slot bytes), :attr:`type_code` (index into
    :attr:`type_labels`), :attr:`site_code` (index into :attr:`sites`, -1:
    unknown); edges as CSR: the successors of object *i* are
    ``indices[indptr[i]:indptr[i+1]]`` (distinct, no self-loops); :attr:`roots`.
    """

    def __init__(self, addr, size, type_code, type_labels, type_objs, type_array, site_code, sites,
                 indptr, indices, roots, rt=None, stamp=None, dangling: int = 0, label: str = "") -> None:
        self.addr: np.ndarray = addr
        self.size: np.ndarray = size
        self.type_code: np.ndarray = type_code
        self.type_labels: list[str] = type_labels
        #: per type code: the descriptor (None when only a name or the slot is known)
        self.type_objs: list[gotypes.GoType | None] = type_objs
        #: per type code: the slot holds an array of the type (a slice's backing array)
        self.type_array: list[bool] = type_array
        self.site_code: np.ndarray = site_code
        self.sites: list[str] = sites
        self.indptr: np.ndarray = indptr
        self.indices: np.ndarray = indices
        self.roots: list[Root] = roots
        #: pointers from scanned objects into in-use heap spans that hit no allocated object
        #: (only garbage may hold them: a reachable one would be a dangling pointer)
        self.dangling = dangling
        #: what the snapshot was taken at (for reports)
        self.label = label
        self._rt = rt
        self._stamp = stamp
        self._parent: np.ndarray | None = None
        self._root_of: np.ndarray | None = None
        self._idom: np.ndarray | None = None
        self._order: np.ndarray | None = None
        self._retained_n: np.ndarray | None = None
        self._retained: np.ndarray | None = None

    # -- basics -----------------------------------------------------------------------------

    @property
    def n(self) -> int:
        return int(self.addr.size)

    @property
    def nedges(self) -> int:
        return int(self.indices.size)

    def successors(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def node_of(self, addr: int) -> int | None:
        """The index of the object holding *addr* (an interior pointer finds its object), or None."""
        i = int(np.searchsorted(self.addr, np.uint64(addr), side="right")) - 1
        if i < 0 or not (int(self.addr[i]) <= addr < int(self.addr[i]) + int(self.size[i])):
            return None
        return i

    def type_of(self, i: int) -> str:
        return self.type_labels[int(self.type_code[i])]

    def site_of(self, i: int) -> str | None:
        c = int(self.site_code[i])
        return self.sites[c] if c >= 0 else None

    def root_nodes(self) -> np.ndarray:
        return np.unique(np.array([r.node for r in self.roots], dtype=np.int64))

    # -- (a) reachability, (b) shortest paths ----------------------------------------------------

    def _bfs(self) -> None:
        """Breadth-first search from every root at once: each object's parent on a shortest path.

        ``parent[i]`` is the object *i* was first reached from, ``-1`` when it
        was reached from a root directly (``root_of[i]`` is that root's index in
        :attr:`roots`), ``-2`` when it is unreachable.  Level by level, on arrays.
        """
        n = self.n
        parent = np.full(n, -2, dtype=np.int64)
        root_of = np.full(n, -1, dtype=np.int64)
        for k, r in enumerate(self.roots):
            if parent[r.node] == -2:
                parent[r.node] = -1
                root_of[r.node] = k
        frontier = np.flatnonzero(parent == -1)
        indptr, indices = self.indptr, self.indices
        while frontier.size:
            srcs, dsts = _expand(indptr, indices, frontier)
            fresh = parent[dsts] == -2
            srcs, dsts = srcs[fresh], dsts[fresh]
            dsts, first = np.unique(dsts, return_index=True)  # the first parent found wins
            parent[dsts] = srcs[first]
            frontier = dsts
        self._parent, self._root_of = parent, root_of

    def reachable(self) -> np.ndarray:
        """A bool per object: reachable from some root (what a full mark keeps)."""
        if self._parent is None:
            self._bfs()
        return self._parent != -2

    def path_nodes(self, i: int) -> tuple[Root, list[int]] | None:
        """A shortest path to object *i*: (the root, the objects from the root's object to *i*); None if unreachable."""
        if self._parent is None:
            self._bfs()
        if self._parent[i] == -2:
            return None
        chain = [i]
        while self._parent[chain[-1]] >= 0:
            chain.append(int(self._parent[chain[-1]]))
        chain.reverse()
        return self.roots[int(self._root_of[chain[0]])], chain

    def path(self, i: int, max_run: int = 3) -> str:
        """A shortest path from a root to object *i*, one line:
        ``main.keep -> main.Node.Next (0xc000010000, 16 B) -> main.Node (0xc000010010, 16 B)``.

        Each hop names the object by its type and the field of it that holds
        the next pointer (read from the live heap: see the module docstring).
        A run of more than *max_run* hops through the same field of the same
        type (a long list) is shortened to its first and last hop and a count.
        """
        found = self.path_nodes(i)
        if found is None:
            return f"{self.describe(i)}: not reachable from any root"
        root, chain = found
        hops = [(root.name, "")]
        for u, v in zip(chain, chain[1:]):
            hops.append((f"{self.type_of(u)}{self._selector(u, v)}", f" ({int(self.addr[u]):#x}, {int(self.size[u])} B)"))
        hops.append((self.type_of(chain[-1]), f" ({int(self.addr[chain[-1]]):#x}, {int(self.size[chain[-1]])} B)"))
        return " -> ".join(_elide(hops, max_run))

    def describe(self, i: int) -> str:
        return f"{self.type_of(i)} ({int(self.addr[i]):#x}, {int(self.size[i])} B)"

    def _live(self) -> bool:
        return self._rt is not None and _stamp(self._rt) == self._stamp

    def _selector(self, u: int, v: int) -> str:
        """The field (or element) of object *u* that points to object *v*, e.g. ``.Next`` or ``[3]``."""
        if not self._live():
            return ""
        heap = self._rt.heap
        base = int(self.addr[u])
        vb, ve = int(self.addr[v]), int(self.addr[v]) + int(self.size[v])
        start, _, _ = heap.pointer_mask(base)
        words = heap.aspace.words
        for slot in heap.pointer_slots(base):
            val = words[(slot - ARENA_BASE_ADDR) >> 3]
            if vb <= val < ve:
                return self.slot_selector(u, slot - start)
        return ""

    def slot_selector(self, u: int, off: int) -> str:
        """The selector of the word at data offset *off* of object *u*, from its type (``""`` if unknown)."""
        c = int(self.type_code[u])
        t = self.type_objs[c]
        if t is None:
            return f"+{off}"
        if self.type_array[c] and t.size:
            k = off // t.size
            return f"[{k}]" + field_path(t, off - k * t.size)
        return field_path(t, off)

    # -- (c) dominators and retained sizes ---------------------------------------------------------

    def dominators(self) -> np.ndarray:
        """The immediate dominator of every object: an object index, ``n`` (the super-root) for an
        object no other object dominates, ``-1`` for an unreachable one.

        Cooper, Harvey and Kennedy's iterative algorithm: number the
        reachable graph in reverse postorder of a depth-first search from the
        super-root, then, until nothing changes, set each node's dominator to
        the intersection (the nearest common ancestor in the current
        dominator tree, found by walking two fingers up by postorder number)
        of its already-processed predecessors' dominators.
        """
        if self._idom is not None:
            return self._idom
        n = self.n
        sroot = n
        order = self._postorder()  # nodes in DFS postorder, the super-root last
        po = np.full(n + 1, -1, dtype=np.int64)
        po[order] = np.arange(order.size)
        preds = self._predecessors(po)
        idom = [-1] * (n + 1)
        ponum = po.tolist()
        idom[sroot] = sroot
        rpo = order[::-1].tolist()[1:]
        pred_ptr, pred_idx = preds
        pred_ptr = pred_ptr.tolist()
        pred_idx = pred_idx.tolist()
        changed = True
        while changed:
            changed = False
            for b in rpo:
                new = -1
                for k in range(pred_ptr[b], pred_ptr[b + 1]):
                    p = pred_idx[k]
                    if idom[p] == -1:
                        continue
                    if new == -1:
                        new = p
                        continue
                    # intersect(p, new)
                    f1, f2 = p, new
                    while f1 != f2:
                        while ponum[f1] < ponum[f2]:
                            f1 = idom[f1]
                        while ponum[f2] < ponum[f1]:
                            f2 = idom[f2]
                    new = f1
                if idom[b] != new:
                    idom[b] = new
                    changed = True
        out = np.array(idom[:n], dtype=np.int64)
        self._idom = out
        return out

    def _postorder(self) -> np.ndarray:
        """The reachable objects in postorder of an iterative depth-first search from the super-root,
        then the super-root (index ``n``)."""
        if self._order is not None:
            return self._order
        n = self.n
        indptr = self.indptr.tolist()
        indices = self.indices.tolist()
        seen = bytearray(n)
        out: list[int] = []
        for r in self.root_nodes().tolist():
            if seen[r]:
                continue
            seen[r] = 1
            stack = [(r, indptr[r])]
            while stack:
                v, k = stack[-1]
                end = indptr[v + 1]
                while k < end and seen[indices[k]]:
                    k += 1
                if k < end:
                    w = indices[k]
                    stack[-1] = (v, k + 1)
                    seen[w] = 1
                    stack.append((w, indptr[w]))
                else:
                    stack.pop()
                    out.append(v)
        out.append(n)
        self._order = np.array(out, dtype=np.int64)
        return self._order

    def _predecessors(self, po: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """CSR of the reachable graph's predecessors over nodes 0..n (the super-root precedes every root object)."""
        n = self.n
        counts = np.diff(self.indptr)
        srcs = np.repeat(np.arange(n, dtype=np.int64), counts)
        dsts = self.indices.astype(np.int64)
        keep = po[srcs] >= 0
        srcs, dsts = srcs[keep], dsts[keep]
        rn = self.root_nodes()
        srcs = np.concatenate([srcs, np.full(rn.size, n, dtype=np.int64)])
        dsts = np.concatenate([dsts, rn])
        o = np.argsort(dsts, kind="stable")
        pred_idx = srcs[o]
        pred_ptr = np.zeros(n + 2, dtype=np.int64)
        np.cumsum(np.bincount(dsts, minlength=n + 1), out=pred_ptr[1:])
        return pred_ptr, pred_idx

    def retained(self) -> np.ndarray:
        """Retained bytes per object: its slot plus every object it dominates (0 if unreachable)."""
        if self._retained is not None:
            return self._retained
        idom = self.dominators()
        n = self.n
        ret = np.where(idom >= 0, self.size.astype(np.int64), 0).tolist()
        cnt = (idom >= 0).astype(np.int64).tolist()
        dom = idom.tolist()
        # postorder: every object comes after all it dominates (they are below it in the DFS tree)
        for v in self._postorder()[:-1].tolist():
            d = dom[v]
            if d < n:
                ret[d] += ret[v]
                cnt[d] += cnt[v]
        self._retained = np.array(ret, dtype=np.int64)
        self._retained_n = np.array(cnt, dtype=np.int64)
        return self._retained

    def retained_objects(self) -> np.ndarray:
        """Objects retained per object (itself and every object it dominates; 0 if unreachable)."""
        self.retained()
        return self._retained_n

    def dominated_by_same(self, codes: np.ndarray) -> np.ndarray:
        """A bool per object: some proper dominator of it has the same code (type or site) — the
        objects not to count again in a table's retained bytes."""
        idom = self.dominators()
        n = self.n
        kids: dict[int, list[int]] = {}
        for v, d in enumerate(idom.tolist()):
            if d >= 0:
                kids.setdefault(d, []).append(v)
        inside = np.zeros(n, dtype=bool)
        code = codes.tolist()
        active: dict[int, int] = {}
        stack: list[tuple[int, bool]] = [(n, False)]
        while stack:
            v, leaving = stack.pop()
            if v < n:
                c = code[v]
                if leaving:
                    active[c] -= 1
                    continue
                if active.get(c, 0):
                    inside[v] = True
                active[c] = active.get(c, 0) + 1
                stack.append((v, True))
            for w in kids.get(v, ()):
                stack.append((w, False))
        return inside

    # -- (d) tables ------------------------------------------------------------------------------

    def table(self, by: str = "type", only_reachable: bool = True) -> list[tuple[str, int, int, int]]:
        """(label, count, bytes, retained bytes) per type (*by* ``"type"``) or site (``"site"``), most retained first."""
        if by == "type":
            codes, labels = self.type_code.astype(np.int64), self.type_labels
        elif by == "site":
            codes, labels = self.site_code.astype(np.int64), self.sites
        else:
            raise BadInput(f"table by {by!r}: want type or site")
        live = self.reachable() if only_reachable else np.ones(self.n, dtype=bool)
        ret = self.retained()
        top = live & ~self.dominated_by_same(codes)
        k = len(labels) + 1
        c = codes + 1  # -1 (no site) -> 0
        count = np.bincount(c[live], minlength=k)
        nbytes = np.bincount(c[live], weights=self.size[live].astype(np.float64), minlength=k)
        rbytes = np.bincount(c[top], weights=ret[top].astype(np.float64), minlength=k)
        rows = []
        for j in np.flatnonzero(count).tolist():
            label = labels[j - 1] if j > 0 else "(unknown site)"
            rows.append((label, int(count[j]), int(nbytes[j]), int(rbytes[j])))
        rows.sort(key=lambda r: (-r[3], -r[2], r[0]))
        return rows

    def nodes_of_type(self, name: str) -> np.ndarray:
        """The objects whose type is *name* (``main.Node``, or as declared: ``Node``)."""
        codes = [c for c, lab in enumerate(self.type_labels)
                 if lab == name or (self.type_objs[c] is not None and self.type_objs[c].name == name)]
        return np.flatnonzero(np.isin(self.type_code, codes))

    def nodes_of_site(self, site: str) -> np.ndarray:
        codes = [c for c, s in enumerate(self.sites) if s == site or s.startswith(site)]
        return np.flatnonzero(np.isin(self.site_code, codes))


def _elide(hops: list[tuple[str, str]], max_run: int) -> list[str]:
    """The hops as text, a run of more than *max_run* equal labels as ``first -> ... N more label ... -> last``."""
    out: list[str] = []
    i = 0
    while i < len(hops):
        j = i
        while j + 1 < len(hops) and hops[j + 1][0] == hops[i][0]:
            j += 1
        if j - i + 1 > max_run:
            out.append(hops[i][0] + hops[i][1])
            out.append(f"... {j - i - 1} more {hops[i][0]} ...")
            out.append(hops[j][0] + hops[j][1])
        else:
            out.extend(label + where for label, where in hops[i : j + 1])
        i = j + 1
    return out


def _expand(indptr: np.ndarray, indices: np.ndarray, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every edge out of the *frontier* nodes: (sources, destinations)."""
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return frontier[:0], frontier[:0]
    srcs = np.repeat(frontier, counts)
    offs = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return srcs, indices[np.repeat(starts, counts) + offs].astype(np.int64)


def _stamp(rt) -> tuple:
    """Changes whenever the program or the collector runs on (a P's clock moves)."""
    return (rt.gc.cycles, rt.gc.numgc, rt.gc.phase, tuple(p.now for p in rt.sched.ps))


# -- building it ------------------------------------------------------------------------------------


def snapshot(rt, site_of: Callable[[int], str | None] | None = None, label: str = "") -> HeapGraph:
    """The heap graph of runtime *rt* now; the world must be stopped (between steps, or inside the collector).

    *site_of*, if given, is asked once per object for its allocation site
    (e.g. from the heap profile), a string or None.
    """
    heap = rt.heap
    addr, size, kind, sid = _objects(heap)
    type_code, labels, objs, arrays = _types(rt, addr, size, kind, sid)
    site_code, sites = _sites(addr, site_of)
    indptr, indices, dangling = _edges(rt, addr, size, kind)
    roots = _roots(rt, addr, size)
    return HeapGraph(addr, size, type_code, labels, objs, arrays, site_code, sites, indptr, indices, roots,
                     rt=rt, stamp=_stamp(rt), dangling=dangling, label=label)


def _objects(heap) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(slot base, slot size, span kind, span id) of every allocated object, in address order."""
    idx = heap.mheap.spanindex
    a_parts, s_parts, k_parts, i_parts = [], [], [], []
    for s in heap.spans():
        if s.state != SPAN_IN_USE:
            continue
        if s.sizeclass == 0:
            if not s.alloc_count:
                continue
            ix = np.zeros(1, dtype=np.uint64)
            es = s.limit - s.start_addr
        else:
            bits = (s.alloc_bits | ((1 << s.freeindex) - 1)) & ((1 << s.nelems) - 1)
            if not bits:
                continue
            raw = np.frombuffer(bits.to_bytes((s.nelems + 7) // 8, "little"), dtype=np.uint8)
            ix = np.flatnonzero(np.unpackbits(raw, bitorder="little")[: s.nelems]).astype(np.uint64)
            es = s.elemsize
        a_parts.append(np.uint64(s.start_addr) + ix * np.uint64(es))
        s_parts.append(np.full(ix.size, es, dtype=np.uint64))
        k_parts.append(np.full(ix.size, idx.kind[s.sid], dtype=np.int8))
        i_parts.append(np.full(ix.size, s.sid, dtype=np.int32))
    if not a_parts:
        e = np.zeros(0, dtype=np.uint64)
        return e, e.copy(), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int32)
    return np.concatenate(a_parts), np.concatenate(s_parts), np.concatenate(k_parts), np.concatenate(i_parts)


def _types(rt, addr, size, kind, sid) -> tuple[np.ndarray, list[str], list, list[bool]]:
    """Each object's type code, and per code its label, descriptor and whether the slot is an array of it."""
    from .malloc import type_at

    heap = rt.heap
    idx = heap.mheap.spanindex
    n = addr.size
    codes: dict[tuple, int] = {}
    labels: list[str] = []
    objs: list = []
    arrays: list[bool] = []

    def code(t: gotypes.GoType | None, name: str, data: int) -> int:
        is_array = t is not None and t.size > 0 and data // t.size >= 2
        key = (t.id if t is not None else name, is_array)
        c = codes.get(key)
        if c is None:
            c = codes[key] = len(labels)
            base = _type_label(t) if t is not None else name
            labels.append(("[]" + base) if is_array else base)
            objs.append(t)
            arrays.append(is_array)
        return c

    out = np.full(n, -1, dtype=np.int32)
    # the malloc header's type and the large span's type: what Go records
    hdr = np.flatnonzero(kind == KIND_SMALL_HEADER)
    if hdr.size:
        words = heap.aspace.np64[((addr[hdr] - _BASE) >> np.uint64(3)).astype(np.int64)]
        for w in np.unique(words).tolist():
            t = type_at(int(w))
            sel = hdr[words == w]
            for es in np.unique(size[sel]).tolist():
                sub = sel[size[sel] == es]
                if t is not None:
                    out[sub] = code(t, "", int(es) - sc.MALLOC_HEADER_SIZE)
    for i in np.flatnonzero(kind == KIND_LARGE_SCAN).tolist():
        t = idx.spans[int(sid[i])].large_type
        if t is not None:
            out[i] = code(t, "", int(size[i]))
    # what the allocations recorded, where the runtime tracks types
    recorded = rt.obj_types
    if recorded:
        by_name = _types_by_name()
        cache: dict[tuple, int] = {}
        scan = np.isin(kind, SCAN_KINDS)
        todo = np.flatnonzero(out < 0)
        for i, a, es, sk in zip(todo.tolist(), addr[todo].tolist(), size[todo].tolist(), scan[todo].tolist()):
            name = recorded.get(a)
            if name is None:
                continue
            key = (name, es, sk)
            c = cache.get(key)
            if c is None:
                t = _match(by_name.get(name, ()), es, sk)
                # a name the registry does not know ([16]byte of a noscan allocation): keep it if the class agrees
                c = code(t, name, es) if t is not None or not sk else -1
                cache[key] = c
            out[i] = c
    # the rest: named by their slot
    rest = np.flatnonzero(out < 0)
    if rest.size:
        for es in np.unique(size[rest]).tolist():
            sel = rest[size[rest] == es]
            for k in np.unique(kind[sel]).tolist():
                sub = sel[kind[sel] == k]
                s = idx.spans[int(sid[sub[0]])]
                noscan = " noscan" if s.noscan else ""
                out[sub] = code(None, f"{es}-byte object, size class {s.sizeclass}{noscan}", es)
    return out, labels, objs, arrays


def _types_by_name() -> dict[str, list[gotypes.GoType]]:
    out: dict[str, list[gotypes.GoType]] = {}
    for t in gotypes.iter_types():
        out.setdefault(t.name, []).append(t)
    return out


def _match(cands, slot: int, scan: bool):
    """The newest descriptor of the candidates that fits a *slot*-byte slot of the scan/noscan class."""
    best = None
    for t in cands:
        if t.size <= slot and (t.ptrdata > 0) == scan and (best is None or t.id > best.id):
            best = t
    return best


def _sites(addr: np.ndarray, site_of) -> tuple[np.ndarray, list[str]]:
    out = np.full(addr.size, -1, dtype=np.int32)
    sites: list[str] = []
    if site_of is None:
        return out, sites
    codes: dict[str, int] = {}
    for i, a in enumerate(addr.tolist()):
        s = site_of(a)
        if s is None:
            continue
        c = codes.get(s)
        if c is None:
            c = codes[s] = len(sites)
            sites.append(s)
        out[i] = c
    return out, sites


def _resolve(rt, addr: np.ndarray, size: np.ndarray, ptrs: np.ndarray) -> np.ndarray:
    """The object index of each pointer (-1: none), found as ``greyobject`` finds it: page -> span -> slot."""
    idx = rt.heap.mheap.spanindex
    out = np.full(ptrs.size, -1, dtype=np.int64)
    if ptrs.size == 0 or addr.size == 0:
        return out
    page = ((ptrs - _BASE) >> np.uint64(PAGE_SHIFT)).astype(np.int64)
    ok = (ptrs >= _BASE) & (page >= 0) & (page < idx.page_sid.size)
    where = np.flatnonzero(ok)
    sid = idx.page_sid[page[where]]
    ok2 = sid > 0
    where, sid = where[ok2], sid[ok2]
    p = ptrs[where]
    ok3 = p < idx.limit[sid]
    where, sid, p = where[ok3], sid[ok3], p[ok3]
    oi = ((p - idx.base[sid]) * idx.magic[sid]) >> np.uint64(32)
    bases = idx.base[sid] + oi * idx.elemsize[sid]
    j = np.searchsorted(addr, bases)
    j = np.minimum(j, addr.size - 1)
    hit = addr[j] == bases
    out[where[hit]] = j[hit]
    return out


def _edges(rt, addr: np.ndarray, size: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """CSR of the pointer edges between objects (collector's scan reader), and the count of pointers to free slots."""
    marker = rt.gc.marker
    n = addr.size
    scan_nodes = np.flatnonzero(np.isin(kind, SCAN_KINDS))
    src_parts, dst_parts = [], []
    dangling = 0
    on_scan, marker.on_scan = marker.on_scan, None  # a reader, not the cycle: no scan events
    try:
        for k in range(0, scan_nodes.size, _SCAN_BATCH):
            nodes = scan_nodes[k : k + _SCAN_BATCH]
            vals, srcs = marker.scan(addr[nodes], GCWork(), with_sources=True)
            if vals.size == 0:
                continue
            dst = _resolve(rt, addr, size, vals)
            inheap = _in_heap_span(rt, vals)
            dangling += int(np.count_nonzero(inheap & (dst < 0)))
            keep = dst >= 0
            s = np.searchsorted(addr, srcs[keep]).astype(np.int64)
            src_parts.append(s)
            dst_parts.append(dst[keep])
    finally:
        marker.on_scan = on_scan
    if src_parts:
        src = np.concatenate(src_parts)
        dst = np.concatenate(dst_parts)
        ne = src != dst
        key = np.unique(src[ne] * np.int64(max(n, 1)) + dst[ne])  # distinct edges, sorted by source
        src, dst = key // max(n, 1), key % max(n, 1)
    else:
        src = dst = np.zeros(0, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst.astype(np.int32 if n < (1 << 31) else np.int64), dangling


def _in_heap_span(rt, ptrs: np.ndarray) -> np.ndarray:
    idx = rt.heap.mheap.spanindex
    page = ((ptrs - _BASE) >> np.uint64(PAGE_SHIFT)).astype(np.int64)
    ok = (ptrs >= _BASE) & (page >= 0) & (page < idx.page_sid.size)
    out = np.zeros(ptrs.size, dtype=bool)
    w = np.flatnonzero(ok)
    sid = idx.page_sid[page[w]]
    out[w] = sid > 0
    return out


def _roots(rt, addr: np.ndarray, size: np.ndarray) -> list[Root]:
    """Every root slot the collector greys from, named, that points to an object of the snapshot."""
    cands: list[tuple[str, str, int, int]] = []
    # the data segment (markrootBlock)
    slots, vals = rt.data.pointer_values()
    if slots.size:
        gvars = sorted(rt.data.vars.values(), key=lambda g: g.addr)
        starts = [g.addr for g in gvars]
        for slot, val in zip(slots.tolist(), vals.tolist()):
            j = bisect_right(starts, slot) - 1
            g = gvars[j] if j >= 0 else None
            if g is not None and slot < g.addr + max(g.type.size, 1):
                name = g.name + field_path(g.type, slot - g.addr)
            else:
                name = f"{slot:#x}"
            cands.append(("global", name, slot, val))
    # goroutine stacks (scanstack; dead goroutines have none)
    words = rt.words
    for g in rt.sched.allgs:
        if g.status == G_DEAD:
            continue
        for f in g.stack.frames:
            for off in f.type.pointer_offsets():
                slot = f.base + off
                v = words[(slot - ARENA_BASE_ADDR) >> 3]
                if v:
                    cands.append(("stack", f"goroutine {g.id} frame {f.name}{field_path(f.type, off) or '+0'}", slot, v))
    # the Ps' tiny blocks (gcMarkTinyAllocs) and the allocation that triggered a starting cycle
    for c in rt.heap.mcaches:
        if c.tiny:
            cands.append(("tiny", f"tiny block of P{c.p_id}", 0, c.tiny))
    if getattr(rt.gc, "inflight", 0):
        cands.append(("inflight", "the allocation in flight", 0, rt.gc.inflight))
    if not cands:
        return []
    nodes = _resolve(rt, addr, size, np.array([v for *_, v in cands], dtype=np.uint64))
    return [Root(k, name, slot, val, int(j)) for (k, name, slot, val), j in zip(cands, nodes.tolist()) if j >= 0]


def from_edges(sizes, edges, roots, types=None) -> HeapGraph:
    """A graph built by hand (for tests and teaching): objects 0..len(sizes)-1 at made-up addresses,
    *edges* as (source, destination) pairs, *roots* as (name, object) pairs, *types* one label each."""
    n = len(sizes)
    addr = (np.arange(n, dtype=np.uint64) << np.uint64(12)) + np.uint64(ARENA_BASE_ADDR)
    size = np.asarray(sizes, dtype=np.uint64)
    labels = sorted(set(types)) if types else ["object"]
    tc = np.array([labels.index(t) for t in types] if types else [0] * n, dtype=np.int32)
    e = np.array(sorted(set((int(a), int(b)) for a, b in edges if a != b)), dtype=np.int64).reshape(-1, 2)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(e[:, 0], minlength=n), out=indptr[1:])
    rts = [Root("global", name, 0, int(addr[j]), int(j)) for name, j in roots]
    return HeapGraph(addr, size, tc, labels, [None] * len(labels), [False] * len(labels),
                     np.full(n, -1, dtype=np.int32), [], indptr, e[:, 1].astype(np.int32), rts)
