"""One exception root (issue 16, item 6): the compiler front end's errors are GomemErrors too.

They stay what they were for every ``except`` that names them: the Go
program loader turns each into a ``BadInput`` with Go's position, and
``gomem escape`` prints the compiler's own message.
"""

from __future__ import annotations

import pytest

from gomem.compile import program as gorun
from gomem.errors import BadInput, GomemError
from gomem.compile.check_base import CheckError, Unsupported
from gomem.compile.syntax import SyntaxErr


@pytest.mark.parametrize("cls", [CheckError, Unsupported, SyntaxErr])
def test_front_end_errors_are_gomem_errors(cls):
    assert issubclass(cls, GomemError) and cls.exit_status == 2


@pytest.mark.parametrize(
    "src, message",
    [
        ("package main\n\nfunc main() {\n\tx := \n}\n", r"bad\.go:\d+:\d+: syntax error"),
        ("package main\n\nfunc main() {\n\tvar x int = \"s\"\n\t_ = x\n}\n", r"bad\.go:4:\d+: "),
    ],
)
def test_the_loader_still_reports_them_as_bad_input(tmp_path, src, message):
    f = tmp_path / "bad.go"
    f.write_text(src)
    with pytest.raises(BadInput, match=message) as e:
        gorun.load(str(f))
    assert not isinstance(e.value, (CheckError, Unsupported, SyntaxErr))
