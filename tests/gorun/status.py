#!/usr/bin/env python3
"""Which corpus programs gomem runs as real Go does: one PASS/FAIL line per program.

Usage::

    python tests/gorun/status.py                 # every program under tests/gorun/corpus/ and article/
    python tests/gorun/status.py FILE.go ...     # just these (any .go file; `// args:` / `// exit:` apply)
    python tests/gorun/status.py -k string       # those whose file name contains "string"
    python tests/gorun/status.py --go            # also print real Go's Mallocs / TotalAlloc / NumGC

Each program runs on gomem in-process and on the real toolchain (built once,
cached on disk) and is checked exactly as tests/test_gorun_corpus.py checks it
(stdout, exit status, stderr up to a panic line, Mallocs/TotalAlloc within 3%,
NumGC within 15% where Go does >= 10 GCs).  A FAIL line gives the first
problem: gomem's one-line compile error, the first differing output line, or
the allocation figures; ``-v`` gives all of them.  ``--timeout S`` (default 300)
stops a program gomem runs for longer.  Exit status 0 when everything passes,
1 otherwise.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import test_gorun_corpus as H  # noqa: E402  (the harness: directives, real Go, gomem, the comparison)

from gomem.cmd import realgo  # noqa: E402
from gomem.errors import BadInput  # noqa: E402


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def check(path: Path, timeout: float, show_go: bool, verbose: bool) -> bool:
    sp = H.spec(path)
    name = path.name
    try:
        go = H.real_go(sp)
    except Exception as e:  # a build failure is the corpus's fault, not gomem's
        print(f"ERROR {name}: real Go: {e}", flush=True)
        return False
    gofacts = ""
    if show_go:
        gofacts = (f" [Go: Mallocs {go.memstats['Mallocs']} TotalAlloc {go.memstats['TotalAlloc']}"
                   f" NumGC {go.memstats['NumGC']}]" if go.memstats else f" [Go: exit {go.exit}, no MemStats]")
    t0 = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        got = H.run_gomem(sp)
    except BadInput as e:
        print(f"FAIL {name}: {e}{gofacts}", flush=True)
        return False
    except _Timeout:
        print(f"FAIL {name}: gomem ran longer than {timeout:g} s{gofacts}", flush=True)
        return False
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)[-1]
        where = f" ({Path(tb.filename).name}:{tb.lineno})" if tb else ""
        msg = str(e).splitlines()[0] if str(e) else ""
        print(f"FAIL {name}: {type(e).__name__}: {msg}{where}{gofacts}", flush=True)
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    secs = time.monotonic() - t0
    probs = H.problems(sp, got, go)
    if not probs:
        print(f"PASS {name} ({secs:.1f} s){gofacts}", flush=True)
        return True
    print(f"FAIL {name}: {probs[0]}{gofacts}", flush=True)
    if verbose:
        for p in probs[1:]:
            print(f"     {p}")
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="programs to check (default: the whole corpus)")
    ap.add_argument("-k", dest="substr", help="only files whose name contains this")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per program on gomem (default 300)")
    ap.add_argument("--go", action="store_true", help="print real Go's Mallocs/TotalAlloc/NumGC too")
    ap.add_argument("-v", "--verbose", action="store_true", help="every problem, not just the first")
    a = ap.parse_args(argv)
    if realgo.find_go() is None:
        print(f"status.py needs the real toolchain: {realgo.NO_GO_REASON}", file=sys.stderr)
        return 2
    files = a.files or H.corpus_files()
    if a.substr:
        files = [f for f in files if a.substr in f.name]
    passed = sum(check(f, a.timeout, a.go, a.verbose) for f in files)
    print(f"{passed}/{len(files)} pass")
    return 0 if passed == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
