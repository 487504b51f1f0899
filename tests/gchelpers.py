"""Helpers shared by the tests that run code on a Runtime (test_mgc, test_mbarrier, test_runtime, test_stack, test_dataseg)."""

from __future__ import annotations

from gomem.runtime.runtime import Runtime


def run_inline(rt: Runtime, body):
    """Run ``body(g)`` as the whole main goroutine, in one scheduler step; return its result."""
    out = []

    def main(g):
        out.append(body(g))
        return
        yield  # pragma: no cover

    rt.run(main)
    return out[0]


def finish_mark(rt: Runtime, p, limit: int = 1000) -> None:
    """Drain and run mark completion until the cycle reaches mark termination."""
    for _ in range(limit):
        if rt.gc.mark_done(p):
            return
        rt.gc.mark_step(p)
    raise AssertionError("marking did not finish")


def is_marked(rt: Runtime, addr: int) -> bool:
    s, _, idx = rt.heap.find_object(addr)
    return s.is_marked(idx)


def colour(rt: Runtime, addr: int) -> str:
    """white (unmarked), grey (marked and queued) or black, derived as the collector defines them."""
    if not is_marked(rt, addr):
        return "white"
    grey = set(rt.gc.marker.grey_objects().tolist())
    for q in rt.sched.ps:
        grey |= set(q.gcw.contents().tolist())
    return "grey" if addr in grey else "black"
