"""Running the command line in-process, for the CLI tests."""

from __future__ import annotations

import io
import sys

from gomem.cmd import cli


def gomem(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = cli.main(list(args))
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()
