"""The run-time side of ``context`` (``context/context.go``): Background, TODO, WithCancel(Cause),
WithTimeout(Cause), WithDeadline(Cause), WithValue, WithoutCancel, AfterFunc, Cause, and the methods
(and String) of the contexts they make.

The contexts are heap objects of Go's sizes, allocated where Go allocates them (measured on Go 1.27
with ``runtime.ReadMemStats`` around 100 calls, GOMAXPROCS=1): ``WithCancel`` and ``WithCancelCause``
2 mallocs, 96 bytes (the 80-byte ``cancelCtx`` and its cancel func's 16-byte closure); its first
``Done`` one more, the 112-byte ``make(chan struct{})``; ``WithTimeout``/``WithTimeoutCause`` 4
mallocs, 272 bytes (``timerCtx`` 112, the cancel closure 16, the ``AfterFunc`` timer 112 and its
32-byte closure over c and cause); ``WithValue`` one 48-byte ``valueCtx``; ``WithoutCancel`` one 16
(``convT`` of ``withoutCancelCtx{parent}``); ``AfterFunc`` 2 mallocs, 128 bytes (``afterFuncCtx``
112, the stop closure 16); a parent of the program's own with a Done channel of its own adds a
48-byte closure (over parent and child) and the goroutine that waits on it (measured: 3 mallocs,
144 bytes with a reused g); ``String`` one allocation of the concatenation (29 bytes -> 32 for
``context.Background.WithCancel``).  ``Background`` and ``TODO`` nothing.  The package's init makes
``Canceled`` (``errors.New``: 16 bytes) and ``closedchan`` (112 bytes, closed), as Go's does.

Each object's pointer words are Go's (the parent Context, the key and value of a valueCtx, the
done channel, the timer, the children map, an afterFuncCtx's f), written through the write barrier,
so the collector sees what a context keeps alive; the cancellation state (its error and cause, its
children in insertion order) is also kept in Python beside it.  A parent's ``children`` is a real
``map[canceler]struct{}`` of the model's maps (inserted and deleted as Go does, so it grows as
Go's).  A timer context's deadline fires through the model's timers: the timer starts a goroutine
that cancels, as Go's ``AfterFunc`` does.

``propagateCancel`` is Go's: the parent's Done (called through its itab, so a context of the
program's own answers with its own methods), the non-blocking receive, ``parentCancelCtx`` through
``parent.Value(&cancelCtxKey)`` and the done-channel check, and otherwise the goroutine
``context.(*cancelCtx).propagateCancel.func2`` selecting on both Done channels -- or, for a parent
whose type has ``AfterFunc(func()) func() bool`` (Go's ``afterFuncer``, asserted through ``getitab``),
that AfterFunc with the func that cancels the child, and the child's parent becomes a boxed
``stopCtx`` holding the stop func its removal calls (measured: a parent hiding its cancelCtx from
Value, 12 mallocs and 784 bytes for WithCancel of it, cancel, and its parent's cancel).

Simplifications: cancelling walks the children in insertion order (Go ranges over the map, in a
random order); ``timerCtx`` has no String method
(Go's prints the deadline and the time left: nondeterministic text); WithDeadline's cancel func for
a deadline already past removes the context from its parent (Go's does not: the cancel has already).
"""

from __future__ import annotations

from ..runtime import maps as M
from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoPanic
from ..runtime.proc import hold
from ..runtime.runtime import Goroutine

#: an interface value in memory: its type word (read-only data, not followed) and its data word
IFACE = gotypes.struct_of([("tab", gotypes.UINTPTR), ("data", gotypes.UNSAFE_POINTER)], name="iface", pkg="runtime")
CANCEL_CTX = gotypes.struct_of(
    [("Context", IFACE), ("mu", gotypes.UINT64),
     ("done", IFACE), ("children", gotypes.UNSAFE_POINTER),
     ("err", IFACE), ("cause", IFACE)],
    name="cancelCtx", pkg="context")
TIMER_CTX = gotypes.struct_of(
    [("cancelCtx", CANCEL_CTX), ("timer", gotypes.UNSAFE_POINTER), ("wall", gotypes.UINT64),
     ("ext", gotypes.INT64), ("loc", gotypes.UNSAFE_POINTER)], name="timerCtx", pkg="context")
VALUE_CTX = gotypes.struct_of(
    [("Context", IFACE), ("key", IFACE),
     ("val", IFACE)], name="valueCtx", pkg="context")
#: AfterFunc's afterFuncCtx: a cancelCtx, a sync.Once (done uint32, Mutex) and f (104 bytes: class 112)
AFTER_FUNC_CTX = gotypes.struct_of(
    [("cancelCtx", CANCEL_CTX), ("once_done", gotypes.UINT32), ("once_m", gotypes.UINT64),
     ("f", gotypes.UNSAFE_POINTER)], name="afterFuncCtx", pkg="context")
#: withoutCancelCtx{parent}, boxed by its conversion to Context (convT: 16 bytes)
WITHOUT_CANCEL_CTX = gotypes.struct_of([("c", IFACE)], name="withoutCancelCtx", pkg="context")
#: stopCtx{parent, stop}, boxed by its conversion to Context (convT: 24 bytes)
STOP_CTX = gotypes.struct_of([("Context", IFACE), ("stop", gotypes.UNSAFE_POINTER)], name="stopCtx", pkg="context")
#: propagateCancel's goroutine func (and the func it gives an afterFuncer parent): a closure over
#: parent and child (40 bytes: class 48)
PROPAGATE_CLOSURE = gotypes.struct_of([("F", gotypes.UINTPTR), ("parent", IFACE), ("child", IFACE)],
                                      name="propagateCancelFunc", pkg="context")
#: WithCancel's cancel func (a closure over c) and the deadline timer's func (over c and cause)
CANCEL_CLOSURE = gotypes.struct_of([("F", gotypes.UINTPTR), ("c", gotypes.UNSAFE_POINTER)], name="cancelfunc", pkg="context")
TIMER_CLOSURE = gotypes.struct_of([("F", gotypes.UINTPTR), ("c", gotypes.UNSAFE_POINTER),
                                   ("cause", IFACE)], name="timerfunc", pkg="context")
_DONE, _CHILDREN, _TIMER, _DEADLINE, _AFTER_F = 24, 40, 80, 88, 96  # offsets in the objects
#: the Context interface's methods in its itabs (Go's order: sorted by name)
M_DEADLINE, M_DONE, M_ERR, M_VALUE = 0, 1, 2, 3


def _children_map_type(ns) -> M.MapType:
    """``map[canceler]struct{}``'s descriptor: interface keys (hashed and compared by their data word, the
    child's address: each canceler is a pointer type), no elements."""
    W = ns["W"]
    hmix = ns["hmix"]

    def ld_key(a):
        return (W[(a - B) >> 3], W[((a - B) >> 3) + 1])

    def st_key(g, a, v):
        W[(a - B) >> 3] = v[0]  # the itab word: read-only data
        g.write_slot(a + 8, v[1])

    return M.MapType("map[context.canceler]struct {}", IFACE, gotypes.struct_of([]),
                     lambda k, h: hmix(k[1] ^ h), lambda k, a: ld_key(a) == k, ld_key, st_key,
                     lambda a: (), lambda g, a, v: None, (), False, False)


class CtxState:
    """One cancelable context's state (what Go keeps under ``cancelCtx.mu``)."""

    __slots__ = ("parent", "err", "cause", "children", "done", "deadline", "timer", "kind", "once", "fname")

    def __init__(self, parent, kind: str = "cancel") -> None:
        self.kind = kind  # "cancel", "timer" or "after" (an AfterFunc's afterFuncCtx)
        self.once = False  # an afterFuncCtx's once: f started, or stopped
        self.fname = ""  # an afterFuncCtx's f, as tracebacks name it
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
    children_mt = _children_map_type(ns)
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
                 gv_canceled, gv_deadline, msg, cancel_code, deadline_code, tab_without, td_cancel, td_key,
                 cause_code, stop_code, tab_stop, afterfuncer, afterfuncer_code) -> None:
        """The context package's init: Canceled, DeadlineExceeded, closedchan.  The arguments are the
        generated program's names for the contexts' type words, chan struct{}'s ElemType, the two
        globals, Canceled's text, the code words of the cancel and deadline funcs, the descriptors of
        ``*cancelCtx`` and of ``&cancelCtxKey``'s ``*int``, the code words of a CancelCauseFunc and of
        AfterFunc's stop func, stopCtx's type word, afterFuncer's interface id and the code word of the
        func propagateCancel gives an afterFuncer parent."""
        tabs.update(bg=tab_bg, todo=tab_todo, cancel=tab_cancel, timer=tab_timer, value=tab_value,
                    deadline=tab_deadline, without=tab_without, stop=tab_stop)
        struct_et.append(et)
        glob.update(canceled=gv_canceled, deadline=gv_deadline, cancel_code=cancel_code,
                    deadline_code=deadline_code, cause_code=cause_code, stop_code=stop_code,
                    td_cancel=td_cancel, td_key=td_key, afterfuncer=afterfuncer,
                    afterfuncer_code=afterfuncer_code,
                    key=rt.data.declare("context.cancelCtxKey", gotypes.INT).addr)
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

    def _cancel_key():
        """``&cancelCtxKey`` as an ``any``: the key a cancelCtx answers Value with itself."""
        return (glob["td_key"], glob["key"])

    # -- calls through a Context's itab (any context: the package's own or the program's) -------------

    def _method(ctx, m: int):
        return ns["ITF"][ctx[0]][m]

    def _done_of(g, ctx) -> int:
        return _method(ctx, M_DONE)(g, ctx[1])

    def _err_of(g, ctx):
        return _method(ctx, M_ERR)(g, ctx[1])

    def _value_of(g, ctx, key):
        return _method(ctx, M_VALUE)(g, ctx[1], key)

    # -- constructors ------------------------------------------------------------------------------

    def _kind(v) -> str:
        return next((k for k, t in tabs.items() if t == v[0]), "other") if v[0] else "nil"

    def _parent_cancel_ctx(g, parent, done: int):
        """``parentCancelCtx``: the *cancelCtx that ``parent.Value(&cancelCtxKey)`` finds, if *done* (the
        parent's Done) is its channel; else None (the parent is not canceled through one)."""
        if done == glob["closedchan"] or done == 0:
            return None
        p = _value_of(g, parent, _cancel_key())
        if p[0] != glob["td_cancel"]:
            return None
        return p[1] if states[p[1]].done == done else None

    def _propagate(g, obj: int, st: CtxState, parent) -> None:
        """``cancelCtx.propagateCancel``: arrange for the child *obj* to be canceled with *parent*."""
        done = _done_of(g, parent)
        if done == 0:
            return  # parent is never canceled
        if chans.try_recv(g, chans.chans[done], struct_et[0]) is not None:
            _cancel(g, obj, False, _err_of(g, parent), context_Cause(g, parent))
            return
        pobj = _parent_cancel_ctx(g, parent, done)
        if pobj is not None:
            pst = states[pobj]
            if pst.err[0]:
                _cancel(g, obj, False, pst.err, pst.cause)
                return
            m = W[(pobj + _CHILDREN - B) >> 3]
            if not m:
                m = ns["makemap_small"](g)  # p.children = make(map[canceler]struct{})
                g.write_slot(pobj + _CHILDREN, m)
            ns["mapassign"](g, children_mt, m, (tabs["cancel"], obj))  # p.children[child] = struct{}{}
            pst.children[obj] = None
            return
        # a parent of the program's own: its AfterFunc, if it has one, else a goroutine waits for either
        cl = Goroutine.alloc(g, PROPAGATE_CLOSURE.size, PROPAGATE_CLOSURE)
        _set_iface(g, cl + 8, parent)
        W[(cl + 24 - B) >> 3] = tabs["cancel"]  # the child as a canceler (its itab: read-only data)
        g.write_slot(cl + 32, obj)
        af = ns["getitab"](glob["afterfuncer"], ns["DYN"][parent[0]], True)  # parent.(afterFuncer)
        if af:
            _after_funcer(g, obj, st, parent, af, cl)
            return
        f = hold(g, cl, "context.(*cancelCtx).propagateCancel")  # a root while newproc makes the g
        rt.procs.newproc(g, _watch_parent, (cl,), "context.(*cancelCtx).propagateCancel.func2",
                         "context.(*cancelCtx).propagateCancel")
        g.pop(f)

    def _after_funcer(g, obj: int, st: CtxState, parent, af: int, cl: int) -> None:
        """``stop := a.AfterFunc(func() {...})``, and ``c.Context = stopCtx{parent, stop}`` (boxed)."""
        W[(cl - B) >> 3] = glob["afterfuncer_code"]
        f = hold(g, cl, "context.(*cancelCtx).propagateCancel")
        stop = ns["ITF"][af][0](g, parent[1], cl)
        g.pop(f)
        f = hold(g, stop, "context.(*cancelCtx).propagateCancel")
        s = Goroutine.alloc(g, STOP_CTX.size, STOP_CTX)  # convT of stopCtx{parent, stop}
        g.pop(f)
        _set_iface(g, s, parent)
        g.write_slot(s + 16, stop)
        st.parent = (tabs["stop"], s)
        _set_iface(g, obj, st.parent)

    def ctx_afterfuncer_code(g, cl: int) -> None:
        """The func an afterFuncer parent runs: ``child.cancel(false, parent.Err(), Cause(parent))``."""
        parent, obj = _iface(cl + 8), W[(cl + 32 - B) >> 3]
        _cancel(g, obj, False, _err_of(g, parent), context_Cause(g, parent))

    def _watch_parent(g, cl: int) -> None:
        """propagateCancel's goroutine: ``select { case <-parent.Done(): child.cancel(...); case
        <-child.Done(): }``, the two read from its closure."""
        f = hold(g, cl, "context.(*cancelCtx).propagateCancel.func2")  # the closure: its frame's root
        parent, obj = _iface(cl + 8), W[(cl + 32 - B) >> 3]
        et = struct_et[0]
        case, _, _ = chans.select(g, ((False, et, _done_of(g, parent), None),
                                      (False, et, ctx_Done(g, obj), None)), False)
        if case == 0:
            _cancel(g, obj, False, _err_of(g, parent), context_Cause(g, parent))
        g.pop(f)

    def _cancel_func(g, obj: int, code: str, size_type) -> int:
        cl = Goroutine.alloc(g, size_type.size, size_type)
        W[(cl - B) >> 3] = glob[code]
        g.write_slot(cl + 8, obj)
        return cl

    def _with_cancel(g, parent, code: str, what: str):
        if parent[0] == 0:
            raise GoPanic("cannot create context from nil parent")
        c = Goroutine.alloc(g, CANCEL_CTX.size, CANCEL_CTX)
        _set_iface(g, c, parent)
        st = states[c] = CtxState(parent)
        f = hold(g, c, what)  # c is a root while its closure is made
        _propagate(g, c, st, parent)
        cl = _cancel_func(g, c, code, CANCEL_CLOSURE)
        g.pop(f)
        return (tabs["cancel"], c), cl

    def context_WithCancel(g, parent):
        return _with_cancel(g, parent, "cancel_code", "context.WithCancel")

    def context_WithCancelCause(g, parent):
        return _with_cancel(g, parent, "cause_code", "context.WithCancelCause")

    def context_WithDeadlineCause(g, parent, d, cause):
        if parent[0] == 0:
            raise GoPanic("cannot create context from nil parent")
        cur = _deadline(g, parent)
        if cur[1] and ns["time_t_Before"](g, cur[0], d):
            return context_WithCancel(g, parent)  # the parent's deadline is earlier
        c = Goroutine.alloc(g, TIMER_CTX.size, TIMER_CTX)
        W[(c + _DEADLINE - B) >> 3], W[(c + _DEADLINE + 8 - B) >> 3] = d[0], d[1]
        st = states[c] = CtxState(parent, "timer")
        st.deadline = d
        f = hold(g, c, "context.WithDeadlineCause")
        _set_iface(g, c, parent)
        _propagate(g, c, st, parent)
        dur = ns["time_Until"](g, d)
        if dur <= 0:
            _cancel(g, c, True, _deadline_exceeded(), cause)
        elif not st.err[0]:
            fv = Goroutine.alloc(g, TIMER_CLOSURE.size, TIMER_CLOSURE)
            W[(fv - B) >> 3] = glob["deadline_code"]
            g.write_slot(fv + 8, c)
            _set_iface(g, fv + 16, cause)
            t = ns["time_AfterFunc"](g, dur, fv)
            st.timer = t
            g.write_slot(c + _TIMER, t)
        cl = _cancel_func(g, c, "cancel_code", CANCEL_CLOSURE)
        g.pop(f)
        return (tabs["timer"], c), cl

    def context_WithDeadline(g, parent, d):
        return context_WithDeadlineCause(g, parent, d, (0, 0))

    def context_WithTimeout(g, parent, timeout: int):
        return context_WithDeadlineCause(g, parent, ns["time_Add"](g, ns["time_Now"](g), timeout), (0, 0))

    def context_WithTimeoutCause(g, parent, timeout: int, cause):
        return context_WithDeadlineCause(g, parent, ns["time_Add"](g, ns["time_Now"](g), timeout), cause)

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

    def context_WithoutCancel(g, parent):
        if parent[0] == 0:
            raise GoPanic("cannot create context from nil parent")
        c = Goroutine.alloc(g, WITHOUT_CANCEL_CTX.size, WITHOUT_CANCEL_CTX)  # convT of withoutCancelCtx{parent}
        _set_iface(g, c, parent)
        return (tabs["without"], c)

    def context_AfterFunc(g, ctx, fv: int, fname: str) -> int:
        """``AfterFunc``: an afterFuncCtx child of *ctx* whose cancel starts *fv* in its own goroutine;
        returns the stop func (a closure over it)."""
        a = Goroutine.alloc(g, AFTER_FUNC_CTX.size, AFTER_FUNC_CTX)
        g.write_slot(a + _AFTER_F, fv)
        st = states[a] = CtxState(ctx, "after")
        st.fname = fname
        f = hold(g, a, "context.AfterFunc")
        _set_iface(g, a, ctx)
        _propagate(g, a, st, ctx)
        cl = _cancel_func(g, a, "stop_code", CANCEL_CLOSURE)
        g.pop(f)
        return cl

    # -- cancellation ---------------------------------------------------------------------------

    def _cancel_ctx(g, obj: int, err, cause) -> None:
        """``cancelCtx.cancel(false, ...)``: close done (or use closedchan), cancel the children."""
        st = states[obj]
        if st.err[0]:
            return  # already canceled
        st.err = err
        st.cause = cause if cause[0] else err
        _set_iface(g, obj + 48, err)
        _set_iface(g, obj + 64, st.cause)
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

    def _remove_child(g, parent, obj: int) -> None:
        """``removeChild``: take *obj* out of the children of the cancelCtx its parent is canceled by."""
        k = _kind(parent)
        if k == "stop":
            stop = W[(parent[1] + 16 - B) >> 3]
            ns["CODE"][W[(stop - B) >> 3]](g, stop)  # s.stop()
            return
        if k in ("bg", "todo", "without"):
            return  # Done is nil: never a child
        pobj = _parent_cancel_ctx(g, parent, _done_of(g, parent))
        if pobj is not None and obj in states[pobj].children:
            del states[pobj].children[obj]
            ns["mapdelete"](g, children_mt, W[(pobj + _CHILDREN - B) >> 3], (tabs["cancel"], obj))

    def _cancel(g, obj: int, remove: bool, err, cause) -> None:
        """``canceler.cancel`` of a cancelCtx, a timerCtx (also stops its timer) or an afterFuncCtx (also
        starts its f, once)."""
        st = states[obj]
        if st.kind == "cancel" and st.err[0]:
            return  # cancelCtx.cancel: already canceled (a timerCtx or afterFuncCtx still leaves its parent)
        _cancel_ctx(g, obj, err, cause)
        if remove:
            _remove_child(g, st.parent, obj)
        if st.timer:
            ns["timer_Stop"](g, st.timer)
            st.timer = 0
            g.write_slot(obj + _TIMER, 0)
        if st.kind == "after" and not st.once:
            st.once = True
            W[(obj + 80 - B) >> 3] = 1  # once.done
            rt.procs.newproc(g, ns["GOFUNC"], (W[(obj + _AFTER_F - B) >> 3],), st.fname,
                             "context.(*afterFuncCtx).cancel.func1")

    def ctx_cancel_code(g, cl: int) -> None:
        """The body of WithCancel's returned func: ``c.cancel(true, Canceled, nil)``."""
        _cancel(g, W[(cl + 8 - B) >> 3], True, _canceled(), (0, 0))

    def ctx_cancel_cause_code(g, cl: int, cause) -> None:
        """The body of WithCancelCause's returned func: ``c.cancel(true, Canceled, cause)``."""
        _cancel(g, W[(cl + 8 - B) >> 3], True, _canceled(), cause)

    def ctx_deadline_code(g, cl: int) -> None:
        """The deadline timer's func: ``c.cancel(true, DeadlineExceeded, cause)``."""
        _cancel(g, W[(cl + 8 - B) >> 3], True, _deadline_exceeded(), _iface(cl + 16))

    def ctx_afterfunc_stop_code(g, cl: int) -> bool:
        """AfterFunc's stop func: the once taken here (f not started) cancels the afterFuncCtx."""
        a = W[(cl + 8 - B) >> 3]
        st = states[a]
        if st.once:
            return False
        st.once = True
        W[(a + 80 - B) >> 3] = 1  # once.done
        _cancel(g, a, True, _canceled(), (0, 0))
        return True

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
        """``value``: the walk up the chain of the package's contexts; a context of the program's own
        answers through its Value method."""
        while True:
            k = _kind(ctx)
            if k == "value":
                if ns["ifeq"](_iface(ctx[1] + 16), key):
                    return _iface(ctx[1] + 32)
                ctx = _iface(ctx[1])
            elif k in ("cancel", "timer"):
                if key == _cancel_key():
                    return (glob["td_cancel"], ctx[1])
                ctx = states[ctx[1]].parent
            elif k == "without":
                if key == _cancel_key():
                    return (0, 0)
                ctx = _iface(ctx[1])
            elif k == "stop":
                ctx = _iface(ctx[1])  # stopCtx's embedded Context
            elif k in ("bg", "todo", "nil"):
                return (0, 0)
            else:
                return _value_of(g, ctx, key)

    def ctx_Value(g, obj: int, key):
        return _value(g, (tabs["cancel"], obj), key)

    def ctx_valueCtx_Value(g, obj: int, key):
        return _value(g, (tabs["value"], obj), key)

    def ctx_withoutCancel_Value(g, obj: int, key):
        return _value(g, (tabs["without"], obj), key)

    def ctx_withoutCancel_Value_v(g, parent, key):
        """The value form's Value (*parent* is the struct's field)."""
        return (0, 0) if key == _cancel_key() else _value(g, parent, key)

    def _deadline(g, ctx):
        while True:
            k = _kind(ctx)
            if k == "timer":
                return states[ctx[1]].deadline, True
            if k == "cancel":
                ctx = states[ctx[1]].parent
            elif k in ("value", "stop"):
                ctx = _iface(ctx[1])
            elif k == "other":
                return _method(ctx, M_DEADLINE)(g, ctx[1])
            else:
                return (0, 0, 0), False

    def ctx_Deadline(g, kind: str, obj: int):
        return _deadline(g, (tabs[kind], obj))

    def ctx_stop_Deadline(g, parent):
        return _deadline(g, parent)

    def ctx_stop_Done(g, parent) -> int:
        return _done_of(g, parent)

    def ctx_stop_Err(g, parent):
        return _err_of(g, parent)

    def ctx_stop_Value(g, parent, key):
        return _value(g, parent, key)

    def ctx_empty_Done(g, d) -> int:
        return 0

    def ctx_empty_Err(g, d):
        return (0, 0)

    def ctx_empty_Value(g, d, key):
        return (0, 0)

    def ctx_empty_Deadline(g, d):
        return (0, 0, 0), False

    def ctx_valueCtx_Done(g, obj: int) -> int:
        return _done_of(g, _iface(obj))

    def ctx_valueCtx_Err(g, obj: int):
        return _err_of(g, _iface(obj))

    def context_Cause(g, c):
        """``Cause``: nil before c is done; the cause its nearest cancelCtx recorded; else c.Err()."""
        err = _err_of(g, c)
        if err[0] == 0:
            return (0, 0)
        cc = _value_of(g, c, _cancel_key())
        if cc[0] == glob["td_cancel"] and states[cc[1]].cause[0]:
            return states[cc[1]].cause
        return err

    # -- String (contextName and stringify) --------------------------------------------------------

    def _name(g, v) -> bytes:
        """``contextName`` / ``stringify`` of the interface value *v*: its String() when it has one,
        else its dynamic type's name (a string as itself, nil as <nil>, when *plain* text is allowed)."""
        ifs = ns["IFACES"]
        ti = ifs.types[ifs.dyn[v[0]]]
        m = ti.methods.get("String")
        if m is not None:
            return ns["gostr"](m(g, v[1]))
        return ti.name.encode("utf-8")

    def _stringify(g, v) -> bytes:
        if v[0] == 0:
            return b"<nil>"
        ifs = ns["IFACES"]
        ti = ifs.types[ifs.dyn[v[0]]]
        if "String" not in ti.methods and ti.name == "string":
            return ns["gostr"](ti.load(v[1]))
        return _name(g, v)

    def ctx_cancel_String(g, obj: int):
        return ns["newstring"](g, _name(g, _iface(obj)) + b".WithCancel", 0)

    def ctx_value_String(g, obj: int):
        text = (_name(g, _iface(obj)) + b".WithValue(" + _stringify(g, _iface(obj + 16)) + b", "
                + _stringify(g, _iface(obj + 32)) + b")")
        return ns["newstring"](g, text, 0)

    def ctx_without_String(g, obj: int):
        return ns["newstring"](g, _name(g, _iface(obj)) + b".WithoutCancel", 0)

    def ctx_without_String_v(g, parent):
        return ns["newstring"](g, _name(g, parent) + b".WithoutCancel", 0)

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")
           and k != "make_context_helpers"}
    return out
