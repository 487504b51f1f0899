"""Goroutine tracebacks as Go prints them (``runtime/traceback.go``): ``runtime.Stack``, the goroutine
profile's ``debug=2`` text, and the fatal-error dumps.

One goroutine's section is its header (``goroutineheader``), its frames innermost first
(``traceback2``), and the go statement that made it (``printcreatedby1``)::

    goroutine 7 [chan receive (nil chan) (leaked)]:
    main.NilRecv.func1()
    	/tmp/glp/simple.go:44 +0x17
    created by main.NilRecv in goroutine 1
    	/tmp/glp/simple.go:42 +0x30

* The header's status is the wait reason of a waiting goroutine, else ``running`` or
  ``runnable``; `` (leaked)`` follows the reason of a goroutine the last goroutine-leak GC found
  leaked (Go's ``_Gleaked``); ``, N minutes`` when it has waited at least a minute of model time
  since a GC first saw it waiting (``waitsince``, set by markroot).
* A frame of a physical function prints ``name(args)`` and ``file:line +0xOFF`` (its PC from the
  function's entry); an inlined frame prints ``name(...)`` and no offset.  Frames of the runtime
  (``runtime.*`` but exported ones) are not shown, as ``showframe`` hides them; at most 100 frames
  (``tracebackInnerFrames`` + ``tracebackOuterFrames``), the rest elided as Go says.
* ``created by`` names the function holding the go statement and the creating goroutine's id,
  at the go statement's line (``gopc``), for every goroutine but the main one.

Simplifications: the arguments of a physical frame print as ``...`` when the function takes any
(Go prints the argument words, which the model's frames do not keep in Go's register order) and
``()`` otherwise; standard-library functions the model implements in Python have no frames (a
goroutine blocked in ``sync.(*WaitGroup).Wait`` shows the program's call of it as its innermost
frame, without Go's ``sync.runtime_SemacquireWaitGroup`` and ``sync.(*WaitGroup).Wait`` above it);
the PCs are the model's own (:mod:`gomem.runtime.symtab`).
"""

from __future__ import annotations

import sys

from .sched import G_DEAD, G_RUNNABLE, G_RUNNING, G_WAITING

#: Go prints at most this many frames of a goroutine, innermost ones first (traceback.go)
TRACEBACK_INNER_FRAMES = 50
TRACEBACK_OUTER_FRAMES = 50
#: nanoseconds in the minute goroutineheader divides the wait by
_MINUTE_NS = 60 * 10**9


def goroutine_header(g, now: int) -> str:
    """``goroutine N [status]:`` (``goroutineheader``) at model time *now*."""
    if g.status == G_WAITING:
        status = g.wait_reason or "waiting"
    elif g.status == G_RUNNING:
        status = "running"
    elif g.status == G_RUNNABLE:
        status = "runnable"
    else:
        status = g.status
    out = [f"goroutine {g.id} [{status}"]
    if g.leaked:
        out.append(" (leaked)")
    if g.status == G_WAITING and g.wait_since:
        minutes = (now - g.wait_since) // _MINUTE_NS
        if minutes >= 1:
            out.append(f", {minutes} minutes")
    out.append("]:\n")
    return "".join(out)


def stack_pcs(g, symtab, frame=None) -> tuple[int, ...] | None:
    """The return addresses of *g*'s stack, innermost first: from *frame* (the running goroutine's Python
    frame), else where its greenlet is suspended; None for a goroutine that has not run yet."""
    if frame is None:
        glet = getattr(g.gen, "glet", None)
        frame = glet.gr_frame if glet is not None else None
        if frame is None:
            return None
    return symtab.callers(frame, g.created_by is None, TRACEBACK_INNER_FRAMES + TRACEBACK_OUTER_FRAMES + 2)


def is_wrapper(function: str) -> bool:
    """A compiler-made wrapper of a go or defer statement (``main.f.gowrap1``: Go's ``FuncIDWrapper``), which
    tracebacks and the goroutine profile's stacks leave out."""
    return ".gowrap" in function or ".deferwrap" in function


def _shown(function: str) -> bool:
    """``showframe``: the runtime's own frames are hidden, but its exported functions (``runtime.Gosched``);
    so are the compiler's wrappers of go and defer statements (``main.f.gowrap1``: ``FuncIDWrapper``)."""
    if is_wrapper(function):
        return False
    if not function.startswith("runtime."):
        return True
    rest = function[len("runtime."):]
    return rest[:1].isupper()


def traceback(g, symtab, now: int, frame=None) -> str:
    """*g*'s section of a dump: header, frames, ``created by`` (see the module docstring)."""
    out = [goroutine_header(g, now)]
    lines: list[str] = []
    pcs = stack_pcs(g, symtab, frame)
    if pcs is None:
        # not run yet: newproc left it at its function's entry (no offset), the line of its declaration
        f = symtab.func_named(f"main.{g.start_fn}")
        if f is not None:
            lines.append(f"{f.name}({'...' if f.has_params else ''})\n\t{f.file}:{f.start_line}\n")
        pcs = ()
    for pc in pcs:
        frames = symtab.frames(pc)
        for k, fr in enumerate(frames):
            if not _shown(fr.function):
                continue
            if k < len(frames) - 1:  # inlined into the next
                lines.append(f"{fr.function}(...)\n\t{fr.file}:{fr.line}\n")
            else:
                args = "..." if symtab.has_params(fr.function) else ""
                off = f" +{pc - fr.entry:#x}" if pc > fr.entry else ""
                lines.append(f"{fr.function}({args})\n\t{fr.file}:{fr.line}{off}\n")
    if len(lines) > TRACEBACK_INNER_FRAMES + TRACEBACK_OUTER_FRAMES:
        elided = len(lines) - TRACEBACK_INNER_FRAMES - TRACEBACK_OUTER_FRAMES
        lines = (lines[:TRACEBACK_INNER_FRAMES] + [f"...{elided} frames elided...\n"]
                 + lines[-TRACEBACK_OUTER_FRAMES:])
    out.extend(lines)
    if g.created_by is not None and g.go_pc:
        frames = symtab.frames(g.go_pc)
        if frames:
            phys = frames[-1]
            off = f" +{g.go_pc - phys.entry:#x}" if g.go_pc > phys.entry else ""
            out.append(f"created by {phys.function} in goroutine {g.created_by[1]}\n"
                       f"\t{frames[0].file}:{frames[0].line}{off}\n")
    return "".join(out)


def all_stacks(rt, symtab, cur, frame=None) -> str:
    """``runtime.Stack(buf, true)``: the running goroutine *cur* first (its stack from *frame*, default the
    caller's), then every other live goroutine in ``allgs`` order, a blank line before each."""
    now = cur.p.now if cur.p is not None else 0
    parts = [traceback(cur, symtab, now, frame if frame is not None else sys._getframe(1))]
    for g in rt.sched.allgs:
        if g is cur or g.status == G_DEAD or g.gen is None:
            continue
        parts.append("\n" + traceback(g, symtab, now))
    return "".join(parts)
