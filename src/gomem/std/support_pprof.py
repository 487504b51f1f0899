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

from ..errors import BadInput
from ..runtime.arena import ARENA_BASE_ADDR
from .support_time import MODEL_EPOCH_UNIX

#: Go's predefined profiles, in ``pprof.Profiles()``'s order (sorted by name)
PROFILES = ("allocs", "block", "goroutine", "heap", "mutex", "threadcreate")
#: those the model writes
WRITTEN = ("allocs", "heap")


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
        data = heap_profile(g.rt, program.symtab, debug, "alloc_space" if name == "allocs" else "")
        write_to(g, w, data)
        return (0, 0)

    def pprof_WriteHeapProfile(g, w):
        """``pprof.WriteHeapProfile(w)``: ``Lookup("heap").WriteTo(w, 0)``."""
        return pprof_WriteTo(g, profiles["heap"], w, 0)

    def write_to(g, w, data: bytes) -> None:
        """``w.Write(data)`` for the writers the model has: a *strings.Builder, os.Stdout, os.Stderr."""
        if isinstance(w, tuple):
            ns["sb_check"](g, w[1])
            ns["sb_append"](g, w[1], data)
        elif w == "stdout":
            ns["write"](g, data)
        else:
            import sys

            sys.stderr.flush()
            sys.stderr.buffer.write(data)
            sys.stderr.flush()

    return {"pprof_Lookup": pprof_Lookup, "pprof_WriteTo": pprof_WriteTo,
            "pprof_WriteHeapProfile": pprof_WriteHeapProfile}
