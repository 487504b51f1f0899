"""Small file-system helpers shared by the command line and the writers of pictures and pages."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BadInput


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write *text* to *path* through a temporary file and a rename; BadInput on failure.

    Readers see the old file or the whole new one, never half of it; the
    file gets the usual permissions (the umask), and a failure leaves
    nothing behind.
    """
    p = Path(path)
    if p.is_dir():
        raise BadInput(f"cannot write {path}: it is a directory")
    d = p.resolve().parent
    if not d.is_dir():
        raise BadInput(f"cannot write {path}: directory {d} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=d)
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, p)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise BadInput(f"cannot write {path}: {e.strerror or e}") from None
        raise
