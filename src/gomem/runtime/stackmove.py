"""When the collector may move a goroutine's stack (Go: ``isShrinkStackSafe``), in a model whose
goroutines keep Python state beside their stacks.

Go shrinks a stack at a synchronous safe point, where the compiler has spilled every live value to
the stack and described it in stack maps.  A goroutine of the model runs generated Python: at a
channel park its greenlet's frames may hold stack addresses in Python locals or on the evaluation
stack, which a copy cannot see or adjust.  :func:`shrink_stack_safe` admits only a goroutine whose
Python state is known to hold none — found by reading its suspended frames (their locals, and the
evaluation-stack depth at the suspended instruction from the code's bytecode, :func:`_stack_depths`).
This is an artefact of running Go on Python, not part of Go's algorithm; it errs on the side of not
moving a stack.
"""

from __future__ import annotations

import dis

from .arena import ARENA_BASE_ADDR
from .sched import (G_WAITING, WAIT_CHAN_RECEIVE, WAIT_CHAN_RECEIVE_NIL, WAIT_CHAN_SEND, WAIT_CHAN_SEND_NIL,
                    WAIT_SELECT, WAIT_SELECT_NO_CASES)

#: Go's wait reasons (runtime2.go) of a goroutine parked by chansend/chanrecv/selectgo
CHAN_WAITS = frozenset({WAIT_CHAN_RECEIVE, WAIT_CHAN_SEND, WAIT_CHAN_RECEIVE_NIL, WAIT_CHAN_SEND_NIL, WAIT_SELECT,
                        WAIT_SELECT_NO_CASES})


def shrink_stack_safe(g) -> list | None:
    """Whether the collector may move *g*'s stack now (Go: ``isShrinkStackSafe``): the sudogs *g* waits
    with (Go: ``gp.waiting``), or None when it may not.

    The model's goroutine keeps Python state the stack copy cannot see: the locals of its greenlet's
    frames, and the sudogs, whose ``elem`` is a stack address.  So the rule is stricter than Go's,
    which shrinks any goroutine stopped at a synchronous safe point:

    * only a goroutine parked on channels (its wait reason one of ``CHAN_WAITS``) is moved.  A running
      goroutine is never moved (Go shrinks its own stack only at a safe point it reaches itself), and
      neither is a runnable one: a goroutine preempted at an allocation may be inside a runtime helper
      or an expression holding stack addresses in Python, and one readied from a channel still has to
      read its sudog's ``elem``.  Semaphore (sync) waits are left alone too.
    * its sudogs are found in the queues of the channels it waits on (through the channel runtime
      object of the parked ``chan.py`` frame); every one still queued, since nothing has readied it —
      Go's ``activeStackChans`` case, where the channel locks keep senders out during the copy (here
      the collector runs between goroutine steps).
    * no pointer slot of its stack may point into the stack.  The copy would adjust the slot, but the
      generated code spills a pointer it holds across a call into a frame temporary *and* keeps the
      value on the Python evaluation stack (``use(&x, <-c)``), which cannot be seen or adjusted; a
      stack pointer in a frame is the only trace such a value leaves.  Go, whose compiler spills
      everything at a call, shrinks these stacks; here they stay as they are.
    * no frame of its greenlet outside the channel runtime (whose frames use the :class:`Frame` and
      sudog objects, which are adjusted) may hold an int that is an address in the stack in a local
      variable (the generated code's Python temporaries), nor anything on its evaluation stack besides
      the call it is suspended in (:func:`_holds_values`): the generated code computes stack addresses
      (``&x``, ``buf[:]``, a stack buffer of a string operation) into call arguments without spilling
      them, so a channel operation nested in an expression (``copy(buf[:], strconv.Itoa(<-c))``) may
      have one in flight.  Only a goroutine whose channel operations are each a statement of their own
      (``v := <-c``, ``c <- v``, ``select``) is moved.
    """
    if g.status != G_WAITING or g.wait_reason not in CHAN_WAITS:
        return None
    st = g.stack
    lo, hi, words = st.lo, st.hi, st.words
    if any(lo <= words[(a - ARENA_BASE_ADDR) >> 3] < hi for a in st.pointer_slots()):
        return None
    glet = getattr(g.gen, "glet", None)
    frame = glet.gr_frame if glet is not None else None
    chans = None
    while frame is not None:
        if frame.f_code.co_filename.endswith(_CHAN_FILE):
            owner = frame.f_locals.get("self")
            if chans is None and hasattr(owner, "chans"):
                chans = owner.chans
        elif _holds_values(frame) or any(type(v) is int and lo <= v < hi for v in frame.f_locals.values()):
            return None
        frame = frame.f_back
    if chans is None:
        return None
    return [sg for h in chans.values() for q in (h.recvq, h.sendq) for sg in q if sg.g is g]


_CHAN_FILE = "/runtime/chan.py"
#: per code object: the depth of the evaluation stack before each instruction reached without an exception
_DEPTHS: dict = {}
_UNCONDITIONAL = frozenset({"JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP"})
_ENDS = frozenset({"RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE"})


def _stack_depths(code) -> dict[int, int]:
    """The evaluation stack's depth before each instruction of *code* (by offset), following jumps from
    the entry; code reached only through an exception handler is absent."""
    depths = _DEPTHS.get(code)
    if depths is not None:
        return depths
    instrs = list(dis.get_instructions(code))
    index = {ins.offset: k for k, ins in enumerate(instrs)}
    depths = {}
    work = [(0, 0)]
    while work:
        k, depth = work.pop()
        while k < len(instrs) and instrs[k].offset not in depths:
            ins = instrs[k]
            depths[ins.offset] = depth
            if ins.opname in _ENDS:
                break
            if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
                work.append((index[ins.argval], depth + dis.stack_effect(ins.opcode, ins.arg, jump=True)))
                if ins.opname in _UNCONDITIONAL:
                    break
                depth += dis.stack_effect(ins.opcode, ins.arg, jump=False)
            else:
                depth += dis.stack_effect(ins.opcode, ins.arg)
            k += 1
    _DEPTHS[code] = depths
    return depths


def _holds_values(frame) -> bool:
    """Whether suspended *frame* holds values on its evaluation stack besides the call it is in (its
    instruction's inputs); True when that is not known."""
    code = frame.f_code
    ins = None
    for i in dis.get_instructions(code):  # the instruction at f_lasti, which may point into its caches
        if i.offset > frame.f_lasti:
            break
        ins = i
    depth = _stack_depths(code).get(ins.offset) if ins is not None else None
    if depth is None or not ins.opname.startswith("CALL"):
        return True
    return depth + dis.stack_effect(ins.opcode, ins.arg) != 1
