"""The ``gomem check`` command: options, the report, the counterexample as a scenario file.

Everything but the counterexample itself is printed as ``#`` comment lines,
so stdout of a refuted check is a scenario file as it is::

    gomem check --gc go1.8-noshade-old > cx.scn; gomem scenario run cx.scn --gc go1.8-noshade-old
"""

from __future__ import annotations

import json
import os
import sys

from ..errors import BadInput
from ..cmd.fsutil import check_writable, write_output
from ..runtime.mbarrier import MODES, get_mode
from .search import Result, search
from .universe import Universe, from_scenario, generated

#: the default bound (every era's mode proven safe, every broken variant refuted, each in seconds)
DEFAULT_GOROUTINES = 1
DEFAULT_OBJECTS = 3
DEFAULT_STEPS = 3
DEFAULT_ALLOCS = 1
#: exit status of a refuted check (as ``gomem run`` when checkmark finds a lost object)
EXIT_LOST = 4


def add_parser(sub) -> None:
    """Add ``gomem check`` to the ``gomem`` subcommands (*sub*: argparse's subparsers)."""
    c = sub.add_parser(
        "check",
        help="explore every interleaving of small programs with a GC cycle; prove the barrier safe or show a lost object",
        description=(
            "Enumerate every interleaving of small mutator programs (every program of --steps statements per goroutine "
            "over the bound's objects, or the program steps of a scenario file) with one GC cycle's collector steps, on "
            "the real collector, with state hashing and partial-order reduction. Exit 0 with 'no lost object in S "
            "states', or exit 4 with the shortest counterexample printed as a scenario file (replay it with "
            "'gomem scenario run FILE.scn --gc MODE')."
        ),
    )
    c.add_argument("scenario", nargs="?", metavar="SCENARIO",
                   help="check the interleavings of a scenario's program steps (a built-in name or a .scn file) "
                   "instead of every program within the bound")
    c.add_argument("--gc", default="go1.8", choices=list(MODES), help="collector (default go1.8)")
    c.add_argument("--goroutines", type=int, default=DEFAULT_GOROUTINES, metavar="N",
                   help=f"goroutines, each with one stack object (default {DEFAULT_GOROUTINES})")
    c.add_argument("--objects", type=int, default=DEFAULT_OBJECTS, metavar="N",
                   help=f"heap objects when the cycle starts (default {DEFAULT_OBJECTS})")
    c.add_argument("--steps", type=int, default=DEFAULT_STEPS, metavar="N",
                   help=f"statements per goroutine (default {DEFAULT_STEPS})")
    c.add_argument("--allocs", type=int, default=DEFAULT_ALLOCS, metavar="N",
                   help=f"heap objects the programs may allocate (default {DEFAULT_ALLOCS})")
    c.add_argument("--workers", type=int, default=1, metavar="N",
                   help="processes to search with (default 1; 0: one per core)")
    c.add_argument("--max-states", type=int, default=None, metavar="N",
                   help="stop after exploring N states (the verdict is then only a bound)")
    c.add_argument("--json", metavar="FILE", help="write the verdict and the figures as JSON (- for stdout)")
    c.add_argument("--replay", metavar="FILE.html",
                   help="write the counterexample as the scenario page, a picture per step (- for stdout)")


def _universe(args) -> Universe:
    if args.scenario is not None:
        from .. import scenarios

        for opt in ("goroutines", "objects", "steps", "allocs"):
            default = globals()[f"DEFAULT_{opt.upper()}"]
            if getattr(args, opt) != default:
                raise BadInput(f"check: --{opt} is for generated programs; a scenario brings its own")
        return from_scenario(scenarios.load(args.scenario))
    return generated(args.goroutines, args.objects, args.steps, args.allocs)


def counterexample_scn(u: Universe, res: Result) -> str:
    """The shortest counterexample of *res* as a scenario file."""
    about = [
        f"Found by gomem check --gc {res.mode} ({u.origin}): the shortest of every interleaving that loses an object,",
        f"{res.explored} states explored. Checkmark finds {' '.join(res.lost)} reachable but unmarked at mark termination.",
    ]
    return u.scenario_text(f"check-{res.mode}", res.mode, res.counterexample, res.lost, about)


def cmd_check(args) -> int:
    get_mode(args.gc)
    if args.workers < 0:
        raise BadInput(f"check: --workers must be 0 (one per core) or more, not {args.workers}")
    if args.max_states is not None and args.max_states < 1:
        raise BadInput(f"check: --max-states must be at least 1, not {args.max_states}")
    for path in (args.json, args.replay):
        if path is not None and path != "-":
            check_writable(path)
    u = _universe(args)
    workers = args.workers or (os.cpu_count() or 1)
    res = search(u, args.gc, workers=workers, max_states=args.max_states)
    out = sys.stdout
    print(f"# gomem check --gc {args.gc}: {u.describe()}", file=out)
    print(
        f"# explored {res.explored} states ({res.distinct} distinct, {res.terminals} checked at mark termination) "
        f"in {res.seconds:.2f} s: {int(res.per_minute)} states/min, {res.workers} worker(s)",
        file=out,
    )
    scn = None
    if res.safe:
        if res.complete:
            print(f"no lost object in {res.explored} states")
        else:
            print(f"no lost object in {res.explored} states (stopped at --max-states: not every interleaving was explored)")
    else:
        scn = counterexample_scn(u, res)
        print(f"# LOST {' '.join(res.lost)}: shortest counterexample, {len(res.counterexample)} steps; replay with", file=out)
        print(f"#   gomem scenario run FILE.scn --gc {args.gc}", file=out)
        out.write(scn)
    if args.json is not None:
        doc = {"universe": u.describe(), "bound": u.origin, **res.as_dict(), "complete": res.complete}
        if scn is not None:
            doc["scenario"] = scn
        write_output(args.json, json.dumps(doc, indent=2) + "\n")
    if args.replay is not None:
        if scn is None:
            print(f"gomem: check: --replay: no object was lost, so there is no counterexample; {args.replay} not written",
                  file=sys.stderr)
            return 0
        from ..scenarios.format import parse
        from ..viz import html as viz_html

        sc = parse(scn, f"check-{args.gc}.scn")
        viz_html.write_scenario_page([sc], args.replay, initial=(sc.name, args.gc))
    return 0 if res.safe else EXIT_LOST
