"""``gomem escape FILE.go|DIR [-m | -m=2] [-l] [--explain]``.

Prints what ``go build -gcflags "-m -l" FILE.go`` prints (without the
``# command-line-arguments`` header) -- or, for a directory, what ``go build
-gcflags "-m -l" ./DIR`` prints for the package there (the files the go command
selects: see :mod:`.srcfiles`; each position names its file): ``-m`` (the default) the verdicts,
``-m=2`` also the flow explanations and closure capture decisions.  Inlining
is off by default (``-l`` is accepted for familiarity and implied);
``--inline`` turns it on: the output is then what ``go build -gcflags=-m``
prints (``can inline``, ``inlining call to``, and the verdicts on the
inlined bodies; with ``-m=2`` also the costs).
``--explain`` prints, instead, one line per cause from the seed article's list
(returning a local's address, channel sends, closures, pointers in slices or
maps, large or growing slices, interface calls).

Exit status: 0 — analysed (functions gomem cannot analyse are named on stderr,
``FILE:LINE:COL: gomem: not analysed: F: reason``, and get no diagnostics;
functions with verdicts depending on those are named ``partly analysed``);
2 — the file cannot be read, does not parse (``FILE:LINE:COL: syntax error:
...``) or does not type check (``FILE:LINE:COL: ...``), the directory has no
files to compile (``no Go files in DIR``) or they are not one package
(``found packages main (a.go) and foo (b.go) in DIR``), or a bad option;
3 — gomem itself failed (an internal error, reported in one line).
"""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser(
        "escape",
        help="escape analysis of a Go file, as go build -gcflags '-m -l' reports it",
        description="Escape analysis of a single-package Go program, printed as the Go compiler's -m diagnostics.",
    )
    p.add_argument("file", metavar="FILE.go|DIR", nargs="?",
                   help="the Go source file, or a package's directory (package main or any single package)")
    p.add_argument("-m", dest="m", nargs="?", const="1", default="1", metavar="LEVEL",
                   help="diagnostic level: -m (verdicts, the default) or -m=2 (also why: the flow explanations)")
    p.add_argument("-l", dest="noinline", action="store_true", help="inlining off (the default: -gcflags '-m -l')")
    p.add_argument("--inline", action="store_true",
                   help="inlining on, as go build -gcflags=-m (without -l) does")
    p.add_argument("--explain", action="store_true", help="group the heap allocations by cause, one line per cause")


def cmd_escape(args) -> int:
    import os

    from ..errors import BadInput
    from ..compile import CheckError, SyntaxErr, Unsupported, analyze_files, display_name
    from ..compile.explain import explain_lines
    from ..compile.srcfiles import load_package

    m = str(args.m).lstrip("=")
    path = args.file
    if not m.isdigit():
        # "-m FILE.go": the flag took the file name
        if path is not None:
            print(f"gomem: escape: invalid -m level {args.m!r}: want -m or -m=2", file=sys.stderr)
            return 2
        path, m = args.m, "1"
    if path is None:
        print("gomem: escape: missing FILE.go (see 'gomem escape --help')", file=sys.stderr)
        return 2
    if int(m) < 1:
        print(f"gomem: escape: invalid -m level {args.m!r}: want -m or -m=2", file=sys.stderr)
        return 2
    args.m = int(m)
    name = display_name(path)
    if not os.path.exists(path):
        print(f"gomem: {path}: no such file", file=sys.stderr)
        return 2
    files = None
    try:
        files = load_package(path)
        res = analyze_files(files, m=args.m, want_causes=args.explain,
                            inline=bool(getattr(args, "inline", False)) and not args.noinline)
    except BadInput as e:  # the directory's files are no package (in the go command's words)
        print(str(e), file=sys.stderr)
        return 2
    except SyntaxErr as e:
        print(f"{e.filename or name}:{e.line}:{e.col}: syntax error: {e.msg}", file=sys.stderr)
        return 2
    except CheckError as e:
        print(f"{files.fmt(e.pos or (0, 0))}: {e.msg}", file=sys.stderr)
        return 2
    except Unsupported as e:
        what = "package" if os.path.isdir(path) else "file"
        print(f"{files.fmt(e.pos or (0, 0))}: gomem: cannot analyse this {what}: {e.reason}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"gomem: escape: {name}: nested too deeply for gomem", file=sys.stderr)
        return 3
    except Exception as e:  # a gap in gomem, not in the program
        import os
        if os.environ.get("GOMEM_DEBUG"):
            raise
        print(f"gomem: escape: internal error on {name}: {type(e).__name__}: {e} (GOMEM_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 3
    out = sys.stdout
    if args.explain:
        for line in explain_lines(res):
            print(line, file=out)
    else:
        for line in res.lines:
            print(line, file=out)
    out.flush()
    for pos, fn, why in res.unsupported:
        what = "partly analysed" if why.startswith("some verdicts") else "not analysed"
        print(f"{res.fmtpos(pos)}: gomem: {what}: {fn}: {why}", file=sys.stderr)
    return 0
