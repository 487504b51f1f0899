"""The options of ``gomem run`` checked and turned into :func:`gomem.api.run`'s arguments.

Apart from :mod:`gomem.cmd.cli` so that a subcommand (``gomem why``) runs a program exactly as
``gomem run`` would without importing the command line that imports it.
"""

from __future__ import annotations

import re
from typing import Any

from .. import workloads
from ..compile import program as gorun
from ..errors import BadInput
from .fsutil import check_writable
from .runopts import parse_int, parse_timeout, resolve_env

_INT_RE = re.compile(r"[+-]?[0-9]+")
_MAX_INT64 = (1 << 63) - 1


def parse_size(text: str) -> int:
    """A byte count as Go's ``GOMEMLIMIT`` accepts it (``parseByteCount``): 1234, 1234B, 64KiB, 2GiB, 1TiB.

    Digits (an optional sign, as ``strconv.ParseInt``), then nothing, ``B``
    or ``KiB``/``MiB``/``GiB``/``TiB``; no spaces; the value must be
    non-negative and fit in an int64.
    """
    units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
    num, mul = text, 1
    for u, m in units.items():
        if text.endswith(u):
            num, mul = text[: -len(u)], m
            break
    else:
        if text.endswith("B"):
            num = text[:-1]
    if not _INT_RE.fullmatch(num):
        raise BadInput(f"invalid size {text!r}: want a byte count, optionally with B, KiB, MiB, GiB or TiB")
    n = int(num)
    if n < 0 or n * mul > _MAX_INT64:
        raise BadInput(f"invalid size {text!r}: out of range")
    return n * mul


def run_config(args) -> dict[str, Any]:
    """Validate every option of ``gomem run``; BadInput names the first bad one.

    The values become :func:`gomem.api.run`'s arguments (``program`` to
    ``cost``); the run itself is :func:`cmd_run`'s.
    """
    from ..runtime.mgcpacer import parse_gogc, parse_gomemlimit
    from ..runtime.sched import CostModel

    if gorun.is_program(args.workload):
        if args.param:
            raise BadInput("--param is for built-in workloads; give a Go program its arguments after --")
    else:
        if args.program_args:
            raise BadInput(f"unexpected arguments {' '.join(args.program_args)!r}: only a Go program takes ARGS")
        workloads.get(args.workload).resolve(args.param)  # a bad name or --param fails before the rest
    # the option wins; else the environment, as the real runtime reads it; else Go's default
    resolve_env(args)
    procs = parse_int("--procs", args.procs or "1", 1, 256)
    seed = parse_int("--seed", args.seed)
    gogc = parse_gogc(args.gogc)
    memory_limit = parse_gomemlimit(args.gomemlimit)
    max_heap = parse_size(args.max_heap) if args.max_heap is not None else None
    cost = CostModel().override(args.cost)
    timeout = parse_timeout(args.timeout) if getattr(args, "timeout", None) is not None else None
    # "" is a path too (an error, as in Go), so test for None
    if args.json is not None:
        check_writable(args.json)
    if getattr(args, "html", None) is not None:
        check_writable(args.html)
    memprofile = getattr(args, "memprofile", None)
    memprofilerate = getattr(args, "memprofilerate", None)
    if memprofile is not None or memprofilerate is not None:
        if not gorun.is_program(args.workload):
            raise BadInput("--memprofile is for Go programs: a built-in workload has no Go call stacks")
        if memprofile is not None:
            check_writable(memprofile)
        if memprofilerate is not None:
            memprofilerate = parse_int("--memprofilerate", memprofilerate, 0, _MAX_INT64)
    cpuprofile = getattr(args, "cpuprofile", None)
    if cpuprofile is not None:
        if not gorun.is_program(args.workload):
            raise BadInput("--cpuprofile is for Go programs: a built-in workload has no Go call stacks")
        check_writable(cpuprofile)
    from ..viz import timeline as viz_timeline

    record_timeline = viz_timeline.check_options(args)  # --trace, --mmu (and --html's timeline)
    return {
        "program": args.workload,
        "args": list(args.program_args),
        "params": list(args.param),
        "gc": args.gc,
        "procs": procs,
        "seed": seed,
        "gogc": gogc,
        "memory_limit": memory_limit,
        "max_heap": max_heap,
        "cost": cost,
        "policy": args.policy,
        "layout": args.layout,
        "checkmark": args.checkmark,
        "clobberfree": args.checkmark or args.clobberfree,
        "final_gc": args.final_gc,
        "timeout": timeout,
        "timeline": record_timeline,
        "memprofile": memprofile is not None,
        "memprofilerate": memprofilerate,
        "cpuprofile": cpuprofile is not None,
    }
