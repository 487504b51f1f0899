"""Go's own goroutine-leak profile test, run on gomem: ``runtime/goroutineleakprofile_test.go``.

The test builds ``runtime/testdata/testgoroutineleakprofile`` (micro tests, stress tests, common
patterns) and its ``goker`` directory (GoKer: real leaks from CockroachDB, etcd, gRPC, Kubernetes,
Moby, ...), runs each case by name (``prog CASE``) with ``GODEBUG=asyncpreemptoff=1``, and
``GOMAXPROCS=1`` for the cases it calls simple (``makeTest``; ``makeFlakyTest`` cases run on every
P), repeats it, and reads the leaks out of the ``goroutineleak`` profile each run prints
(``WriteTo(os.Stdout, 2)``): a goroutine whose header says ``(leaked)`` gives
``FUNC [WAIT REASON]``, FUNC being the frame two lines above its ``created by``.  A case passes
when every expected leak's regular expression matched some leak in some run and every leak found
matched an expected or a flaky one.

This module reads the case table out of the test file of the installed toolchain (nothing is
copied into gomem) and judges gomem's runs the same way: :func:`cases`, :func:`run_case`,
:func:`judge`.  ``python tests/goroutineleak.py [-k SUBSTRING] [--runs N] [--timeout SECONDS]`` prints a line per case
and the totals (the README quotes them).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field

TEST_FILE = os.path.join("src", "runtime", "goroutineleakprofile_test.go")
TESTDATA = os.path.join("src", "runtime", "testdata", "testgoroutineleakprofile")
#: runs per case (the test's ``repetitions | 1`` for makeTest's 2, and for makeFlakyTest's 2 under -short)
RUNS = 3


@dataclass
class Case:
    name: str
    goker: bool  # in the goker directory (else the micro, stress and pattern tests)
    simple: bool  # makeTest: GOMAXPROCS=1, not flaky
    expected: list[str] = field(default_factory=list)  # regular expressions (Go's RE2 syntax, valid in Python)
    flaky: list[str] = field(default_factory=list)


_CALL = re.compile(r"make(Flaky)?Test\(\s*\"(\w+)\"((?:\s*,\s*`[^`]*`)*)\s*,?\s*\)")


def goroot() -> str | None:
    exe = shutil.which("go")
    if exe is None:
        return None
    import subprocess

    return subprocess.run([exe, "env", "GOROOT"], capture_output=True, text=True,
                          env={**os.environ, "GOTOOLCHAIN": "local"}).stdout.strip() or None


def cases(root: str) -> list[Case]:
    """The test's cases, in its order: the micro, stress and pattern tests, then gokerTestCases."""
    with open(os.path.join(root, TEST_FILE)) as f:
        src = f.read()
    goker_at = src.index("gokerTestCases := []testCase{")
    out = []
    for m in _CALL.finditer(src):
        flaky, name, pats = m.group(1) is not None, m.group(2), re.findall(r"`([^`]*)`", m.group(3))
        c = Case(name, goker=m.start() > goker_at, simple=not flaky)
        (c.flaky if flaky else c.expected).extend(pats)
        out.append(c)
    return out


def program_dir(root: str, case: Case) -> str:
    d = os.path.join(root, TESTDATA)
    return os.path.join(d, "goker") if case.goker else d


_HEADER = re.compile(r"goroutine \d+ \[")


def extract_leaks(output: str) -> list[str]:
    """``extractLeaks``: ``FUNC [REASON]`` for every goroutine of the dump whose header says ``(leaked)``."""
    leaks = []
    for stack in output.split("\n\ngoroutine"):
        lines = stack.split("\n")
        if len(lines) < 5 or "(leaked)" not in lines[0]:
            continue
        reason = _HEADER.sub("[", lines[0]).replace(" (leaked)", "")
        func = ""
        for i in range(len(lines) - 1, -1, -1):
            if "created by" in lines[i]:
                func = lines[i - 2].removeprefix("main.")
                break
        if not func:
            raise AssertionError(f"no function name in the stack of a leaked goroutine: {lines}")
        leaks.append(func + " " + reason)
    return leaks


#: each test program compiled once (its directory -> the GoProgram): every case and run starts it afresh
_COMPILED: dict = {}


def compiled(path: str):
    """The program at *path*, compiled on first use (the test builds each of its two binaries once too)."""
    from gomem.compile import program

    if path not in _COMPILED:
        _COMPILED[path] = program.load(path)
    return _COMPILED[path]


def run_case(root: str, case: Case, seed: int, gc: str = "go1.8", procs: int | None = None,
             timeout: float | None = None) -> tuple[int, str, str]:
    """One run of *case* on gomem (in this process): (exit status, stdout, stderr).  GOMAXPROCS=1 for a
    simple case, else *procs* (default 2, this machine's cores); the model has no asynchronous preemption, so
    GODEBUG=asyncpreemptoff=1, which the test sets, holds.  *timeout*: wall seconds before the run is stopped
    (a failed run, as the test's own timeout makes one)."""
    from gomem import api
    from gomem.errors import GomemError

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            api.run(compiled(program_dir(root, case)), args=[case.name], gc=gc, seed=seed, stdout=out,
                    procs=1 if case.simple else (procs or 2), timeout=timeout)
            rc = 0
        except GomemError as e:
            rc = getattr(e, "exit_status", 1)
            err.write(f"gomem: {e}\n")
    return rc, out.getvalue(), err.getvalue()


@dataclass
class Verdict:
    case: Case
    ok: bool
    errors: list[str]
    found: list[str]


def judge(case: Case, outputs: list[tuple[int, str, str]]) -> Verdict:
    """The test's verdict on the runs' outputs."""
    errors = []
    text = ""
    for rc, out, err in outputs:
        if not out:
            errors.append("a run produced no output")
        if rc != 0:
            errors.append(f"a run failed (exit {rc}): {err.strip().splitlines()[-1] if err.strip() else ''}")
        text += out + "\n\n"
    found = extract_leaks(text)
    if not case.expected and not case.flaky and found:
        errors.append("goroutine leaks detected in a case with no leaks")
    hit = {p: False for p in case.expected}
    unexpected = []
    for leak in found:
        pat = next((p for p in case.expected if re.search(p, leak)), None)
        if pat is not None:
            hit[pat] = True
        elif not any(re.search(p, leak) for p in case.flaky):
            unexpected.append(leak)
    if unexpected:
        errors.append("unexpected goroutine leaks: " + "; ".join(unexpected))
    missing = [p for p, ok in hit.items() if not ok]
    if missing:
        errors.append("missing expected leaks: " + ", ".join(missing))
    return Verdict(case, not errors, errors, found)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", default="", help="only the cases whose name contains this")
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--gc", default="go1.8")
    ap.add_argument("-v", action="store_true", help="print each failing case's errors")
    ap.add_argument("--timeout", type=float, default=None, help="wall seconds allowed to each run")
    a = ap.parse_args(argv)
    root = goroot()
    if root is None:
        print("no Go toolchain: go env GOROOT failed", file=sys.stderr)
        return 2
    total = passed = 0
    by_kind: dict[str, list[int]] = {}
    t0 = time.time()
    for c in cases(root):
        if a.k not in c.name:
            continue
        v = judge(c, [run_case(root, c, seed, a.gc, timeout=a.timeout) for seed in range(1, a.runs + 1)])
        total += 1
        passed += v.ok
        kind = ("simple" if c.simple else "flaky")
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += v.ok
        by_kind[kind][1] += 1
        print(f"{'ok  ' if v.ok else 'FAIL'} {c.name:<28} {'simple' if c.simple else 'flaky '} "
              f"found {len(v.found)}" + ("" if v.ok or not a.v else "\n     " + "\n     ".join(v.errors)))
    print(f"{passed}/{total} cases pass ({', '.join(f'{k} {p}/{n}' for k, (p, n) in sorted(by_kind.items()))}), "
          f"{a.runs} runs each, --gc {a.gc}, {time.time() - t0:.0f} s")
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
