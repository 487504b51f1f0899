"""``gomem why``: why is it alive — the heap's top retainers, and a path from a root to the objects asked about.

``gomem why WORKLOAD_OR_PROGRAM [--type T | --addr 0x... | --site S] [--after-gc N] [--top K] [run options]``
runs a built-in workload or a Go program on the model as ``gomem run`` does
(:func:`gomem.api.run`, the same options: :func:`gomem.cmd.runopts.add_run_options`),
takes a :func:`gomem.runtime.heapgraph.snapshot` of the heap with the world
stopped, and prints what viewcore's ``histogram`` and goref's retained-size
report print: the top types (and allocation sites, where the heap profile
knows them) by retained bytes, then, for the objects selected, each one's
retained size and a shortest path from a root.

When: at the end of the run (right after ``main`` returns, before the
summary's ``ReadMemStats``; ``main``'s own frames are gone by then, so only
globals and the goroutines still alive are roots, as in Go after
``main.main`` returns), or with ``--after-gc N`` right after the N-th cycle's
mark (``gcMarkTermination``, world stopped, marks complete: the snapshot is
taken from the event log's ``phase=marktermination`` event, a subscriber of
:attr:`gomem.runtime.trace.EventLog.subscribers`, attached through
:func:`gomem.api.run`'s *progress* hook, which is handed the runtime before it
starts).  The report is computed there and then, while the heap is as the
snapshot saw it, and printed after the run.  The program's own stdout is kept,
not printed.

Without a selection the objects shown are the top retainers.  ``--type`` takes
a type as ``%T`` prints it (``main.Node``) or as declared (``Node``);
``--addr`` any address inside an allocated object; ``--site`` an allocation
site (a prefix of one).  Bad input — an unknown type or site, an address that
is not an allocated heap object, ``--after-gc`` past the cycles the run
completed — is one line ``gomem: ...``, exit status 2.
"""

from __future__ import annotations

import os
import sys
import time

from ..errors import BadInput
from .runopts import ENV_HELP, Progress, StderrWriter, add_run_options, isatty, parse_int

#: objects shown (and table rows) by default
DEFAULT_TOP = 10


def add_parser(sub) -> None:
    w = sub.add_parser(
        "why",
        help="why is it alive: top retainers, retained sizes and paths from roots",
        description="Run a workload or a Go program on the model, snapshot the heap (at the end, or right after "
        "GC N's mark), and print the top retainers by type and site and, for the objects selected, "
        "their retained size and a shortest path from a root.",
        epilog=ENV_HELP,
    )
    w.add_argument("workload", metavar="WORKLOAD|PROGRAM",
                   help="a built-in workload (see 'gomem workloads') or a Go program: a .go file or a package main directory")
    w.add_argument("program_args", nargs="*", metavar="-- ARGS", help="the Go program's os.Args[1:]")
    sel = w.add_mutually_exclusive_group()
    sel.add_argument("--type", metavar="T", help="the objects of type T (main.Node, or Node)")
    sel.add_argument("--addr", metavar="0x...", help="the object holding this address")
    sel.add_argument("--site", metavar="S", help="the objects allocated at site S (a prefix of one)")
    w.add_argument("--after-gc", metavar="N", default=None,
                   help="snapshot right after GC cycle N's mark termination instead of at the end of the run")
    w.add_argument("--top", metavar="K", default=str(DEFAULT_TOP), help=f"table rows and objects shown (default {DEFAULT_TOP})")
    add_run_options(w)
    w.add_argument("--final-gc", action="store_true", help="call runtime.GC() after the workload returns")
    w.add_argument("--max-heap", default=None, metavar="SIZE", help="fail with Go's out-of-memory error past this HeapSys")
    # what gomem run's validation reads and why has no use for
    w.set_defaults(json=None, html=None, trace=None, mmu=None, mmu_exclude=None)


class _Selection:
    """What the user asked about: ``--type``, ``--addr`` or ``--site`` (or nothing: the top retainers)."""

    def __init__(self, args) -> None:
        self.type = args.type
        self.site = args.site
        self.addr = None
        if args.addr is not None:
            try:
                self.addr = int(args.addr, 0)
            except ValueError:
                raise BadInput(f"--addr {args.addr!r}: want an address such as 0xc000012340") from None
            if self.addr < 0:
                raise BadInput(f"--addr {args.addr!r}: want an address such as 0xc000012340")


class _Snapshotter:
    """Takes the snapshot (at mark termination of cycle *after_gc*, or at the end of the run) and writes the report."""

    def __init__(self, title: str, after_gc: int | None, sel: _Selection, top: int, inner=None) -> None:
        self.title = title
        self.after_gc = after_gc
        self.sel = sel
        self.top = top
        self.inner = inner  # the progress line's factory, on a terminal
        self.rt = None
        self.report: str | None = None
        self.error: BadInput | None = None
        self._ctx = None

    # api.run's progress hook: called with the runtime before the run, a context manager around it
    def __call__(self, rt, label):
        self.rt = rt
        rt.track_types = True  # name every object's type (the allocation paths record it)
        if self.after_gc is not None:
            rt.log.subscribers.append(self._on_event)
        self._ctx = self.inner(rt, label) if self.inner is not None else None
        return self

    def expect(self, nbytes) -> None:
        if self._ctx is not None and hasattr(self._ctx, "expect"):
            self._ctx.expect(nbytes)

    def __enter__(self):
        if self._ctx is not None:
            self._ctx.__enter__()
        return self

    def __exit__(self, et, ev, tb):
        if self._ctx is not None:
            self._ctx.__exit__(et, ev, tb)
        from ..runtime.panics import GoExit

        if self.after_gc is None and self.report is None and (et is None or (et is not None and issubclass(et, GoExit))):
            self._take("the end of the run")
        return False

    def _on_event(self, ev) -> None:
        if ev.kind == "phase" and ev.data.get("phase") == "marktermination" and self.report is None:
            if self.rt.gc.numgc + 1 == self.after_gc:  # numgc counts completed cycles: this is the next
                self._take(f"mark termination of GC {self.after_gc}")

    def _take(self, when: str) -> None:
        try:
            self.report = report(self.rt, self.title, when, self.sel, self.top)
        except BadInput as e:
            self.error = e
            self.report = ""


def _site_of(rt):
    """Allocation sites from the heap profile (its sampled objects), or None if the run kept none."""
    mp = getattr(rt, "memprof", None)
    if mp is None or getattr(mp, "symtab", None) is None:
        return None
    aspace = rt.heap.aspace
    cache: dict[int, str | None] = {}

    def site_of(addr: int) -> str | None:
        s = aspace.span_of(addr)
        objs = mp.specials.get(s.start_addr) if s is not None else None
        b = objs.get(addr) if objs else None
        if b is None or not b.stack:
            return None
        key = b.stack[0]
        if key not in cache:
            name = None
            for pc in b.stack:
                for fr in mp.symtab.frames(pc):
                    if not fr.function.startswith("runtime."):
                        name = f"{fr.function} {os.path.basename(fr.file)}:{fr.line}"
                        break
                if name:
                    break
            cache[key] = name
        return cache[key]

    return site_of


def _fmt_bytes(n: int) -> str:
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k:
            return f"{n / k:.1f} {unit}"
    return f"{n} B"


def report(rt, title: str, when: str, sel: _Selection, top: int) -> str:
    """The ``gomem why`` report of *rt*'s heap now (the world stopped)."""
    import numpy as np

    from ..runtime import heapgraph

    t0 = time.perf_counter()
    g = heapgraph.snapshot(rt, site_of=_site_of(rt), label=when)
    t1 = time.perf_counter()
    live = g.reachable()
    ret = g.retained()
    cnt = g.retained_objects()
    t2 = time.perf_counter()
    # the selection first: bad input is reported before any output
    if sel.addr is not None:
        i = g.node_of(sel.addr)
        if i is None:
            raise BadInput(f"--addr {sel.addr:#x}: not an allocated heap object at {when}")
        chosen = np.array([i], dtype=np.int64)
        what = f"the object holding {sel.addr:#x}"
    elif sel.type is not None:
        chosen = g.nodes_of_type(sel.type)
        if chosen.size == 0:
            common = [r[0] for r in g.table("type", only_reachable=False)[:5]]
            raise BadInput(f"--type {sel.type}: no object of that type in the heap at {when} (there are: {', '.join(common)})")
        what = f"type {sel.type}"
    elif sel.site is not None:
        if not g.sites:
            raise BadInput("--site: no allocation sites known (the run kept no heap profile)")
        chosen = g.nodes_of_site(sel.site)
        if chosen.size == 0:
            raise BadInput(f"--site {sel.site!r}: no object allocated there in the heap at {when}")
        what = f"site {sel.site}"
    else:
        chosen = np.flatnonzero(live)
        what = "the top retainers"
    out: list[str] = []
    nbytes = int(g.size.sum())
    lbytes = int(g.size[live].sum())
    out.append(f"gomem why {title}: heap at {when} (model time {rt.now / 1e6:.3f} ms"
               + (f", after {rt.gc.numgc} GC cycle{'' if rt.gc.numgc == 1 else 's'})" if rt.gc.phase == 0 else ")"))
    out.append(f"{g.n} objects, {_fmt_bytes(nbytes)}; {int(live.sum())} reachable ({_fmt_bytes(lbytes)}) "
               f"from {len(g.roots)} roots; {g.n - int(live.sum())} unreachable "
               f"({_fmt_bytes(nbytes - lbytes)}, garbage the next sweep frees)"
               + (f"; {g.dangling} pointers from garbage to free slots" if g.dangling else ""))
    out.append(f"snapshot {1e3 * (t1 - t0):.1f} ms ({g.nedges} edges), reachability and dominators {1e3 * (t2 - t1):.1f} ms")
    for by in ("type", "site"):
        if by == "site" and not g.sites:
            continue
        rows = g.table(by)
        out.append("")
        out.append(f"top {min(top, len(rows))} of {len(rows)} {by}s by retained bytes (reachable objects):")
        out.append(f"{'count':>10} {'bytes':>12} {'retained':>12}  {by}")
        for label, c, b, r in rows[:top]:
            out.append(f"{c:>10} {b:>12} {r:>12}  {label}")
    out.append("")
    sub_live = chosen[live[chosen]]
    if sel.addr is None:
        # not the members of one structure one by one: only the objects no object of the same kind dominates
        # (a list's head, not its every node); without a selection, the dominator tree's top level
        if sel.type is not None:
            heads = sub_live[~g.dominated_by_same(g.type_code)[sub_live]]
        elif sel.site is not None:
            heads = sub_live[~g.dominated_by_same(g.site_code)[sub_live]]
        else:
            heads = sub_live[g.dominators()[sub_live] == g.n]
        order = heads[np.lexsort((g.addr[heads], -ret[heads]))][:top]
        out.append(f"{what}: {chosen.size} objects, {int(g.size[chosen].sum())} B, {sub_live.size} reachable, "
                   f"{heads.size} not retained by {'one another' if sel.type or sel.site else 'any other object'}"
                   + (f"; the {order.size} that retain the most:" if order.size else ""))
    else:
        order = chosen
    for i in order.tolist():
        if not live[i]:
            out.append(f"{g.describe(i)}: not reachable from any root (garbage the next sweep frees)")
            continue
        out.append(f"{g.describe(i)} retains {ret[i]} B in {cnt[i]} object{'' if cnt[i] == 1 else 's'}")
        out.append(f"    {g.path(i)}")
    return "\n".join(out) + "\n"


def cmd_why(args) -> int:
    from .. import api
    from ..compile import program as gorun
    from .runconfig import run_config

    sel = _Selection(args)
    top = parse_int("--top", args.top, 1)
    after_gc = parse_int("--after-gc", args.after_gc, 1) if args.after_gc is not None else None
    cfg = run_config(args)
    err = StderrWriter()
    show_progress = not args.no_progress and isatty(sys.stderr)
    inner = (lambda rt, label: Progress(rt, label, err)) if show_progress else None
    title = os.path.basename(os.path.normpath(args.workload)) if gorun.is_program(args.workload) else args.workload
    snap = _Snapshotter(title, after_gc, sel, top, inner)
    res = api.run(
        **cfg,
        gctrace=err.line if args.gctrace else None,
        gcpacertrace=err.line if args.gcpacertrace else None,
        scavtrace=err.line if args.scavtrace else None,
        stdout=None,
        progress=snap,
        check=False,
    )
    if snap.error is not None:
        raise snap.error
    failure = res.error
    if failure is not None and snap.report is None:
        if isinstance(failure, gorun.GoPanic):
            sys.stdout.flush()
            sys.stderr.write(failure.go_text())
            return failure.exit_status
        raise failure
    if snap.report is None:
        n = res.runtime.gc.numgc
        raise BadInput(f"--after-gc {after_gc}: the run completed only {n} GC cycle{'' if n == 1 else 's'}")
    sys.stdout.write(snap.report)
    return 0


__all__ = ["add_parser", "cmd_why", "report"]
