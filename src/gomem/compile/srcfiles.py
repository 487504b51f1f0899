"""The source files of a package and their positions: the go command's file selection and the
compiler's position bases.

A package is the ``.go`` files of one directory that the go command selects (:func:`package_files`):
sorted by name; ``_test.go`` files and names starting with ``_`` or ``.`` left out; files whose
name (``x_windows.go``, ``x_arm64.go``) or ``//go:build`` line (``// +build`` lines where there is
none) excludes them on the target left out.  gomem models linux/amd64 with the gc toolchain of
Go 1.27, so the satisfied tags are ``linux``, ``amd64``, ``unix``, ``gc``, ``amd64.v1``, the release
tags ``go1.1`` to ``go1.27``, and ``cgo`` where cgo would be enabled (``CGO_ENABLED=1``, or unset
with a C compiler on PATH).  Simplification: no ``-tags`` and no ``goexperiment.*`` tags.

Positions are ``(line, col)`` tuples, as for a single file, whose line also names the file, as the
compiler's ``src.XPos`` pairs a position base (one per file) with a line and column: the file's
index in the package times ``1 << LINE_BITS`` plus its line.  The first file's positions are its
plain lines; positions of different files never compare equal and sort as the compiler's
``XPos.Before`` does (file order, then line, then column).  Each file's syntax tree is read through
a root shifted by that many rows (``Tree.root_node_with_offset``), so every position taken from a
node (:func:`gomem.compile.syntax.start`, :func:`gomem.compile.syntax.pos`) carries its file without
the checker keeping track of which file it is in.  :class:`FileSet` turns a position back into
``file:line:col`` (the compiler's ``base.FmtPos``).
"""

from __future__ import annotations

import os
import re
import shutil
from typing import Optional

from ..errors import BadInput
from . import syntax as S

#: bits of a position's line that count lines within its file (Go's lico has 20 line bits too)
LINE_BITS = 20
LINE_MASK = (1 << LINE_BITS) - 1
#: the Go release gomem models: release tags go1.1 ... go1.27
GO_MINOR = 27
GOOS, GOARCH = "linux", "amd64"

# internal/syslist
KNOWN_OS = frozenset("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
                     "solaris wasip1 windows zos".split())
KNOWN_ARCH = frozenset("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
                       "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split())


def file_index(pos) -> int:
    """The index in its package of the file a position is in."""
    return pos[0] >> LINE_BITS


def line_of(pos) -> int:
    """A position's line within its file."""
    return pos[0] & LINE_MASK


class SrcFile:
    """One source file of the package, and its position base."""

    def __init__(self, index: int, path: str, name: str, src: bytes, tree):
        self.index = index
        self.path = path  # as the file was named (joined to the directory given)
        self.name = name  # as positions print it (display_name)
        self.src = src
        self.tree = tree
        #: the root to read the file through: its rows shifted into the file's range of lines
        self.root = tree.root_node_with_offset(0, (index << LINE_BITS, 0)) if index else tree.root_node
        self.scope = None  # the file scope (imports), set by the checker
        self._lines: Optional[list[str]] = None

    @property
    def base_line(self) -> int:
        """What this file adds to its lines in positions."""
        return self.index << LINE_BITS

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.src.decode("utf-8", "surrogateescape").splitlines()
        return self._lines

    def __repr__(self) -> str:
        return f"<SrcFile {self.index} {self.name}>"


class FileSet:
    """The files of a package in the order the compiler is given them (the compiler's position table)."""

    def __init__(self, files: list[SrcFile], dir: str = ""):
        self.files = files
        self.dir = dir  # the package directory as given, or "" for one file

    @classmethod
    def single(cls, src: bytes, name: str = "./main.go", path: str = "") -> "FileSet":
        """One file (raises SyntaxErr if it does not parse)."""
        return cls([SrcFile(0, path or name, name, src, S.parse(src))])

    def file(self, pos) -> SrcFile:
        i = pos[0] >> LINE_BITS
        return self.files[i] if i < len(self.files) else self.files[0]

    def file_of_node(self, n) -> SrcFile:
        return self.files[n.start_point[0] >> LINE_BITS]

    def fmt(self, pos) -> str:
        """``file:line:col`` as the compiler prints a position."""
        if pos is None:
            return "<unknown line number>"
        return f"{self.file(pos).name}:{pos[0] & LINE_MASK}:{pos[1]}"

    @property
    def name(self) -> str:
        """The first file's name (what a single-file program's messages name)."""
        return self.files[0].name if self.files else ""


# -- which files: the go command's selection ----------------------------------------------------------


def _cgo_enabled() -> bool:
    v = os.environ.get("CGO_ENABLED")
    if v is not None:
        return v == "1"
    cc = os.environ.get("CC", "").split()
    return any(shutil.which(c) for c in ([cc[0]] if cc else ["gcc", "clang"]))


def _tag_ok(tag: str) -> bool:
    """Whether a build tag is satisfied on gomem's target (go/build's matchTag)."""
    if tag in (GOOS, GOARCH, "gc", "unix", "amd64.v1"):
        return True
    if tag == "cgo":
        return _cgo_enabled()
    m = re.fullmatch(r"go1\.(\d+)", tag)
    return bool(m) and 1 <= int(m[1]) <= GO_MINOR


def good_os_arch_file(name: str) -> bool:
    """go/build's goodOSArchFile: whether a ``_GOOS``/``_GOARCH`` suffix of the name allows the target."""
    name = name.split(".", 1)[0]
    i = name.find("_")
    if i < 0:
        return True
    parts = name[i:].split("_")
    if parts and parts[-1] == "test":
        parts = parts[:-1]
    if len(parts) >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return _tag_ok(parts[-1]) and _tag_ok(parts[-2])
    if parts and (parts[-1] in KNOWN_OS or parts[-1] in KNOWN_ARCH):
        return _tag_ok(parts[-1])
    return True


class ConstraintError(Exception):
    pass


def _eval_go_build(expr: str) -> bool:
    """Evaluate a ``//go:build`` expression (go/build/constraint's grammar: ``||``, ``&&``, ``!``, parentheses, tags)."""
    toks = re.findall(r"\|\||&&|[!()]|[A-Za-z0-9_.]+|\S", expr)
    i = 0

    def peek():
        return toks[i] if i < len(toks) else None

    def take():
        nonlocal i
        t = peek()
        i += 1
        return t

    def or_():
        v = and_()
        while peek() == "||":
            take()
            v = and_() or v
        return v

    def and_():
        v = not_()
        while peek() == "&&":
            take()
            v = not_() and v
        return v

    def not_():
        t = take()
        if t == "!":
            return not not_()
        if t == "(":
            v = or_()
            if take() != ")":
                raise ConstraintError("missing )")
            return v
        if t is None:
            raise ConstraintError("unexpected end of expression")
        if not re.fullmatch(r"[A-Za-z0-9_.]+", t):
            raise ConstraintError(f"unexpected token {t}")
        return _tag_ok(t)

    if not toks:
        raise ConstraintError("unexpected end of expression")
    v = or_()
    if i != len(toks):
        raise ConstraintError(f"unexpected token {toks[i]}")
    return v


def _eval_plus_build(line: str) -> bool:
    """The tags of a ``// +build`` line: space-separated alternatives of comma-separated (``!``-negatable) tags."""
    def term(t: str) -> bool:
        return all((not _tag_ok(a[1:])) if a.startswith("!") else _tag_ok(a) for a in t.split(","))
    return any(term(t) for t in line.split())


def should_build(src: bytes) -> bool:
    """go/build's shouldBuild: the file's ``//go:build`` line (or, without one, its ``// +build`` lines)."""
    text = src.decode("utf-8", "replace")
    go_build = None
    end = 0
    in_star = False
    header: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            end = len(header)
            header.append(line)
            continue
        header.append(line)
        if not in_star and re.match(r"//go:build(\s|$)", line):
            if go_build is not None:
                raise ConstraintError("multiple //go:build comments")
            go_build = line[len("//go:build"):]
        rest = line
        stop = False
        while rest:
            if in_star:
                k = rest.find("*/")
                if k < 0:
                    rest = ""
                    break
                in_star = False
                rest = rest[k + 2:].strip()
                continue
            if rest.startswith("//"):
                break
            if rest.startswith("/*"):
                in_star = True
                rest = rest[2:].strip()
                continue
            stop = True
            break
        if stop:
            break
    if go_build is not None:
        try:
            return _eval_go_build(go_build)
        except ConstraintError as e:
            raise ConstraintError(f"parsing //go:build line: {e}") from None
    ok = True
    for line in header[:end]:
        body = line[2:].lstrip() if line.startswith("//") else ""
        if body.startswith("+build") and (len(body) == 6 or body[6] in " \t"):
            if not _eval_plus_build(body[6:]):
                ok = False
    return ok


def package_files(dir: str) -> list[str]:
    """The ``.go`` files the go command compiles for the package in *dir*, sorted by name.

    BadInput in the go command's words when there are none (``no Go files in DIR``, ``build
    constraints exclude all Go files in DIR``), or the directory cannot be read.
    """
    absdir = os.path.abspath(dir)
    try:
        names = sorted(os.listdir(dir))
    except OSError as e:
        raise BadInput(f"open {dir}: {(e.strerror or str(e)).lower()}") from None
    gofiles = [n for n in names if n.endswith(".go") and not n.startswith(("_", "."))
               and os.path.isfile(os.path.join(dir, n))]
    out = []
    for n in gofiles:
        if n.endswith("_test.go") or not good_os_arch_file(n):
            continue
        p = os.path.join(dir, n)
        try:
            with open(p, "rb") as f:
                src = f.read()
        except OSError as e:
            raise BadInput(f"open {p}: {(e.strerror or str(e)).lower()}") from None
        try:
            if not should_build(src):
                continue
        except ConstraintError as e:
            raise BadInput(f"{display_name(p)}: {e}") from None
        out.append(p)
    if not out:
        if any(not n.endswith("_test.go") for n in gofiles):
            raise BadInput(f"package {dir}: build constraints exclude all Go files in {absdir}")
        if gofiles:  # (the go command names the package by its import path; gomem by the directory given)
            raise BadInput(f"{dir}: no non-test Go files in {absdir}")
        raise BadInput(f"no Go files in {absdir}")
    return out


def display_name(path: str) -> str:
    """The file name as ``go build`` prints it in positions.

    The compiler runs in the package directory and names the file ``./x.go``; the go
    command rewrites that to be relative to the current directory when the package
    directory is the current directory or below it (``./x.go``, ``sub/x.go``).
    """
    full = os.path.abspath(path)
    d, base = os.path.split(full)
    cwd = os.path.abspath(os.getcwd())
    if d == cwd:
        return "./" + base
    if d.startswith(cwd.rstrip("/") + "/"):
        return os.path.relpath(d, cwd) + "/" + base
    return "./" + base


def read_package(paths: list[str], dir: str = "") -> FileSet:
    """Read and parse the files of one package, in order.

    BadInput when a file cannot be read or the files name different packages (the go command's
    ``found packages main (a.go) and foo (b.go) in DIR``); SyntaxErr (with ``filename`` set) for
    the first file that does not parse.
    """
    files: list[SrcFile] = []
    pkgname = first = None
    errors: list = []
    for i, p in enumerate(paths):
        try:
            with open(p, "rb") as f:
                src = f.read()
        except OSError as e:
            raise BadInput(f"open {p}: {(e.strerror or str(e)).lower()}") from None
        tree = S.raw_parse(src)
        name = S.package_name(tree)
        if name == "documentation" and dir:  # go/build ignores such files
            continue
        if name is not None:
            if pkgname is None:
                pkgname, first = name, p
            elif name != pkgname and dir:
                raise BadInput(f"found packages {pkgname} ({os.path.basename(first)}) and {name} "
                               f"({os.path.basename(p)}) in {os.path.abspath(dir)}")
        sf = SrcFile(len(files), p, display_name(p), src, tree)
        try:
            S.check_tree(tree)
        except S.SyntaxErr as e:
            e.filename = sf.name
            errors.append(e)
        files.append(sf)
    if errors:
        raise errors[0]
    return FileSet(files, dir)


def load_package(path: str) -> FileSet:
    """The package at *path*: a directory (its selected files) or one ``.go`` file."""
    if os.path.isdir(path):
        return read_package(package_files(path), path)
    return read_package([path])
