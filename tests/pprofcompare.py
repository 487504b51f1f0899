"""Heap profiles of the same Go program from gomem and from the real runtime, site by site.

A corpus program is profiled unchanged but for its ``main``, renamed: a file added to its package
sets ``runtime.MemProfileRate = 1`` in the first package variable initialiser (so every
allocation from then on is sampled), and its ``main`` runs the program's, then ``runtime.GC()``
(after which the profile is exact up to that GC: ``mProf_PostSweep``), then writes
``pprof.Lookup("allocs").WriteTo(os.Stderr, 1)`` -- the debug=1 text both runtimes print.

:func:`sites` reads such a text into per-site figures: the site of a record is its innermost frame
in package main (function and line; a record with no main frame is the runtime's own and is left
out), and a site's figures are the sums over its records (in-use objects and bytes, allocated
objects and bytes).  Standard-library frames above the site are not part of it: gomem implements
most of the standard library in Python, its allocations attributed to the program's calling line.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

MAIN_RE = re.compile(rb"^func main\(\) \{", re.M)
WRAPPER = """package main

import (
\t"os"
\t"runtime"
\t"runtime/pprof"
)

var gomemProfileRate = func() int { runtime.MemProfileRate = 1; return 1 }()

func main() {
\tgomemProfiledMain()
\truntime.GC()
\tpprof.Lookup("allocs").WriteTo(os.Stderr, 1)
}
"""
RECORD_RE = re.compile(r"^(\d+): (\d+) \[(\d+): (\d+)\] @")
FRAME_RE = re.compile(r"^#\t0x[0-9a-f]+\t(\S+?)\+0x[0-9a-f]+\t+(\S+):(\d+)$")


def profiled_dir(program: Path, into: Path) -> Path:
    """A package directory under *into* holding *program* (a file or a directory) with the profiling main."""
    d = into / (program.stem + "_profiled")
    d.mkdir(parents=True, exist_ok=True)
    files = [program] if program.is_file() else sorted(program.glob("*.go"))
    renamed = False
    for f in files:
        src = f.read_bytes()
        if MAIN_RE.search(src):
            src = MAIN_RE.sub(b"func gomemProfiledMain() {", src, count=1)
            renamed = True
        (d / f.name).write_bytes(src)
    if not renamed:
        raise ValueError(f"{program}: no func main() to wrap")
    (d / "0_gomem_profile.go").write_text(WRAPPER)
    return d


def profile_text(stderr: str) -> str:
    """The last heap profile text in *stderr* (the program may write there too)."""
    at = stderr.rfind("heap profile:")
    if at < 0:
        raise ValueError("no heap profile on stderr:\n" + stderr[-2000:])
    return stderr[at:]


def sites(text: str) -> dict[tuple[str, int], list[int]]:
    """(main function, line) -> [in-use objects, in-use bytes, allocated objects, allocated bytes]."""
    out: dict[tuple[str, int], list[int]] = {}
    rec = None
    site = None

    def close():
        if rec is not None and site is not None:
            acc = out.setdefault(site, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += rec[i]

    for line in text.splitlines():
        if line.startswith("# runtime.MemStats"):
            break
        m = RECORD_RE.match(line)
        if m:
            close()
            rec = [int(x) for x in m.groups()]
            site = None
            continue
        m = FRAME_RE.match(line)
        if m and site is None and m.group(1).startswith("main."):
            # the wrapper's own main (runtime.GC, WriteTo) is not the program's
            site = (m.group(1), int(m.group(3))) if m.group(1) != "main.main" else ("", 0)
    close()
    out.pop(("", 0), None)
    return out


def real_go_sites(program: Path, tmp: Path) -> dict:
    from gomem.cmd import realgo

    d = profiled_dir(program, tmp / "go")
    res = realgo.run_go_dir(d, env={"GOMAXPROCS": "1"})  # gomem's default: one P
    return sites(profile_text(res.stderr.decode("utf-8", "replace") if isinstance(res.stderr, bytes) else res.stderr))


def gomem_sites(program: Path, tmp: Path, **run_kw) -> dict:
    from gomem import api

    d = profiled_dir(program, tmp / "gomem")
    buf = io.BytesIO()
    err = io.TextIOWrapper(buf, encoding="utf-8", write_through=True)
    saved = sys.stderr
    sys.stderr = err
    try:
        api.run(str(d), stdout=io.StringIO(), **run_kw)
    finally:
        sys.stderr = saved
    return sites(profile_text(buf.getvalue().decode("utf-8", "replace")))


def differences(got: dict, want: dict) -> list[str]:
    """Sites whose figures differ, as lines ``main.f:LINE gomem [..] Go [..]``."""
    out = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key, [0, 0, 0, 0]), want.get(key, [0, 0, 0, 0])
        if a != b:
            out.append(f"{key[0]}:{key[1]} gomem {a} Go {b}")
    return out


if __name__ == "__main__":
    import tempfile

    for arg in sys.argv[1:]:
        p = Path(arg)
        with tempfile.TemporaryDirectory() as t:
            try:
                want = real_go_sites(p, Path(t))
                got = gomem_sites(p, Path(t))
            except Exception as e:  # noqa: BLE001 (a report of the corpus)
                print(f"ERROR {p.name}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
                continue
            diff = differences(got, want)
            print(f"{'SAME' if not diff else 'DIFF'} {p.name}: {len(want)} sites in Go, {len(got)} in gomem")
            for d in diff[:8]:
                print("   ", d)
        shutil.rmtree(t, ignore_errors=True)
