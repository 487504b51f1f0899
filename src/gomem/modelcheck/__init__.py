"""``gomem check``: an exhaustive checker for write barriers on small programs.

Every interleaving of small mutator programs with one GC cycle's collector
steps, run on the real engine (the scenario engine's steps, the mode's
barrier, the collector's marking and checkmark), explored breadth first
with state hashing and sleep-set partial-order reduction
(:mod:`.search`).  The verdict: no reachable object is ever left unmarked
("no lost object in S states", exit 0), or the shortest counterexample,
printed as a scenario file that ``gomem scenario run FILE.scn --gc MODE``
replays, losing the same object (exit 4).

Modules: :mod:`.universe` (the programs), :mod:`.explore` (the engine,
saved, restored and hashed), :mod:`.search` (the search),
:mod:`.pool` (the search over several processes), :mod:`.cli`
(the command).
"""

from __future__ import annotations

from .cli import add_parser, cmd_check
from .search import Result, search
from .universe import Universe, from_scenario, generated

__all__ = ["Result", "Universe", "add_parser", "cmd_check", "from_scenario", "generated", "search"]
