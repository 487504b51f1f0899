"""One step of the search: the start state, and expanding a frontier item into its successors.

Apart from :mod:`.search` so that the process pool (:mod:`.pool`) can run
it in its workers without importing the search that starts the pool.
"""

from __future__ import annotations

from .explore import Explorer, Transition, independent, parse_transition
from .universe import Universe


def initial(u: Universe) -> tuple:
    """The moves left at the start: statements per goroutine, or program counters (fixed programs)."""
    if u.programs is not None:
        return tuple(0 for _ in u.goroutines)
    return tuple(u.steps for _ in u.goroutines)


def advance(u: Universe, gnames: list[str], left: tuple, t: Transition) -> tuple:
    """*left* after transition *t*: one statement fewer (or one further) for its goroutine."""
    if t.kind != "prog":
        return left
    i = gnames.index(t.g)
    step = 1 if u.programs is not None else -1
    return left[:i] + (left[i] + step,) + left[i + 1:]


def expand(ex: Explorer, item: tuple) -> tuple[list, list, int]:
    """Expand one frontier item on *ex*: (successors, terminal verdicts, transitions run).

    *item* is (checkpoint, moves left, path, sleep set as step texts).  A
    successor is (digest, checkpoint, moves left, path, sleep set); a verdict
    is (digest, lost objects, path ending in ``mark done``).
    """
    ck, left, path, sleep = item
    u = ex.u
    fixed = u.programs is not None
    ex.restore(ck)
    ts = ex.enabled(None if fixed else left, left if fixed else None)
    by_text = {t.text: t for t in ts}
    slept = [by_text.get(s) or parse_transition(s, ex.where) for s in sleep]
    succ, verdicts = [], []
    done: list[Transition] = []
    ran = 0
    first = True
    for t in ts:
        if t.text in sleep:
            continue
        if not first:
            ex.restore(ck)
        first = False
        ran += 1
        if t.kind == "done":
            d = ex.digest(left)
            lost = ex.terminal()
            verdicts.append((d, lost, path + (t.text,)))
            continue
        ex.apply(t)
        nleft = advance(u, ex.gnames, left, t)
        d = ex.digest(nleft)
        child_sleep = frozenset(s.text for s in slept + done if independent(s, t))
        succ.append((d, ex.checkpoint(), nleft, path + (t.text,), child_sleep))
        done.append(t)
    return succ, verdicts, ran
