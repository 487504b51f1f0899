"""The one writer of gomem's output files (``--json``, ``--html``, ``--svg`` …), and its up-front check.

:func:`write_output` writes a whole text to a path the way a user expects
of a command-line tool:

* ``-`` is standard output; so are ``/dev/stdout`` and ``/dev/fd/1`` (and
  ``/dev/stderr``, ``/dev/fd/2`` standard error): the text goes through the
  process's own stream, so it lands after what gomem already printed there,
  whatever that stream is (a terminal, a pipe, a file); another open
  descriptor's ``/dev/fd/N`` is written through that descriptor;
* a character device (``/dev/null``, ``/dev/full``), a FIFO or a socket is
  opened and written straight, never replaced;
* a regular file, or a path that does not exist yet, is written atomically:
  a temporary file in the same directory, then a rename, so readers see the
  old file or the whole new one and a failure leaves nothing behind; an
  existing file keeps its permission bits, a new one gets the umask's;
* a symbolic link is followed: its target is written as above and the link
  stays a link.

Errors are :class:`~gomem.errors.BadInput` with one line in Go's words
(``os.PathError``: ``open PATH: permission denied``, ``write PATH: no space
left on device``; an empty path is ``open : no such file or directory``).
After each successful write of a named file (not standard output or
error) ``gomem: wrote PATH`` goes to standard error.

:func:`check_writable` is the check the command line makes before a long
run: it accepts exactly the paths :func:`write_output` can write.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from typing import TextIO

from ..errors import BadInput

#: Go's text for the errnos an output file meets (``syscall`` package, zerrors_linux)
_GO_ERRNO = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "not a directory",
    errno.ENOSPC: "no space left on device",
    errno.EROFS: "read-only file system",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENAMETOOLONG: "file name too long",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
    errno.ENXIO: "no such device or address",
    errno.EPIPE: "broken pipe",
    errno.EBADF: "bad file descriptor",
    errno.EXDEV: "invalid cross-device link",
    errno.ETXTBSY: "text file busy",
}

#: paths naming one of this process's open file descriptors (``/proc/PID/fd/N`` with our PID)
_FD_PATH = re.compile(r"/(?:dev/fd|proc/self/fd|proc/(\d+)/fd)/(\d+)")
_STDOUT_NAMES = ("/dev/stdout",)
_STDERR_NAMES = ("/dev/stderr",)


def go_error(op: str, path: str | os.PathLike, e: OSError) -> BadInput:
    """``op path: reason`` as Go's ``*os.PathError`` prints it."""
    reason = _GO_ERRNO.get(e.errno) if e.errno is not None else None
    if reason is None:
        text = e.strerror or (os.strerror(e.errno) if e.errno else str(e))
        reason = text[:1].lower() + text[1:]
    return BadInput(f"{op} {os.fspath(path)}: {reason}")


def _oserror(err: int) -> OSError:
    return OSError(err, os.strerror(err))


def _stream_of(path: str) -> TextIO | int | None:
    """The open stream *path* names in this process (sys.stdout, sys.stderr or a descriptor number), else None.

    OSError (ENOENT) for ``/dev/fd/N`` when descriptor N is not open.
    """
    if path == "-" or path in _STDOUT_NAMES:
        return sys.stdout
    if path in _STDERR_NAMES:
        return sys.stderr
    m = _FD_PATH.fullmatch(os.path.normpath(path)) if path.startswith(("/dev/fd/", "/proc/")) else None
    if m is None or (m.group(1) is not None and int(m.group(1)) != os.getpid()):
        return None
    fd = int(m.group(2))
    if fd == 1:
        return sys.stdout
    if fd == 2:
        return sys.stderr
    try:
        os.fstat(fd)
    except OSError:
        raise _oserror(errno.ENOENT) from None  # not open here: there is no such file
    return fd


def is_stdout(path: str) -> bool:
    """Whether writing *path* writes this process's standard output (``-``, ``/dev/stdout``, ``/dev/fd/1`` …)."""
    try:
        return _stream_of(path) is sys.stdout
    except OSError:
        return False


def _kind(path: str) -> tuple[str, os.stat_result | None]:
    """What *path* is once symlinks are followed: ("missing"|"dir"|"file"|"special", stat), or OSError."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.endswith("/"):  # open("new/", O_CREAT) on Linux
            raise _oserror(errno.EISDIR) from None
        return "missing", None
    if stat.S_ISDIR(st.st_mode):
        return "dir", st
    if stat.S_ISREG(st.st_mode):
        return "file", st
    return "special", st  # character or block device, FIFO, socket


def _target(path: str) -> str:
    """The file a write to *path* changes: symlinks followed (the last may dangle)."""
    return os.path.realpath(path)


def check_writable(path: str | os.PathLike) -> None:
    """BadInput (Go's words) unless :func:`write_output` can write *path*; nothing is created."""
    path = os.fspath(path)
    if path == "":
        raise go_error("open", path, _oserror(errno.ENOENT))
    try:
        if _stream_of(path) is not None:
            return
        kind, _ = _kind(path)
    except OSError as e:
        raise go_error("open", path, e) from None
    if kind == "dir":
        raise go_error("open", path, _oserror(errno.EISDIR))
    if kind in ("file", "special"):
        if not os.access(path, os.W_OK):
            raise go_error("open", path, _oserror(errno.EACCES))
        return
    d = os.path.dirname(_target(path)) or "."
    if not os.path.isdir(d):
        raise go_error("open", path, _oserror(errno.ENOTDIR if os.path.exists(d) else errno.ENOENT))
    if not os.access(d, os.W_OK | os.X_OK):
        raise go_error("open", path, _oserror(errno.EACCES))


def write_output(path: str | os.PathLike, text: str | bytes) -> None:
    """Write *text* (UTF-8; bytes as they are: a gzipped profile) to *path* as the module docstring says;
    BadInput on failure."""
    path = os.fspath(path)
    if path == "":
        raise go_error("open", path, _oserror(errno.ENOENT))
    try:
        stream = _stream_of(path)
        if stream is None:
            kind, st = _kind(path)
    except OSError as e:
        raise go_error("open", path, e) from None
    if stream is not None:
        _write_stream(path, stream, text)
        if isinstance(stream, int):
            _wrote(path)
        return
    data = text.encode("utf-8") if isinstance(text, str) else text
    if kind == "dir":
        raise go_error("open", path, _oserror(errno.EISDIR))
    if kind == "special":
        _write_in_place(path, path, data, create=False)
    else:
        if kind == "file" and not os.access(path, os.W_OK):
            # what Go's os.Create says, though a rename could replace the file
            raise go_error("open", path, _oserror(errno.EACCES))
        _write_atomic(path, _target(path), data, st)
    _wrote(path)


def _wrote(path: str) -> None:
    print(f"gomem: wrote {path}", file=sys.stderr, flush=True)


def _write_stream(path: str, stream: TextIO | int, text: str | bytes) -> None:
    name = "/dev/stdout" if stream is sys.stdout else "/dev/stderr" if stream is sys.stderr else path
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        if isinstance(stream, int):
            _write_all(stream, data)
        elif hasattr(stream, "buffer"):  # UTF-8 whatever the stream's encoding (the pages hold CJK titles)
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        else:  # a StringIO (tests, notebooks)
            stream.write(text if isinstance(text, str) else text.decode("latin-1"))
            stream.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise go_error("write", name, e) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _write_in_place(path: str, name: str, data: bytes, *, create: bool) -> None:
    """Open *path* for writing (truncating a regular file) and write *data*: devices, FIFOs, unrenameable files.

    Errors name *name*, the path as the user gave it.
    """
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    if create:
        flags |= os.O_CREAT | os.O_TRUNC
    # anything gomem printed must come first on a device shared with stdout (a tty)
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except (OSError, ValueError):
            pass
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as e:
        raise go_error("open", name, e) from None
    try:
        _write_all(fd, data)
    except OSError as e:
        _close_quietly(fd)
        raise go_error("write", name, e) from None
    except BaseException:
        _close_quietly(fd)
        raise
    _close(fd, name)


def _close(fd: int, name: str) -> None:
    try:
        os.close(fd)
    except OSError as e:  # a deferred write error (NFS, a full disk)
        raise go_error("close", name, e) from None


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _write_atomic(path: str, target: str, data: bytes, st: os.stat_result | None) -> None:
    """A temporary file beside *target*, renamed over it; errors name *path*, the user's name."""
    d = os.path.dirname(target) or "."
    if not os.path.isdir(d):
        raise go_error("open", path, _oserror(errno.ENOTDIR if os.path.exists(d) else errno.ENOENT))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=d)
    except OSError as e:
        if st is not None and e.errno in (errno.EACCES, errno.EPERM):
            # a writable file in a directory we may not create in: rewrite it in place, as Go would
            _write_in_place(target, path, data, create=True)
            return
        raise go_error("open", path, e) from None
    try:
        try:
            _write_all(fd, data)
        except OSError as e:
            _close_quietly(fd)
            raise go_error("write", path, e) from None
        except BaseException:
            _close_quietly(fd)
            raise
        _close(fd, path)
        if st is not None:
            mode = stat.S_IMODE(st.st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except OSError as e:
            raise go_error("open", path, e) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
