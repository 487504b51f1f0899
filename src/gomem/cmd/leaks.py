"""``gomem leaks``: the seed article's memory leaks as programs, each run beside its fix.

``gomem leaks`` lists them (:mod:`gomem.leaks`: name and one-line title).
``gomem leaks NAME [--fixed] [--html FILE] [--json FILE]`` runs the leaky program and the fixed
one on the model (``--fixed``: the fixed one only), each with a heap profile that records every
allocation and a :class:`gomem.runtime.sitegrowth.SiteGrowth` taking one sample per GC cycle,
and prints the explanation, the evidence cycle by cycle side by side — goroutines, in-use bytes,
the growing sites with their bytes at every cycle, the goroutines still alive at the end grouped
by what they wait for — and a verdict line.

Exit status: 0 when the leak shows in the leaky program (a growing site or a growing goroutine
count, by :mod:`gomem.runtime.sitegrowth`'s rule) and not in the fixed one (with ``--fixed``:
when the fixed one shows none); 1 otherwise.  Bad input (an unknown name, an output that cannot
be written) is one line ``gomem: ...``, exit status 2, before anything runs or is written.

``--html FILE`` writes a self-contained page in the scenario pages' style
(:func:`gomem.viz.leaks_html.render_leak_page`); ``--json FILE`` the samples and verdicts.

For a leak whose evidence is goroutines, Go 1.26's goroutine leak detector runs at the end of each
run as a program's last deferred ``pprof.Lookup("goroutineleak").WriteTo(os.Stdout, 1)`` would
(:data:`GOROUTINE_LEAK_PROFILE`, :func:`gomem.std.support_pprof.goroutine_leak_profile_at_exit`:
after ``main`` returns, a leak-detecting cycle on the model's collector), and the profile it writes
is printed and put on the page with the rest of the evidence.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import BadInput
from ..std.support_pprof import goroutine_leak_profile_at_exit
from .fsutil import check_writable, write_output

#: the goroutine leak detector (Go's ``goroutineleak`` profile) at the end of a run: runtime -> text or None
GOROUTINE_LEAK_PROFILE: Callable[[Any], str | None] | None = goroutine_leak_profile_at_exit
#: wall seconds a leak program may take on the model before the run is stopped
TIMEOUT_S = 120.0


def add_parser(sub) -> None:
    p = sub.add_parser(
        "leaks",
        help="the article's memory leaks as Go programs, each run beside its fix",
        description="Without NAME: list the leaks. With NAME: run the leaky program and its fixed version on the "
        "model and show the evidence (in-use bytes by allocation site and goroutines, GC cycle by GC cycle).",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a leak (see 'gomem leaks')")
    p.add_argument("--fixed", action="store_true", help="run the fixed version only")
    p.add_argument("--html", metavar="FILE", help="write a self-contained page with the charts (- for stdout)")
    p.add_argument("--json", metavar="FILE", help="write the samples and verdicts as JSON (- for stdout)")


@dataclass
class LeakRun:
    """One program's run: its file, its stdout, the per-cycle samples, and the verdict on them."""

    file: str
    fixed: bool
    stdout: str
    growth: Any  # SiteGrowth
    leak_profile: str | None = None

    @property
    def growing(self) -> list:
        return self.growth.growing()

    @property
    def goroutines_growing(self) -> bool:
        return self.growth.goroutines_growing()

    @property
    def leaks(self) -> bool:
        """The leak shows: a growing site, or a growing goroutine count."""
        return bool(self.growing) or self.goroutines_growing

    def as_dict(self) -> dict[str, Any]:
        d = {"file": self.file, "fixed": self.fixed, "stdout": self.stdout, "leaks": self.leaks}
        d.update(self.growth.as_dict())
        if self.leak_profile is not None:
            d["goroutineleak"] = self.leak_profile
        return d


def run_program(leak, fixed: bool) -> LeakRun:
    """Run *leak*'s leaky or fixed program on the model with the recorder attached."""
    from .. import api
    from ..runtime.sitegrowth import SiteGrowth

    rec = SiteGrowth()
    if GOROUTINE_LEAK_PROFILE is not None and leak.evidence == "goroutines":
        rec.end_probes["goroutineleak"] = GOROUTINE_LEAK_PROFILE
    with leak.path(fixed) as path:
        res = api.run(os.fspath(path), memprofilerate=1, progress=rec.around(), check=False, timeout=TIMEOUT_S)
    if res.error is not None:
        raise res.error
    file = leak.fixed_file if fixed else leak.leaky_file
    return LeakRun(file, fixed, res.stdout, rec, rec.probes.get("goroutineleak"))


def verdict(leaky: LeakRun | None, fixed: LeakRun | None) -> tuple[bool, str]:
    """(as expected, the verdict line)."""
    def why(r: LeakRun) -> str:
        parts = []
        if r.growing:
            parts.append(f"{len(r.growing)} growing site{'s' if len(r.growing) != 1 else ''}")
        if r.goroutines_growing:
            parts.append("a growing goroutine count")
        return " and ".join(parts)

    if leaky is None:
        assert fixed is not None
        if fixed.leaks:
            return False, f"verdict: {fixed.file} still leaks ({why(fixed)})"
        return True, f"verdict: no leak in {fixed.file}"
    assert fixed is not None
    if leaky.leaks and not fixed.leaks:
        return True, f"verdict: the leak shows in {leaky.file} ({why(leaky)}) and not in {fixed.file}"
    if not leaky.leaks:
        return False, f"verdict: no leak showed in {leaky.file}" + (f"; {fixed.file} leaks ({why(fixed)})" if fixed.leaks else "")
    return False, f"verdict: both leak: {leaky.file} ({why(leaky)}), {fixed.file} ({why(fixed)})"


# -- text ---------------------------------------------------------------------------------------


def fmt_bytes(n: float) -> str:
    for unit, k in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(n) >= k:
            return f"{n / k:.1f} {unit}"
    return f"{n:.0f} B"


def _wrap(text: str, indent: str = "  ", width: int = 96) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent)


def explanation_text(leak) -> list[str]:
    out = [f"gomem leaks {leak.name}: {leak.title}", ""]
    for head, body in (("The article", leak.article), ("What happens", leak.what_happens),
                       ("What to look at", leak.look_at), ("The fix", leak.fix)):
        out.append(f"{head}:")
        out += _wrap(body)
        out.append("")
    return out


def _cycle_table(runs: list[LeakRun]) -> list[str]:
    """The runs' samples side by side, one line per GC cycle: goroutines, bytes in use, and the
    run's fastest-growing site's bytes."""
    from ..runtime.sitegrowth import CYCLES, MIN_GROWTH

    out = ["GC cycle by cycle: the goroutines alive and their stacks, the heap in use (as each cycle's mark found it, "
           "every allocation profiled) and the fastest-growing site's share of it",
           f"(a site grows when its bytes rose in each of the last {CYCLES} cycles, by {fmt_bytes(MIN_GROWTH)} in all):"]
    colw = 52
    head1 = "     " + "".join(f"{('fixed: ' if r.fixed else 'leaky: ') + r.file:<{colw}}" for r in runs)
    head2 = "  GC " + "".join(f"{'goroutines':>10} {'stacks':>9} {'in use':>10} {'top growing site':>17}   " for _ in runs)
    out += [head1.rstrip(), head2.rstrip()]
    n = max(len(r.growth.samples) for r in runs)
    for i in range(n):
        line = f"{i + 1:>4} "
        for r in runs:
            ss = r.growth.samples
            if i >= len(ss):
                line += " " * colw
                continue
            s = ss[i]
            total = sum(b for b, _ in s.sites.values())
            top = fmt_bytes(r.growing[0].series[i]) if r.growing else "-"
            line += f"{s.goroutines:>10} {fmt_bytes(s.stacks):>9} {fmt_bytes(total):>10} {top:>17}   "
        out.append(line.rstrip())
    return out


def evidence_text(r: LeakRun) -> list[str]:
    from ..runtime.sitegrowth import RUNTIME_SITE, group_blocked

    who = f"{'fixed' if r.fixed else 'leaky'} ({r.file})"
    out = []
    if r.growing:
        out.append(f"{who}: growing sites (in use after each GC):")
        for g in r.growing:
            note = " (the runtime's own allocations, with no Go frames: new goroutines' descriptors)" if g.site == RUNTIME_SITE else ""
            out.append(f"  {g.site}: +{fmt_bytes(g.per_cycle)} per cycle{note}")
            out.append("    " + " ".join(fmt_bytes(b) for b in g.series))
    else:
        out.append(f"{who}: no growing site")
    counts = " ".join(str(s.goroutines) for s in r.growth.samples)
    out.append(f"{who}: goroutines at each GC: {counts} ({'growing' if r.goroutines_growing else 'not growing'})")
    groups = group_blocked(r.growth.blocked)
    if groups:
        out.append(f"{who}: goroutines still alive at the end:")
        for n, reason, fn, creator in groups:
            out.append(f"  {n} x [{reason}] in {fn}" + (f", created by {creator}" if creator else ""))
    if r.leak_profile:
        out.append(f"{who}: goroutineleak profile:")
        out += ["  " + line for line in r.leak_profile.splitlines()]
    return out


def format_report(leak, leaky: LeakRun | None, fixed: LeakRun | None) -> str:
    runs = [r for r in (leaky, fixed) if r is not None]
    out = explanation_text(leak)
    for r in runs:
        out.append(f"{r.file} prints:")
        out += ["  " + line for line in r.stdout.splitlines()]
    out.append("")
    out += _cycle_table(runs)
    out.append("")
    for r in runs:
        out += evidence_text(r)
    out.append("")
    out.append(verdict(leaky, fixed)[1])
    return "\n".join(out) + "\n"


def doc(leak, leaky: LeakRun | None, fixed: LeakRun | None) -> dict[str, Any]:
    ok, line = verdict(leaky, fixed)
    return {
        "leak": leak.name, "title": leak.title, "evidence": leak.evidence,
        "runs": [r.as_dict() for r in (leaky, fixed) if r is not None],
        "as_expected": ok, "verdict": line,
    }


# -- the command ----------------------------------------------------------------------------------


def cmd_leaks(args) -> int:
    from .. import leaks

    if args.name is None:
        if args.fixed or args.html is not None or args.json is not None:
            raise BadInput("leaks: --fixed, --html and --json need a NAME (see 'gomem leaks')")
        w = max(len(n) for n in leaks.names())
        for leak in leaks.LEAKS:
            print(f"{leak.name:<{w}}  {leak.title}")
        return 0
    leak = leaks.get(args.name)
    for path in (args.html, args.json):
        if path is not None:
            check_writable(path)
    leaky = None if args.fixed else run_program(leak, fixed=False)
    fixed = run_program(leak, fixed=True)
    ok, _ = verdict(leaky, fixed)
    if args.json is not None:
        write_output(args.json, json.dumps(doc(leak, leaky, fixed), indent=2) + "\n")
    if args.html is not None:
        from ..viz import leaks_html

        write_output(args.html, leaks_html.render_leak_page(leak, leaky, fixed, verdict(leaky, fixed)[1]))
    if args.html != "-" and args.json != "-":
        print(format_report(leak, leaky, fixed), end="")
    return 0 if ok else 1


__all__ = ["GOROUTINE_LEAK_PROFILE", "LeakRun", "add_parser", "cmd_leaks", "doc", "format_report", "run_program", "verdict"]
