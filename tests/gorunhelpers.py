"""Running a Go program on the model in-process, for the tests of goroutines, sync and time."""

from __future__ import annotations

import io
from pathlib import Path

from gomem.cmd import report
from gomem.compile.program import load
from gomem.runtime.runtime import Runtime

#: the corpus programs (compared with real Go by test_gorun_corpus.py)
CORPUS = Path(__file__).parent / "gorun" / "corpus"


def run(name_or_src, tmp_path=None, **rt_kw):
    """Run a corpus program (or Go source written to *tmp_path*): (stdout, MemStats, runtime)."""
    if tmp_path is not None:
        path = tmp_path / "prog.go"
        path.write_text(name_or_src)
    else:
        path = CORPUS / name_or_src
    prog = load(str(path))
    prog.out = io.StringIO()
    rt = Runtime(**rt_kw)
    rt.run(prog.main, {})
    return prog.out.getvalue(), report.memstats(rt), rt
