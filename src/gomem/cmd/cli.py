"""The ``gomem`` command line.

``gomem run [WORKLOAD]`` runs a built-in workload (or a Go program) on the
model runtime through :func:`gomem.api.run`, the Python API, and prints the
program's output, then ``runtime.MemStats`` and a summary (GC
cycles, stop-the-world pauses by phase, GC CPU, model and wall time; see
:mod:`gomem.cmd.report`).  ``--gctrace`` prints Go's ``GODEBUG=gctrace=1`` lines
on stderr as cycles end; ``--json FILE`` writes every cycle's figures, the
summary, MemStats and the configuration (atomically).  ``gomem workloads``
lists the workloads and their parameters; ``gomem sizeclass`` answers which
size class and allocation path a size takes (SIZE read as Go's
``strconv.ParseInt(s, 0, 64)`` reads it: ``0x10`` and ``020`` are 16).  The
options ``run`` shares with ``vs-go`` are in :mod:`gomem.cmd.runopts`.

Exit statuses:

* 0 — success;
* 2 — bad input (an unknown workload, option or value): one line on
  stderr, ``gomem: …``; also Go-style fatal errors of the program
  (out of memory, deadlock), a run stopped by ``--timeout``, and an
  output that cannot be written (``write /dev/stdout: no space left on
  device``);
* 3 — an internal invariant of the model broke (``InvariantViolation``);
* 4 — the program lost an object: ``--checkmark`` found a reachable object
  the mark missed (``LostObject``), or a load through a dangling pointer was
  caught (``DanglingPointer``, with ``--clobberfree``/``--checkmark``);
* 130 — interrupted.

A progress line is drawn on stderr while a run takes more than a moment, if
stderr is a terminal and ``--no-progress`` is not given; it is erased before
every gctrace line, before the program's own stdout and stderr writes, and at
the end, so it never mixes with them.  ``--memstats=full`` prints MemStats as
Go's ``fmt.Printf("%+v", m)`` does (every field, the pause rings, BySize)
instead of the short text.  Text
stdout's encoding cannot hold (``PYTHONIOENCODING=ascii``) is written as
backslash escapes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ..runtime import sizeclasses as sc
from ..compile import program as gorun
from .. import workloads
from ..errors import BadInput, GomemError
from .fsutil import check_writable, write_output
from ..runtime.mbarrier import MODES
# the options and stderr output gomem run shares with gomem vs-go (re-exported: the tests and
# callers of earlier versions read them here)
from .runopts import (
    ENV_HELP,
    GODEBUG_FLAGS,
    GODEBUG_IGNORED,
    Progress,
    StderrWriter,
    add_run_options,
    env_gomaxprocs,
    isatty,
    parse_godebug,
)
# parse_size is re-exported too
from .runconfig import _MAX_INT64, parse_size, run_config
from ..std import strconv

DEFAULT_WORKLOAD = "binary-trees"
#: ``gomem run --memstats``: MemStats.format() (short) or MemStats.format_go(), Go's ``%+v`` (full)
MEMSTATS_FORMATS = ("short", "full")
#: exit status after Ctrl-C (128 + SIGINT), as shells report it
EXIT_INTERRUPTED = 130


class _UsageError(Exception):
    """argparse found a bad command line (reported as one ``gomem: …`` line, status 2)."""


class _Parser(argparse.ArgumentParser):
    """gomem's parser: usage errors as one line, and no prefix abbreviations of long options.

    ``allow_abbrev=False`` everywhere (sub-parsers are built with this class
    too): ``--gc`` must never be read as ``--gctrace-log``.
    """

    def __init__(self, *a, **kw) -> None:
        kw["allow_abbrev"] = False
        super().__init__(*a, **kw)

    def error(self, message: str):  # type: ignore[override]
        raise _UsageError(f"{message} (see '{self.prog} --help')")

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        """argparse's parse, with everything after the first ``--`` as a Go program's ARGS.

        argparse fills a ``nargs="*"`` positional only where it first meets
        positionals, so ``gomem run prog.go --gogc 50 -- -depth 3`` would
        leave ``-- -depth 3`` unrecognised; as ``go run`` does, the words
        after ``--`` are the program's, wherever the options stand.
        """
        argv = list(sys.argv[1:] if args is None else args)
        if "--" in argv:
            i = argv.index("--")
            ns = super().parse_args(argv[:i], namespace)
            if hasattr(ns, "program_args"):  # gomem run and gomem vs-go
                ns.program_args = [*ns.program_args, *argv[i + 1:]]
                return ns
        return super().parse_args(argv, namespace)


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gomem", description="Go's memory manager and garbage collector, as an executable model.")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")

    r = sub.add_parser(
        "run",
        help="run a built-in workload and print MemStats, pauses and GC CPU",
        description="Run a built-in workload on the model runtime; print its output, runtime.MemStats and a summary.",
        epilog=ENV_HELP,
    )
    r.add_argument("workload", nargs="?", default=DEFAULT_WORKLOAD, metavar="WORKLOAD|PROGRAM",
                   help=f"workload name (default {DEFAULT_WORKLOAD}; see 'gomem workloads'), or a Go program: "
                   "a .go file or a directory holding one package main")
    r.add_argument("program_args", nargs="*", metavar="-- ARGS", help="the Go program's os.Args[1:]")
    add_run_options(r)
    r.add_argument("--final-gc", action="store_true", help="call runtime.GC() after the workload returns (a forced cycle; MemStats then show the live heap)")
    r.add_argument("--max-heap", default=None, metavar="SIZE", help="fail with Go's out-of-memory error past this HeapSys")
    r.add_argument("--memstats", default="short", choices=MEMSTATS_FORMATS,
                   help="how to print MemStats: short, one 'Name: value' line per scalar field (default); "
                   "full, every field as fmt.Printf(\"%%+v\", m) of a runtime.MemStats prints it on one line, "
                   "PauseNs and PauseEnd as Go's 256-entry rings and BySize as its 61 size classes")
    r.add_argument("--json", metavar="FILE", help="write every cycle's figures, the summary, MemStats and the parameters as JSON (- for stdout)")
    r.add_argument("--html", metavar="FILE", help="write a self-contained run report with charts (heap, goal, pauses, GC CPU, size classes; - for stdout)")
    r.add_argument("--memprofile", metavar="FILE", help="write the Go program's heap profile at the end of the run, "
                   "as go test -memprofile does (gzipped profile.proto, as of the last GC; read it with go tool pprof)")
    r.add_argument("--memprofilerate", metavar="N", help="runtime.MemProfileRate from the start "
                   "(default 524288 when a profile is kept; 1: every allocation), as go test -memprofilerate")
    r.add_argument("--cpuprofile", metavar="FILE", help="write the Go program's CPU profile over model time at the end "
                   "of the run, as go test -cpuprofile does (a sample every 10 ms of model CPU time on each P, "
                   "user code and the collector's work by Go function; gzipped profile.proto for go tool pprof)")
    from ..viz import timeline as viz_timeline

    viz_timeline.add_options(r)  # --trace, --mmu, --mmu-exclude

    sub.add_parser("workloads", help="list the built-in workloads and their parameters")

    s = sub.add_parser("sizeclass", help="which size class and path an allocation takes")
    s.add_argument("size", nargs="?", help="object size in bytes, read as Go's strconv.ParseInt(s, 0, 64) reads it: "
                   "decimal, or 0x/0o/0b/0-prefixed hex, octal, binary (0x10, 020 and 16 are all 16); '_' between digits")
    s.add_argument("--noscan", action="store_true", help="the object has no pointers")
    s.add_argument("--table", action="store_true", help="print Go's size class table")
    s.add_argument("--greentea", action="store_true", help="with --table: add Green Tea objects-per-span columns")
    s.add_argument("--layout", choices=sc.LAYOUTS, default="greentea")

    scn = sub.add_parser("scenario", help="the article's scenarios, step by step on the real collector")
    ssub = scn.add_subparsers(dest="scmd", metavar="list|run")
    ssub.add_parser("list", help="name the built-in scenarios")
    sr = ssub.add_parser("run", help="run a scenario and print every step")
    sr.add_argument("name", help="a built-in scenario name, or a path to a .scn file")
    sr.add_argument("--gc", default=None, choices=list(MODES), help="collector (default go1.8)")
    sr.add_argument("--all-modes", action="store_true", help="run it under every GC mode the scenario names (not with --gc)")
    sr.add_argument("--svg", metavar="DIR", help="write one SVG picture per step into DIR")
    sr.add_argument("--html", metavar="FILE", help="write a self-contained interactive page (- for stdout)")

    from . import vsgo

    vsgo.add_parser(sub)
    from . import escape as escape_cli

    escape_cli.add_parser(sub)
    from . import gctrace as gctrace_cli

    gctrace_cli.add_parser(sub)
    from .. import modelcheck

    modelcheck.add_parser(sub)
    from . import why as why_cli

    why_cli.add_parser(sub)
    from . import leaks as leaks_cli

    leaks_cli.add_parser(sub)

    return p


# -- gomem workloads ----------------------------------------------------------------------


def cmd_workloads(args) -> int:
    for w in workloads.all_workloads():
        print(f"{w.name}: {w.description}")
        for prm in w.params:
            kind = getattr(prm.kind, "__name__", str(prm.kind))
            lo, hi = getattr(prm, "minimum", None), getattr(prm, "maximum", None)
            rng = f" {lo if lo is not None else ''}..{hi if hi is not None else ''}" if lo is not None or hi is not None else ""
            print(f"    --param {prm.name}={prm.default}  ({kind}{rng}) {prm.help}")
    return 0


# -- gomem sizeclass ------------------------------------------------------------------------


def cmd_sizeclass(args) -> int:
    if args.table:
        print(sc.table_text(args.layout, with_gt=args.greentea), end="")
        return 0
    if args.size is None:
        raise BadInput("sizeclass wants SIZE or --table")
    # as Go's strconv.ParseInt(s, 0, 64) reads it: 16, 0x10, 0o20, 020, 0b10000 and 1_024 are all sizes
    size, perr = strconv.ParseInt(args.size, 0, 64)
    if perr is not None:
        raise BadInput(f"invalid size {args.size!r}: {perr.error().decode()}")
    print(sc.describe(size, args.noscan, args.layout))
    return 0


# -- gomem run -------------------------------------------------------------------------------


def cmd_run(args) -> int:
    from .. import api
    from . import report

    cfg = run_config(args)
    err = StderrWriter()
    show_progress = not args.no_progress and isatty(sys.stderr)
    progress = (lambda rt, label: Progress(rt, label, err)) if show_progress else None
    if args.html is not None and (cfg.get("memprofile") or cfg.get("memprofilerate") is not None):
        from ..runtime.sitegrowth import SiteGrowth  # the report's in use by site over GC cycles

        progress = SiteGrowth().around(progress)
    res = api.run(
        **cfg,
        gctrace=err.line if args.gctrace else None,
        gcpacertrace=err.line if args.gcpacertrace else None,
        scavtrace=err.line if args.scavtrace else None,
        # a Go program's output shares the terminal with the progress line: it erases the line first
        stdout=err.guard(sys.stdout) if show_progress else sys.stdout,
        progress=progress,
        check=False,
    )
    failure = res.error
    is_program = gorun.is_program(args.workload)
    if failure is not None:
        if args.json is not None:
            # the figures up to the failure (None where the heap could not be read)
            _write_json(args.json, _json_doc(args, cfg, res))
        if args.html is not None:
            # the same figures as the JSON: the summary and MemStats as read at the failure
            _write_html_report(args.html, res.runtime, res.summary, res.mstats, _json_doc(args, cfg, res))
        _write_timeline_outputs(args, res)
        if isinstance(failure, gorun.GoPanic):
            sys.stdout.flush()
            sys.stderr.write(failure.go_text())
            return failure.exit_status
        if isinstance(failure, gorun.GoExit):
            return failure.exit_status
        raise failure
    ms, summary = res.mstats, res.summary
    # A Go program's stdout is its own: gomem's summary goes to stderr.
    sys.stdout.flush()
    summary_out = sys.stderr if is_program else sys.stdout
    pstr = " ".join(f"{k}={v}" for k, v in res.params.items())
    if not is_program:
        print()
    print(
        f"gomem run {res.program}{' ' + pstr if pstr else ''} --gc {args.gc} GOGC={args.gogc} "
        + (f"GOMEMLIMIT={args.gomemlimit} " if cfg["memory_limit"] != _MAX_INT64 else "")
        + f"GOMAXPROCS={cfg['procs']} layout={args.layout} policy={args.policy} seed={cfg['seed']}"
        + (" checkmark" if args.checkmark else "")
        + (" clobberfree" if cfg["clobberfree"] and not args.checkmark else ""),
        file=summary_out,
    )
    print(ms.format_go() if args.memstats == "full" else ms.format(), file=summary_out)
    print(report.format_summary(summary), file=summary_out)
    summary_out.flush()
    if args.json is not None:
        _write_json(args.json, _json_doc(args, cfg, res))
    if args.html is not None:
        _write_html_report(args.html, res.runtime, summary, ms, _json_doc(args, cfg, res))
    _write_timeline_outputs(args, res)
    if args.memprofile is not None:
        _write_memprofile(args.memprofile, res)
    if getattr(args, "cpuprofile", None) is not None:
        _write_cpuprofile(args.cpuprofile, res)
    return 0


def _write_cpuprofile(path: str, res) -> None:
    """``--cpuprofile``: the CPU profile of the whole run, as ``pprof.StopCPUProfile`` has written it
    (:meth:`gomem.runtime.cpuprof.CPUProfile.proto`)."""
    write_output(path, res.runtime.cpuprof.proto())


def _write_memprofile(path: str, res) -> None:
    """``--memprofile``: the heap profile as ``pprof.WriteHeapProfile`` writes it, as of the last GC.
    (``go test`` runs a GC first; here the run's GC count stays the program's own.)"""
    from ..std.support_pprof import heap_profile

    write_output(path, heap_profile(res.runtime, res.go_program.symtab, 0, ""))


def _write_timeline_outputs(args, res) -> None:
    """``--trace`` and ``--mmu`` (:mod:`gomem.viz.timeline`)."""
    from ..viz import timeline as viz_timeline

    viz_timeline.write_outputs(args, res.runtime, f"gomem run {res.program} --gc {args.gc}")


def _write_html_report(path: str, rt, summary, ms, doc: dict[str, Any]) -> None:
    """``--html``: the run report (:mod:`gomem.viz.report_html`); a failed run gets one with the error."""
    from ..viz import report_html

    _write_atomic(path, report_html.render_run_report(rt, summary, ms, doc))


def _json_doc(args, cfg, res, figures: bool = True) -> dict[str, Any]:
    """The ``--json`` document of a run (*res*: :class:`gomem.api.RunResult`); *figures*: include MemStats and the summary."""
    from .. import __version__ as version

    failure = res.error
    doc: dict[str, Any] = {
        "gomem": version,
        "status": "ok" if failure is None else "error",
        "exit_status": 0 if failure is None else failure.exit_status,
        "workload": res.program,
        "params": res.params,
        "config": {
            "gc": args.gc,
            "gogc": args.gogc,
            "gc_percent": cfg["gogc"],
            "gomemlimit": args.gomemlimit,
            "memory_limit": cfg["memory_limit"],
            "procs": cfg["procs"],
            "seed": cfg["seed"],
            "policy": args.policy,
            "layout": args.layout,
            "checkmark": args.checkmark,
            "clobberfree": cfg["clobberfree"],
            "final_gc": args.final_gc,
            "max_heap": cfg["max_heap"],
            "cost": dict(vars(cfg["cost"])),
        },
        "output": res.output if failure is None else [],
        "summary": res.summary.as_dict() if figures and res.summary is not None else None,
        "memstats": res.memstats if figures else None,
        "metrics": res.metrics if figures else None,
        "cycles": [{k: v for k, v in c.items() if k != "gctrace"} for c in res.cycles],
        "pauses": res.pauses,
    }
    if failure is not None:
        err: dict[str, Any] = {"type": type(failure).__name__, "message": str(failure)}
        lost = getattr(failure, "lost", None)
        if lost:
            err["lost"] = lost
        doc["error"] = err
    return doc


def _check_writable(path: str) -> None:
    """Before a run: BadInput unless *path* can take an output file (see fsutil.check_writable)."""
    check_writable(path)


def _write_json(path: str, doc: dict[str, Any]) -> None:
    _write_atomic(path, json.dumps(doc, indent=2, default=str) + "\n")


def _write_atomic(path: str, text: str) -> None:
    """Write an output file: atomically if it is a regular file, straight to a device, ``-`` is stdout (fsutil.write_output)."""
    write_output(path, text)


# -- gomem scenario ------------------------------------------------------------------------------


def cmd_scenario(args) -> int:
    from .. import scenarios
    from ..scenarios.text import render

    if args.scmd == "list":
        for name in scenarios.names():
            sc_ = scenarios.builtin(name)
            print(f"{name:<18} {sc_.title}")
        return 0
    if args.scmd != "run":
        raise BadInput("scenario wants 'list' or 'run NAME'")
    if args.all_modes and args.gc is not None:
        raise BadInput(f"scenario run: --all-modes and --gc {args.gc} contradict each other; give one")
    if args.gc is None:
        args.gc = "go1.8"
    if args.svg == "":
        raise BadInput("mkdir : no such file or directory")  # Go's os.MkdirAll("")
    if args.html is not None:
        _check_writable(args.html)
    try:
        scen = scenarios.load(args.name)
    except UnicodeDecodeError as e:
        from ..scenarios.format import decode_error

        raise decode_error(args.name, e) from None
    modes = scen.modes if args.all_modes else [args.gc]
    runs = []
    for mode in modes:
        run = scenarios.ScenarioRun(scen, mode)
        run.run()
        runs.append(run)
        print(render(run), end="")
        if args.svg is not None:
            from ..viz import svg as viz_svg

            viz_svg.write_steps(run, args.svg)
    if args.html is not None:
        from ..viz import html as viz_html

        viz_html.write_scenario_page(viz_html.page_scenarios(scen), args.html, initial=(scen.name, args.gc))
    return 0


# -- main --------------------------------------------------------------------------------------


def _tolerant_stdout() -> None:
    """Text gomem prints that stdout's encoding cannot hold (``PYTHONIOENCODING=ascii``, a C locale: the
    article's Chinese titles) is written as backslash escapes instead of ending the run in a traceback.

    A Go program's own output is bytes and goes around the text layer untouched.
    """
    out = sys.stdout
    enc = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if enc in ("utf8", "utf8sig") or getattr(out, "errors", "strict") not in ("strict", "surrogateescape"):
        return
    try:
        out.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        pass


def main(argv: list[str] | None = None) -> int:
    _tolerant_stdout()
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as e:
        print(f"gomem: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    handlers = {"run": cmd_run, "workloads": cmd_workloads, "sizeclass": cmd_sizeclass, "scenario": cmd_scenario}
    from .vsgo import cmd_vs_go

    handlers["vs-go"] = cmd_vs_go
    from .escape import cmd_escape

    handlers["escape"] = cmd_escape
    from .gctrace import cmd_gctrace

    handlers["gctrace"] = cmd_gctrace
    from ..modelcheck import cmd_check

    handlers["check"] = cmd_check
    from .why import cmd_why

    handlers["why"] = cmd_why
    from .leaks import cmd_leaks

    handlers["leaks"] = cmd_leaks

    if args.cmd is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        try:
            rc = handlers[args.cmd](args)
        except GomemError as e:
            sys.stdout.flush()
            print(f"gomem: {_one_line(str(e))}", file=sys.stderr)
            return e.exit_status
        sys.stdout.flush()  # a full device must show here, not as a traceback at exit
        return rc
    except KeyboardInterrupt:
        print("gomem: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (gomem run | head): stop quietly
        _discard_stdout()
        return 0
    except OSError as e:
        return _os_error(e)


def _discard_stdout() -> None:
    """Point file descriptor 1 at the null device: what is still buffered for stdout goes nowhere, quietly, at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _os_error(e: OSError) -> int:
    """An operating-system error no command turned into a GomemError: one line in Go's words, status 2.

    Without a file name it came from writing gomem's own stdout (``gomem run > /dev/full``):
    ``write /dev/stdout: no space left on device``, as a Go program's write error reads.
    """
    what = (e.strerror or str(e)).lower()
    if e.filename is None:
        _discard_stdout()
        line = f"gomem: write /dev/stdout: {what}"
    else:
        line = f"gomem: {e.filename}: {what}"
    try:
        print(line, file=sys.stderr)
        sys.stderr.flush()
    except OSError:  # stderr is gone too: the status says it
        pass
    return 2


def _one_line(msg: str) -> str:
    return " ".join(msg.split()) if "\n" in msg else msg


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
