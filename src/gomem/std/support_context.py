"""The run-time side of ``context`` (``context/context.go``): Background, TODO, WithCancel, WithTimeout,
WithDeadline, WithValue, Cause, and the methods of the contexts they make.

The contexts are heap objects of Go's sizes, allocated where Go allocates them (measured on Go 1.27
with ``runtime.ReadMemStats`` around 100 calls, GOMAXPROCS=1): ``WithCancel`` 2 mallocs, 96 bytes
(the 80-byte ``cancelCtx`` and its cancel func's 16-byte closure); its first ``Done`` one more, the
112-byte ``make(chan struct{})``; ``WithTimeout`` 4 mallocs, 272 bytes (``timerCtx`` 112, the
cancel closure 16, the ``AfterFunc`` timer 112 and its 32-byte closure); ``WithValue`` one 48-byte
``valueCtx``; ``Background`` and ``TODO`` nothing.  The package's init makes ``Canceled``
(``errors.New``: 16 bytes) and ``closedchan`` (112 bytes, closed), as Go's does.

Each object's pointer words are Go's (the parent Context, the key and value of a valueCtx, the
done channel, the timer), written through the write barrier, so the collector sees what a context
keeps alive; the cancellation state (its error and cause, its children) is kept in Python beside
it.  A timer context's deadline fires through the model's timers: the timer starts a goroutine
that cancels, as Go's ``AfterFunc`` does.
Simplifications: a parent's ``children`` map is its header and one group on the heap, as Go
makes them for the first child, but its entries are kept in Python (a ninth child does not grow
it; cancelling does not clear it); a parent context of the program's own type is not watched by a goroutine
(Go's ``propagateCancel`` starts one when the parent is not a context of this package).
"""

from __future__ import annotations

from ..runtime import maps as M
from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoPanic
from ..runtime.proc import hold
from ..runtime.runtime import Goroutine

#: an interface value in memory: its type word (read-only data, not followed) and its data word
IFACE = gotypes.struct_of([("tab", gotypes.UINTPTR), ("data", gotypes.UNSAFE_POINTER)], name="iface")
CANCEL_CTX = gotypes.struct_of(
    [("Context", IFACE), ("mu", gotypes.UINT64),
     ("done", IFACE), ("children", gotypes.UNSAFE_POINTER),
     ("err", IFACE), ("cause", IFACE)],
    name="cancelCtx")
TIMER_CTX = gotypes.struct_of(
    [("cancelCtx", CANCEL_CTX), ("timer", gotypes.UNSAFE_POINTER), ("wall", gotypes.UINT64),
     ("ext", gotypes.INT64), ("loc", gotypes.UNSAFE_POINTER)], name="timerCtx")
VALUE_CTX = gotypes.struct_of(
    [("Context", IFACE), ("key", IFACE),
     ("val", IFACE)], name="valueCtx")
#: WithCancel's cancel func (a closure over c) and the deadline timer's func (over c and cause)
CANCEL_CLOSURE = gotypes.struct_of([("F", gotypes.UINTPTR), ("c", gotypes.UNSAFE_POINTER)], name="cancelfunc")
TIMER_CLOSURE = gotypes.struct_of([("F", gotypes.UINTPTR), ("c", gotypes.UNSAFE_POINTER),
                                   ("cause", IFACE)], name="timerfunc")
_DONE, _CHILDREN, _TIMER, _DEADLINE = 24, 40, 80, 88  # offsets in the objects
#: the group of a map[canceler]struct{} (interface keys, no elements), made by its first insert
CHILDREN_GROUP = M.group_rtype(IFACE, gotypes.struct_of([]))


class CtxState:
    """One cancelable context's state (what Go keeps under ``cancelCtx.mu``)."""

    __slots__ = ("parent", "err", "cause", "children", "done", "deadline", "timer")

    def __init__(self, parent) -> None:
        self.parent = parent  # the parent's interface value (tab, data)
        self.err = (0, 0)
        self.cause = (0, 0)
        self.children: dict[int, None] = {}  # the cancelable children's objects, in order
        self.done = 0  # the done channel, made by the first Done
        self.deadline = None  # a timer context's deadline (a Time value)
        self.timer = 0


def make_context_helpers(ns: dict, rt, chans) -> dict:
    """The helpers generated code calls for ``context`` (see the module docstring); *tabs* is set by
    ``ctx_init``: the interface type words of each kind of context and of the two errors."""
    W = rt.words
    states: dict[int, CtxState] = {}
    tabs: dict[str, int] = {}
    glob: dict[str, int] = {}
    struct_et: list = []

    def _iface(a: int):
        return (W[(a - B) >> 3], W[((a - B) >> 3) + 1])

    def _set_iface(g, a: int, v) -> None:
        W[(a - B) >> 3] = v[0]  # the type word: read-only data
        g.write_slot(a + 8, v[1])

    def ctx_init(g, tab_bg, tab_todo, tab_cancel, tab_timer, tab_value, tab_errstr, tab_deadline, et,
                 gv_canceled, gv_deadline, msg, cancel_code, deadline_code) -> None:
        """The context package's init: Canceled, DeadlineExceeded, closedchan.  The arguments are the
        generated program's names for the contexts' type words, chan struct{}'s ElemType, the two
        globals, Canceled's text and the code words of the cancel and deadline funcs."""
        tabs.update(bg=tab_bg, todo=tab_todo, cancel=tab_cancel, timer=tab_timer, value=tab_value,
                    deadline=tab_deadline)
        struct_et.append(et)
        glob.update(canceled=gv_canceled, deadline=gv_deadline, cancel_code=cancel_code,
                    deadline_code=deadline_code)
        _set_iface(g, gv_canceled, ns["errors_new"](g, tab_errstr, msg))
        W[(gv_deadline - B) >> 3] = tab_deadline
        W[((gv_deadline - B) >> 3) + 1] = ns["ZEROBASE"]
        c = chans.makechan(g, et, 0)
        glob["closedchan"] = c
        root = rt.data.declare("context.closedchan", gotypes.UNSAFE_POINTER).addr
        g.write_slot(root, c)
        chans.close(g, c)

    def _canceled():
        return _iface(glob["canceled"])

    def _deadline_exceeded():
        return _iface(glob["deadline"])

    # -- constructors ------------------------------------------------------------------------------

    def _kind(v) -> str:
        return next((k for k, t in tabs.items() if t == v[0]), "other") if v[0] else "nil"

    def _parent_state(parent):
        """``parentCancelCtx``: the nearest cancelable context among *parent* and its ancestors."""
        while True:
            k = _kind(parent)
            if k in ("cancel", "timer"):
                return parent[1], states[parent[1]]
            if k == "value":
                parent = _iface(parent[1])
                continue
            return None, None

    def _propagate(g, obj: int, st: CtxState, parent) -> None:
        if parent[0] == 0:
            raise GoPanic("cannot create context from nil parent")
        pobj, pst = _parent_state(parent)
        if pst is None:
            return  # Background, TODO, or a context of the program's own (not watched: see the docstring)
        if pst.err[0]:
            _cancel(g, obj, False, pst.err, pst.cause)
            return
        if not W[(pobj + _CHILDREN - B) >> 3]:
            # p.children = make(map[canceler]struct{}), and its first insert's group: the map's memory
            # (its entries are kept in Python; a ninth child does not grow it)
            m = ns["makemap_small"](g)
            g.write_slot(pobj + _CHILDREN, m)
            grp = Goroutine.alloc(g, CHILDREN_GROUP.size, CHILDREN_GROUP)
            g.write_slot(m + 16, grp)
        pst.children[obj] = None

    def _cancel_func(g, obj: int, code: str, size_type) -> int:
        cl = Goroutine.alloc(g, size_type.size, size_type)
        W[(cl - B) >> 3] = glob[code]
        g.write_slot(cl + 8, obj)
        return cl

    def context_WithCancel(g, parent):
        c = Goroutine.alloc(g, CANCEL_CTX.size, CANCEL_CTX)
        _set_iface(g, c, parent)
        st = states[c] = CtxState(parent)
        f = hold(g, c, "context.WithCancel")  # c is a root while its closure is made
        _propagate(g, c, st, parent)
        cl = _cancel_func(g, c, "cancel_code", CANCEL_CLOSURE)
        g.pop(f)
        return (tabs["cancel"], c), cl

    def context_WithDeadline(g, parent, d):
        cur = _deadline(g, parent)
        if cur[1] and ns["time_t_Before"](g, cur[0], d):
            return context_WithCancel(g, parent)  # the parent's deadline is earlier
        c = Goroutine.alloc(g, TIMER_CTX.size, TIMER_CTX)
        _set_iface(g, c, parent)
        W[(c + _DEADLINE - B) >> 3], W[(c + _DEADLINE + 8 - B) >> 3] = d[0], d[1]
        st = states[c] = CtxState(parent)
        st.deadline = d
        f = hold(g, c, "context.WithDeadline")
        _propagate(g, c, st, parent)
        dur = ns["time_Until"](g, d)
        if dur <= 0:
            _cancel(g, c, True, _deadline_exceeded(), (0, 0))
        elif not st.err[0]:
            fv = Goroutine.alloc(g, TIMER_CLOSURE.size, TIMER_CLOSURE)
            W[(fv - B) >> 3] = glob["deadline_code"]
            g.write_slot(fv + 8, c)
            t = ns["time_AfterFunc"](g, dur, fv)
            st.timer = t
            g.write_slot(c + _TIMER, t)
        cl = _cancel_func(g, c, "cancel_code", CANCEL_CLOSURE)
        g.pop(f)
        return (tabs["timer"], c), cl

    def context_WithTimeout(g, parent, timeout: int):
        return context_WithDeadline(g, parent, ns["time_Add"](g, ns["time_Now"](g), timeout))

    def context_WithValue(g, parent, key, val):
        if parent[0] == 0:
            raise GoPanic("cannot create context from nil parent")
        if key[0] == 0:
            raise GoPanic("nil key")
        c = Goroutine.alloc(g, VALUE_CTX.size, VALUE_CTX)
        _set_iface(g, c, parent)
        _set_iface(g, c + 16, key)
        _set_iface(g, c + 32, val)
        return (tabs["value"], c)

    # -- cancellation ---------------------------------------------------------------------------

    def _cancel(g, obj: int, remove: bool, err, cause) -> None:
        """``cancelCtx.cancel``: close done (or use closedchan), cancel the children, leave the parent."""
        st = states[obj]
        if st.err[0]:
            return  # already canceled
        st.err = err
        st.cause = cause if cause[0] else err
        _set_iface(g, obj + 48, err)
        if st.done:
            chans.close(g, st.done)
        else:
            st.done = glob["closedchan"]
            W[(obj + _DONE - B) >> 3] = 0
            g.write_slot(obj + _DONE + 8, st.done)
        for child in list(st.children):
            _cancel(g, child, False, err, st.cause)
        st.children.clear()
        if W[(obj + _CHILDREN - B) >> 3]:
            g.write_slot(obj + _CHILDREN, 0)  # c.children = nil
        if remove:
            pobj, pst = _parent_state(st.parent)
            if pst is not None:
                pst.children.pop(obj, None)
        if st.timer:
            ns["timer_Stop"](g, st.timer)
            st.timer = 0
            g.write_slot(obj + _TIMER, 0)

    def ctx_cancel_code(g, cl: int) -> None:
        """The body of WithCancel's returned func: ``c.cancel(true, Canceled, nil)``."""
        _cancel(g, W[(cl + 8 - B) >> 3], True, _canceled(), (0, 0))

    def ctx_deadline_code(g, cl: int) -> None:
        """The deadline timer's func: ``c.cancel(true, DeadlineExceeded, cause)``."""
        _cancel(g, W[(cl + 8 - B) >> 3], True, _deadline_exceeded(), (0, 0))

    # -- the methods --------------------------------------------------------------------------------

    def ctx_Done(g, obj: int) -> int:
        st = states[obj]
        if not st.done:
            st.done = chans.makechan(g, struct_et[0], 0)
            W[(obj + _DONE - B) >> 3] = 0
            g.write_slot(obj + _DONE + 8, st.done)
        return st.done

    def ctx_Err(g, obj: int):
        return states[obj].err

    def _value(g, ctx, key):
        while True:
            k = _kind(ctx)
            if k == "value":
                if ns["ifeq"](_iface(ctx[1] + 16), key):
                    return _iface(ctx[1] + 32)
                ctx = _iface(ctx[1])
            elif k in ("cancel", "timer"):
                ctx = states[ctx[1]].parent
            elif k in ("bg", "todo", "nil"):
                return (0, 0)
            else:
                raise GoPanic("gomem cannot run this yet: Value of a context type of the program's own")

    def ctx_Value(g, obj: int, key):
        return _value(g, (tabs["cancel"], obj), key)

    def ctx_valueCtx_Value(g, obj: int, key):
        return _value(g, (tabs["value"], obj), key)

    def _deadline(g, ctx):
        while True:
            k = _kind(ctx)
            if k == "timer":
                return states[ctx[1]].deadline, True
            if k == "cancel":
                ctx = states[ctx[1]].parent
            elif k == "value":
                ctx = _iface(ctx[1])
            else:
                return (0, 0, 0), False

    def ctx_Deadline(g, kind: str, obj: int):
        return _deadline(g, (tabs[kind], obj))

    def ctx_empty_Done(g, d) -> int:
        return 0

    def ctx_empty_Err(g, d):
        return (0, 0)

    def ctx_empty_Value(g, d, key):
        return (0, 0)

    def ctx_empty_Deadline(g, d):
        return (0, 0, 0), False

    def ctx_valueCtx_Done(g, obj: int) -> int:
        return _forward(g, obj, "Done")

    def ctx_valueCtx_Err(g, obj: int):
        return _forward(g, obj, "Err")

    def _forward(g, obj: int, name: str):
        """A valueCtx's embedded Context's method."""
        parent = _iface(obj)
        k = _kind(parent)
        if k in ("cancel", "timer"):
            return ctx_Done(g, parent[1]) if name == "Done" else ctx_Err(g, parent[1])
        if k == "value":
            return _forward(g, parent[1], name)
        if k in ("bg", "todo"):
            return 0 if name == "Done" else (0, 0)
        raise GoPanic("gomem cannot run this yet: a context type of the program's own as a parent")

    def context_Cause(g, ctx):
        _, st = _parent_state(ctx)
        return st.cause if st is not None else (0, 0)

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")
           and k != "make_context_helpers"}
    return out

