"""Regenerate :mod:`gomem.compile._stdlib_data` from the installed Go toolchain.

``python -m gomem.compile.gen_stdlib`` runs ``stdgen/main.go`` (declaration
stubs of the curated standard-library packages, read with ``go/types``), then
compiles those packages with ``-gcflags=PKG=-m=2 -d=escapemutationscalls`` and
reads the compiler's own verdict on every parameter ("leaking param: p",
"leaking param content: p", "... to result ~r0 level=N", "mutates param",
"calls param") back into parameter tags, keyed by the functions' parameter
positions.  The result is written as a Python module (stub text plus tags), so
that ``gomem escape`` needs no Go toolchain at run time.
"""

from __future__ import annotations

import json
import os
import pprint
import re
import subprocess
import sys
from pathlib import Path

#: packages whose whole exported API is described; others appear only as far
#: as their types are mentioned
CURATED = [
    "fmt", "strings", "strconv", "errors", "sort", "time", "sync", "sync/atomic",
    "os", "bytes", "math", "math/rand", "unicode", "unicode/utf8", "io", "bufio",
    "container/list", "container/heap", "context", "runtime", "log", "math/bits",
    "bytes", "regexp", "encoding/json", "path/filepath", "path",
    "encoding/binary", "encoding/hex", "encoding/base64", "encoding/csv", "hash", "hash/fnv", "hash/crc32",
    "crypto/sha256", "crypto/md5", "unicode/utf16", "math/rand/v2", "math/cmplx", "container/ring", "flag",
    "text/tabwriter", "net/url", "os/signal", "io/fs", "runtime/debug", "html", "slices", "maps", "cmp", "iter",
    "strings", "os/exec", "text/template", "net", "net/http", "reflect", "runtime/metrics", "unique", "weak",
    "runtime/pprof",
]

HERE = Path(__file__).resolve().parent
MSG = re.compile(r"^(?P<pos>.+?:\d+:\d+): (?P<msg>.*)$")


def _go_env() -> dict:
    env = dict(os.environ)
    env.setdefault("GOTOOLCHAIN", "local")
    return env


def run_stdgen(pkgs: list[str]) -> list[dict]:
    out = subprocess.run(["go", "run", "main.go", *pkgs], cwd=HERE / "stdgen", env=_go_env(),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def compiler_messages(pkgs: list[str]) -> dict[str, list[str]]:
    """position -> the -m=2 lines printed there, for every package in pkgs."""
    cmd = ["go", "build", "-a"]
    for p in pkgs:
        cmd.append(f"-gcflags={p}=-m=2 -d=escapemutationscalls")
    cmd += pkgs
    res = subprocess.run(cmd, env=_go_env(), capture_output=True, text=True)
    by_pos: dict[str, list[str]] = {}
    for line in (res.stdout + res.stderr).splitlines():
        m = MSG.match(line)
        if m:
            by_pos.setdefault(m["pos"], []).append(m["msg"])
    return by_pos


def tag_of(name: str, results: list[str], msgs: list[str]) -> list[int] | None:
    """The parameter's leaks as [heap, mutator, callee, result0..result4] (-1: none).

    None when the compiler said nothing about the parameter (no pointers, or
    not compiled): callers then use the conservative "leaks to heap".
    """
    tag = [-1] * 8
    said = False
    content_levels: list[int] = []

    def add(i: int, v: int):
        if tag[i] < 0 or v < tag[i]:
            tag[i] = v

    for m in msgs:
        if m == f"leaking param: {name}" or m == f"moved to heap: {name}":
            add(0, 0); said = True
        elif m == f"leaking param content: {name}":
            said = True
            content_levels.append(1)
        elif m.startswith(f"leaking param: {name} to result "):
            said = True
            mm = re.match(r"leaking param: \S+ to result (\S+) level=(\d+)", m)
            if mm:
                r = mm[1]
                idx = results.index(r) if r in results else int(r[2:]) if r.startswith("~r") else 0
                if idx < 5:
                    add(3 + idx, int(mm[2]))
        elif m.startswith(f"mutates param: {name} derefs="):
            add(1, int(m.rsplit("=", 1)[1])); said = True
        elif m.startswith(f"calls param: {name} derefs="):
            add(2, int(m.rsplit("=", 1)[1])); said = True
        elif m.startswith(f"parameter {name} leaks to {{heap}} for ") and "with derefs=" in m:
            content_levels.append(int(m.rsplit("=", 1)[1].rstrip(":")))
        elif m in (f"{name} does not escape", f"{name} does not escape, mutate, or call"):
            said = True
    if content_levels and tag[0] != 0:
        lv = min(content_levels)
        if any(m == f"leaking param content: {name}" for m in msgs):
            lv = max(lv, 1)
        add(0, lv)
    return tag if said else None


def generate() -> dict:
    pkgs = sorted(set(CURATED))
    stubs = run_stdgen(pkgs)
    msgs = compiler_messages([p["path"] for p in stubs])
    data = {}
    for p in stubs:
        tags = {}
        for f in p["funcs"] or []:
            ft = []
            for prm in f["params"] or []:
                ft.append(tag_of(prm["name"], f["results"], msgs.get(prm["pos"], [])) if prm["name"] not in ("", "_") else [-1] * 8)
            tags[f["key"]] = ft
        data[p["path"]] = {"name": p["name"], "stub": p["stub"], "tags": tags, "full": p["full"]}
    return data


def main() -> int:
    data = generate()
    ver = subprocess.run(["go", "version"], env=_go_env(), capture_output=True, text=True).stdout.strip()
    out = HERE / "_stdlib_data.py"
    text = ('"""Generated by ``python -m gomem.compile.gen_stdlib`` from ' + ver + '; do not edit.\n\n'
            "Per package: Go-syntax declaration stubs and, per function, each parameter's\n"
            "escape tag [heap, mutator, callee, result0, ...] as the real compiler computed it\n"
            '(-1: no flow; None: unknown)."""\n\n'
            "PACKAGES = " + pprint.pformat(data, width=120, sort_dicts=True) + "\n")
    out.write_text(text)
    print(f"wrote {out} ({len(data)} packages)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
