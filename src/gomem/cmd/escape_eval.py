"""How close ``gomem escape`` is to the real compiler's escape analysis.

The corpus (``tests/escape_corpus/*.go``) holds small single-file Go
programs.  For each one the real compiler's ``go build -gcflags "-m -l"``
diagnostics and gomem's (``gomem escape FILE -m -l``) are reduced to lines
``file.go:LINE:COL: message`` and compared as multisets: a gomem line is
*matched* when the compiler printed the identical line (same file, line,
column and words).  Over the corpus::

    precision = matched / lines gomem printed
    recall    = matched / lines the compiler printed

Figures are given per category (the file name up to its first ``_``:
``seed``, ``ret``, ``chan``, ``closure`` …) and in total.

The compiler's lines come from the installed Go toolchain (cached per
source and toolchain under ``~/.cache/gomem/escape``); where there is none,
from the stored outputs in ``CORPUS/expected/NAME.txt`` that
``--update-expected`` writes.  Command line::

    python -m gomem.cmd.escape_eval tests/escape_corpus [--stored] [--update-expected]
                                                    [-v] [--mismatches N] [-j JOBS]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from gomem.cmd import realgo
from gomem.errors import GomemError

__all__ = [
    "GCFLAGS", "Diagnostics", "ProgramResult", "Figures", "Report",
    "normalize", "corpus_programs", "category", "compiler_lines", "stored_lines",
    "write_expected", "gomem_lines", "compare", "evaluate", "format_report", "main",
]

#: the flags the corpus is compiled with (as in the seed article)
GCFLAGS = "-m -l"

#: ``[./dir/]file.go:LINE:COL: message`` -- a compiler diagnostic
_DIAG_RE = re.compile(r"^(?:.*[/\\])?([^/\\:\s]+\.go):(\d+):(\d+): (.*?)\s*$")

Diagnostics = list[str]


def normalize(text: str) -> Diagnostics:
    """The diagnostic lines of ``text``, as ``file.go:L:C: message``.

    Directories (``./``, a temp dir) are dropped from the file name and
    trailing blanks from the message; lines that are not diagnostics
    (``# command-line-arguments``, blank lines) are left out.  Order and
    repeats are kept: the compiler may print a line twice.
    """
    out = []
    for line in text.splitlines():
        m = _DIAG_RE.match(line)
        if m:
            name, ln, col, msg = m.groups()
            out.append(f"{name}:{int(ln)}:{int(col)}: {msg}")
    return out


def corpus_programs(corpus: str | os.PathLike[str]) -> list[Path]:
    """The ``*.go`` files of the corpus directory, sorted by name."""
    d = Path(corpus)
    if not d.is_dir():
        raise GomemError(f"escape corpus {d} is not a directory")
    progs = sorted(p for p in d.glob("*.go") if p.is_file())
    if not progs:
        raise GomemError(f"escape corpus {d} has no .go files")
    return progs


def category(path: str | os.PathLike[str]) -> str:
    """A program's category: its file name up to the first ``_`` (``ret_local_addr.go`` -> ``ret``)."""
    stem = Path(path).stem
    return stem.split("_", 1)[0]


# ---------------------------------------------------------------- the compiler

def _escape_cache_dir() -> Path:
    d = realgo.cache_dir() / "escape"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _cache_key(text: str, version: str) -> str:
    h = hashlib.sha256()
    benv = realgo.go_env()
    for part in (text, version, GCFLAGS,
                 *(f"{v}={benv.get(v, '')}" for v in ("GOEXPERIMENT", "GOOS", "GOARCH", "GOAMD64",
                                                       "GOARM64", "GOFLAGS"))):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def compiler_lines(path: str | os.PathLike[str], timeout: float = 300, use_cache: bool = True) -> Diagnostics:
    """The real compiler's ``-gcflags "-m -l"`` diagnostics for one program.

    The file is copied alone into a temp directory and built there
    (``go build -gcflags "-m -l" -o /dev/null FILE``, cwd the temp dir), so
    the compiler names it ``./FILE``.  Results are cached per source text,
    toolchain version and build environment.  Raises :class:`GomemError`
    if Go is missing or the program does not compile.
    """
    p = Path(path)
    exe = realgo.find_go()
    if exe is None:
        raise GomemError(f"the real Go toolchain is needed here but none was found ({realgo.NO_GO_REASON})")
    text = p.read_text()
    cached = None
    if use_cache:
        cached = _escape_cache_dir() / f"{p.stem}-{_cache_key(text, realgo.go_version())}.txt"
        if cached.is_file():
            return cached.read_text().splitlines()
    with tempfile.TemporaryDirectory(prefix="gomem-escape-") as tmp:
        src = Path(tmp) / p.name
        src.write_text(text)
        try:
            r = subprocess.run([exe, "build", f"-gcflags={GCFLAGS}", "-o", os.devnull, p.name],
                               cwd=tmp, env=realgo.build_env(), capture_output=True, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GomemError(f"go build {p.name} took longer than {timeout} s") from None
    if r.returncode != 0:
        msg = " | ".join(r.stderr.strip().splitlines()[:8])
        raise GomemError(f"go build -gcflags='{GCFLAGS}' {p.name} failed: {msg}")
    lines = normalize(r.stdout + "\n" + r.stderr)
    if cached is not None:
        staged = cached.with_name(cached.name + f".{os.getpid()}.tmp")
        staged.write_text("".join(x + "\n" for x in lines))
        os.replace(staged, cached)
    return lines


def _expected_path(corpus: Path, prog: Path) -> Path:
    return corpus / "expected" / (prog.stem + ".txt")


def stored_lines(corpus: str | os.PathLike[str], prog: str | os.PathLike[str]) -> Diagnostics:
    """The compiler's lines for ``prog`` as stored in ``CORPUS/expected/NAME.txt``."""
    f = _expected_path(Path(corpus), Path(prog))
    if not f.is_file():
        raise GomemError(f"no stored compiler output {f} (run python -m gomem.cmd.escape_eval "
                         f"{corpus} --update-expected with Go installed)")
    return [ln for ln in f.read_text().splitlines() if ln and not ln.startswith("#")]


def expected_text(lines: Sequence[str], version: str) -> str:
    """The contents of an ``expected/NAME.txt`` file."""
    head = f'# go build -gcflags "{GCFLAGS}" ({version}); generated by python -m gomem.cmd.escape_eval --update-expected\n'
    return head + "".join(x + "\n" for x in lines)


def write_expected(corpus: str | os.PathLike[str], jobs: int = 8) -> list[Path]:
    """Regenerate ``CORPUS/expected/*.txt`` from the installed compiler; returns the files written."""
    c = Path(corpus)
    progs = corpus_programs(c)
    version = realgo.go_version()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        outs = list(ex.map(compiler_lines, progs))
    (c / "expected").mkdir(exist_ok=True)
    written = []
    for prog, lines in zip(progs, outs):
        f = _expected_path(c, prog)
        f.write_text(expected_text(lines, version))
        written.append(f)
    keep = {f.name for f in written}
    for stale in (c / "expected").glob("*.txt"):
        if stale.name not in keep:
            stale.unlink()
    return written


# ---------------------------------------------------------------------- gomem

def _escape_api() -> Callable[[Path], str] | None:
    """A function running gomem's escape analysis on a file and returning its ``-m -l`` text
    (``gomem.compile.analyze_file(path, m=1).lines``), if the package offers one; None to go
    through the command line."""
    try:
        import gomem.compile as esc  # noqa: PLC0415
    except ImportError:
        return None
    fn = getattr(esc, "analyze_file", None)
    if not callable(fn):
        return None

    def call(p: Path) -> str:
        return "\n".join(fn(str(p), m=1).lines)
    return call


def _via_cli(path: Path) -> str:
    from gomem.cmd import cli  # noqa: PLC0415
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(["escape", str(path), "-m", "-l"])
        except SystemExit as e:  # argparse errors
            status = e.code if isinstance(e.code, int) else 2
    if status not in (0, None):
        raise GomemError(f"gomem escape {path.name} exited {status}: {err.getvalue().strip()[:300]}")
    # diagnostics on stdout; stderr carries gomem's own notes ("gomem: not analysed: ...")
    return out.getvalue()


def gomem_available() -> str | None:
    """None if ``gomem.compile`` can be imported, else why not."""
    try:
        import gomem.compile as esc  # noqa: PLC0415
    except ImportError as e:
        return f"gomem.compile is not importable yet ({e})"
    if getattr(esc, "__file__", None) is None:  # a bare directory: a namespace package
        return "gomem.compile is not written yet (src/gomem/compile has no __init__.py)"
    return None


def gomem_lines(path: str | os.PathLike[str]) -> Diagnostics:
    """gomem's ``-m -l`` diagnostics for one program, normalized like the compiler's."""
    p = Path(path)
    api = _escape_api()
    text = api(p) if api is not None else _via_cli(p)
    return normalize(text)


# ------------------------------------------------------------------ comparing

@dataclass
class ProgramResult:
    """One program: the compiler's lines, gomem's, and what matched."""

    name: str
    expected: Diagnostics
    got: Diagnostics
    error: str | None = None
    matched: int = 0
    missing: Diagnostics = field(default_factory=list)  #: printed by the compiler only
    extra: Diagnostics = field(default_factory=list)    #: printed by gomem only
    other_files: int = 0  #: lines positioned in other files (generic library code), not compared

    @property
    def category(self) -> str:
        return category(self.name)

    @property
    def exact(self) -> bool:
        return self.error is None and not self.missing and not self.extra


def compare(name: str, expected: Iterable[str], got: Iterable[str], error: str | None = None) -> ProgramResult:
    """Match two diagnostic lists line by line (as multisets).

    Only lines about the program's own file count.  The compiler also
    prints diagnostics positioned in the standard library's files when the
    program instantiates a generic library function (``slices.SortFunc``
    -> ``zsortanyfunc.go:…``); those are about the library's code, not the
    program's, and are left out of both sides (counted in ``other_files``).
    """
    own = name + ":"
    exp_all, got_all = list(expected), list(got)
    exp = [x for x in exp_all if x.startswith(own)]
    gt = [x for x in got_all if x.startswith(own)]
    other = (len(exp_all) - len(exp)) + (len(got_all) - len(gt))
    ce, cg = Counter(exp), Counter(gt)
    both = ce & cg
    only_exp, only_got = ce - cg, cg - ce
    missing = [x for x in exp if _take(only_exp, x)]
    extra = [x for x in gt if _take(only_got, x)]
    return ProgramResult(name, exp, gt, error, sum(both.values()), missing, extra, other)


def _take(counter: Counter[str], x: str) -> bool:
    # keeps the original order while honouring multiplicities (mutates counter)
    if counter[x] > 0:
        counter[x] -= 1
        return True
    return False


@dataclass
class Figures:
    """Matched / printed counts for a set of programs."""

    programs: int = 0
    exact: int = 0
    matched: int = 0
    gomem: int = 0
    compiler: int = 0
    other_files: int = 0  #: lines in other files, not compared

    def add(self, r: ProgramResult) -> None:
        self.programs += 1
        self.other_files += r.other_files
        self.exact += r.exact
        self.matched += r.matched
        self.gomem += len(r.got)
        self.compiler += len(r.expected)

    @property
    def precision(self) -> float:
        return self.matched / self.gomem if self.gomem else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.compiler if self.compiler else 1.0


@dataclass
class Report:
    """The whole corpus: per-program results and where the compiler's lines came from."""

    results: list[ProgramResult]
    source: str  #: "go1.27.3" (the installed compiler) or "stored"

    def figures(self, cat: str | None = None) -> Figures:
        f = Figures()
        for r in self.results:
            if cat is None or r.category == cat:
                f.add(r)
        return f

    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.results:
            seen.setdefault(r.category, None)
        return sorted(seen)

    @property
    def total(self) -> Figures:
        return self.figures()


def evaluate(corpus: str | os.PathLike[str], use_go: bool | None = None, jobs: int = 8,
             gomem: Callable[[Path], Diagnostics] = gomem_lines) -> Report:
    """Compare gomem with the compiler on every program of ``corpus``.

    ``use_go``: True runs the installed compiler, False reads the stored
    outputs, None (default) runs the compiler when there is one.  A program
    gomem fails on counts as printing nothing (its error is kept).
    """
    c = Path(corpus)
    progs = corpus_programs(c)
    if use_go is None:
        use_go = realgo.find_go() is not None
    if use_go:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
            expected = list(ex.map(compiler_lines, progs))
        source = realgo.go_version()
    else:
        expected = [stored_lines(c, p) for p in progs]
        source = "stored"
    results = []
    for prog, exp in zip(progs, expected):
        try:
            got, err = gomem(prog), None
        except Exception as e:  # noqa: BLE001 -- a crash on one program is a finding, not the end
            got, err = [], f"{type(e).__name__}: {e}"
        results.append(compare(prog.name, exp, got, err))
    return Report(results, source)


# ------------------------------------------------------------------- printing

def _pct(x: float, denominator: int = 1) -> str:
    return f"{100 * x:6.2f}%" if denominator else "n/a"


def format_figures(rep: Report) -> str:
    """The per-category and total table."""
    rows = [f"{'category':<10} {'programs':>8} {'exact':>6} {'compiler':>8} {'gomem':>6} "
            f"{'matched':>7} {'precision':>9} {'recall':>8}"]
    for cat in rep.categories() + [None]:
        f = rep.figures(cat)
        rows.append(f"{cat or 'TOTAL':<10} {f.programs:>8} {f.exact:>6} {f.compiler:>8} {f.gomem:>6} "
                    f"{f.matched:>7} {_pct(f.precision, f.gomem):>9} {_pct(f.recall, f.compiler):>8}")
    return "\n".join(rows)


def format_mismatches(rep: Report, limit: int | None = None) -> str:
    """Per program, the lines only the compiler printed (``-``) and only gomem printed (``+``)."""
    out = []
    for r in rep.results:
        if r.exact:
            continue
        out.append(f"{r.name}: matched {r.matched}/{len(r.expected)} compiler lines, "
                   f"{len(r.extra)} extra gomem line(s)" + (f"; gomem failed: {r.error}" if r.error else ""))
        shown = [("-", x) for x in r.missing] + [("+", x) for x in r.extra]
        for sign, x in (shown if limit is None else shown[:limit]):
            out.append(f"  {sign} {x}")
        if limit is not None and len(shown) > limit:
            out.append(f"  … {len(shown) - limit} more")
    return "\n".join(out)


def format_report(rep: Report, verbose: bool = False, limit: int | None = None) -> str:
    t = rep.total
    head = (f"escape analysis, gomem vs the compiler ({rep.source}, -gcflags \"{GCFLAGS}\"): "
            f"{t.programs} programs, {t.exact} exact; precision {_pct(t.precision, t.gomem).strip()}, "
            f"recall {_pct(t.recall, t.compiler).strip()}")
    if t.other_files:
        head += (f"\n({t.other_files} lines positioned in standard-library files, printed for generic "
                 f"instantiations, are not compared)")
    parts = [head, "", format_figures(rep)]
    if verbose:
        mm = format_mismatches(rep, limit)
        if mm:
            parts += ["", mm]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gomem.cmd.escape_eval",
                                 description="precision/recall of gomem escape against go build -gcflags '-m -l'")
    ap.add_argument("corpus", nargs="?", default="tests/escape_corpus", help="directory of .go programs")
    ap.add_argument("--stored", action="store_true",
                    help="use the stored compiler outputs (CORPUS/expected) even when Go is installed")
    ap.add_argument("--update-expected", action="store_true",
                    help="regenerate CORPUS/expected/*.txt from the installed compiler, then evaluate")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mismatched line")
    ap.add_argument("--mismatches", type=int, default=None, metavar="N",
                    help="with -v, at most N mismatched lines per program")
    ap.add_argument("-j", "--jobs", type=int, default=8, help="compiler runs in parallel")
    a = ap.parse_args(argv)
    try:
        if a.update_expected:
            written = write_expected(a.corpus, a.jobs)
            print(f"wrote {len(written)} files under {Path(a.corpus) / 'expected'}", file=sys.stderr)
        why = gomem_available()
        if why is not None:
            print(f"gomem.cmd.escape_eval: {why}", file=sys.stderr)
            return 0 if a.update_expected else 2
        rep = evaluate(a.corpus, use_go=False if a.stored else None, jobs=a.jobs)
    except GomemError as e:
        print(f"gomem.cmd.escape_eval: {e}", file=sys.stderr)
        return 2
    print(format_report(rep, a.verbose, a.mismatches))
    return 0


if __name__ == "__main__":
    sys.exit(main())
