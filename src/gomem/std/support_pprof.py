"""``runtime/pprof`` inside a program: ``Lookup``, ``(*Profile).WriteTo``, ``WriteHeapProfile``.

The profiles are Go's predefined ones (``pprof.go``'s ``profiles``: ``goroutine``,
``threadcreate``, ``heap``, ``allocs``, ``block``, ``mutex``), each a package variable of the
runtime/pprof package: ``Lookup`` returns its address (static data, no allocation) or nil for
another name.  ``WriteTo`` writes the heap and allocs profiles in Go's formats
(:mod:`gomem.std.pprof`) from the run's :class:`gomem.runtime.mprof.MemProfile`.

Simplifications: the writers' own allocations (Go's ``writeHeapInternal`` allocates the
records, the proto's buffers and the gzip writer; a real profile shows them under
``runtime/pprof`` frames) are not made on the model heap; ``MaxRSS`` is the model's resident
bytes when the profile is written (``Sys - HeapReleased``: the model keeps no peak);
the profiles the model does not keep (threadcreate, block, mutex) stop the run with one line.
"""

from __future__ import annotations

import sys

from ..errors import BadInput
from ..runtime.arena import ARENA_BASE_ADDR
from .support_time import MODEL_EPOCH_UNIX

#: Go's predefined profiles, in ``pprof.Profiles()``'s order (sorted by name)
PROFILES = ("allocs", "block", "goroutine", "goroutineleak", "heap", "mutex", "threadcreate")
#: those the model writes
WRITTEN = ("allocs", "goroutine", "goroutineleak", "heap")
#: runtime.Stack's first buffer in writeGoroutineStacks (doubled while the dump fills it, up to 64 MiB)
STACK_BUF = 1 << 20
STACK_BUF_MAX = 64 << 20


def heap_profile(rt, symtab, debug: int, default_sample_type: str) -> bytes:
    """``writeHeapInternal``: the heap profile as of the last GC, text (debug > 0) or gzipped proto."""
    from ..cmd.report import memstats
    from . import pprof

    mp = rt.memprof
    ms = memstats(rt) if debug else None  # read first, as Go does, so the writing does not show in it
    records = mp.records(inuse_zero=True) if mp is not None else []
    rate = mp.rate if mp is not None else 0
    if debug:
        return pprof.write_heap_text(records, rate, ms, symtab, max_rss=ms.Sys - ms.HeapReleased)
    now = max(p.now for p in rt.sched.ps)
    return pprof.write_heap_proto(records, rate, symtab, default_sample_type,
                                  time_nanos=MODEL_EPOCH_UNIX * 1_000_000_000 + now)


def goroutine_stacks(g, symtab, frame) -> bytes:
    """``writeGoroutineStacks``: ``runtime.Stack(buf, true)`` into a 1 MiB buffer it makes (and remakes twice
    as large while the dump fills it), the running goroutine *g*'s stack read from *frame*."""
    from ..runtime.traceback import all_stacks

    text = all_stacks(g.rt, symtab, g, frame).encode("utf-8", "surrogateescape")
    size = STACK_BUF
    g.alloc(size)
    while len(text) >= size and size < STACK_BUF_MAX:
        size *= 2
        g.alloc(size)
    return text[:size]


def goroutine_count_profile(g, symtab, frame, name: str, leaked_only: bool, debug: int) -> bytes:
    """``printCountProfile`` for the goroutine profiles: each distinct stack (the running goroutine's first,
    then ``allgs``') with its count, most frequent first.  At debug=1 the text ``NAME profile: total N``, the
    stack's PCs on the ``@`` line and a ``#`` line per frame (``printStackRecord``); at debug=0 the gzipped
    profile.proto (:func:`gomem.std.pprof.write_count_proto`)."""
    from ..runtime.sched import G_DEAD
    from ..runtime.traceback import is_wrapper, stack_pcs
    from . import pprof

    stacks = []
    for x in [g] + [x for x in g.rt.sched.allgs if x is not g]:
        if x.status == G_DEAD or x.gen is None or (leaked_only and not x.leaked):
            continue
        pcs = stack_pcs(x, symtab, frame if x is g else None)
        if pcs is None:  # not run yet: at its function's entry
            f = symtab.func_named(f"main.{x.start_fn}")
            pcs = (f.entry + 1,) if f is not None else ()
        # tracebackPCs leaves the compiler's go-statement wrappers out, as tracebacks do
        pcs = [pc for pc in pcs if (f := symtab.find_func(pc - 1)) is None or not is_wrapper(f.name)]
        stacks.append(pprof.callers_stack(pcs, symtab))
    count: dict[str, int] = {}
    first: dict[str, list] = {}
    for stk in stacks:
        key = "@" + "".join(f" {e.pc:#x}" for e in stk)
        if key not in count:
            count[key] = 0
            first[key] = stk
        count[key] += 1
    keys = sorted(count, key=lambda k: (-count[k], k))
    if debug == 0:
        now = max(p.now for p in g.rt.sched.ps)
        return pprof.write_count_proto(name, [(count[k], first[k]) for k in keys], symtab,
                                       time_nanos=MODEL_EPOCH_UNIX * 1_000_000_000 + now)
    tw = pprof.TabWriter()
    tw.write(f"{name} profile: total {len(stacks)}\n")
    for k in keys:
        tw.write(f"{count[k]} {k}\n")
        pprof.print_stack_record(tw, first[k], False)
    tw.flush()
    return tw.getvalue().encode("utf-8", "surrogateescape")


def goroutine_leak_profile_at_exit(rt) -> str | None:
    """``pprof.Lookup("goroutineleak").WriteTo(w, 1)`` as the last thing a program does, taken after its ``main``
    returned: a goroutine of the probe's own asks for the leak-detecting cycle and waits for it, then writes
    the leaked goroutines' count profile (its own stack, never leaked, is not in it).  None when ``main``
    did not return (a deadlock or a panic ended the run: Go would not get there either).  The cycle is a
    real one on the model (NumGC counts it), run after everything the program's own report read."""
    from ..runtime.sched import G_DEAD

    if rt.main is None or rt.main.status != G_DEAD or rt.procs is None or rt.procs.symtab is None:
        return None
    symtab = rt.procs.symtab
    out: list[bytes] = []

    def probe(g):
        rt.gc.goroutine_leak_gc()
        while rt.gc.leak_pending:
            yield from g.gc()
        out.append(goroutine_count_profile(g, symtab, None, "goroutineleak", True, 1))

    rt.run(probe)
    return out[0].decode("utf-8", "surrogateescape") if out else None


def make_pprof_helpers(ns: dict, image, program) -> dict:
    """The helpers generated code calls for runtime/pprof (see :mod:`gomem.compile.libstd`)."""
    W = ns["W"]
    B = ARENA_BASE_ADDR
    profiles = {name: image.rodata(i.to_bytes(8, "little") + bytes(8)) for i, name in enumerate(PROFILES)}

    def pprof_Lookup(g, name) -> int:
        """``pprof.Lookup(name)``: the predefined profile's address, nil for any other name."""
        return profiles.get(ns["gostr"](name).decode("utf-8", "surrogateescape"), 0)

    def pprof_WriteTo(g, prof: int, w, debug: int):
        """``(*Profile).WriteTo(w, debug)``; returns the nil error."""
        if prof == 0:
            ns["nilpanic"]()
        name = PROFILES[W[(prof - B) >> 3]]
        if name not in WRITTEN:
            raise BadInput(f"pprof.Lookup({name!r}).WriteTo: gomem does not keep the {name} profile yet")
        if name in ("heap", "allocs"):
            data = heap_profile(g.rt, program.symtab, debug, "alloc_space" if name == "allocs" else "")
        else:
            if name == "goroutineleak":  # writeGoroutineLeak: a cycle that detects leaks first
                g.rt.gc.goroutine_leak_gc()
                while g.rt.gc.leak_pending:
                    ns["runtime_GC"](g)
            frame = sys._getframe(1)  # the program's frame that called WriteTo
            if debug >= 2:
                data = goroutine_stacks(g, program.symtab, frame)
            else:
                data = goroutine_count_profile(g, program.symtab, frame, name, name == "goroutineleak", debug)
        write_to(g, w, data)
        return (0, 0)

    def pprof_WriteHeapProfile(g, w):
        """``pprof.WriteHeapProfile(w)``: ``Lookup("heap").WriteTo(w, 0)``."""
        return pprof_WriteTo(g, profiles["heap"], w, 0)

    def write_to(g, w, data: bytes) -> None:
        """``w.Write(data)`` for the writers the model has: a *strings.Builder, os.Stdout, os.Stderr, io.Discard."""
        if isinstance(w, tuple):
            ns["sb_check"](g, w[1])
            ns["sb_append"](g, w[1], data)
        elif w == "stdout":
            ns["write"](g, data)
        elif w == "stderr":
            ns["write_stderr"](data)

    return {"pprof_Lookup": pprof_Lookup, "pprof_WriteTo": pprof_WriteTo,
            "pprof_WriteHeapProfile": pprof_WriteHeapProfile}
