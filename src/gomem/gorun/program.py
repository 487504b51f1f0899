"""Loading a Go program for the model, and the helpers its generated code calls.

:func:`load` parses, type checks and escape-analyses a ``package main``
file with :mod:`gomem.escape`, generates Python for every function
(:mod:`.codegen`) and returns a :class:`GoProgram` whose :meth:`main` the
runtime starts as the main goroutine.  The program's output goes straight
to the process's stdout as it is printed (Go's ``os.Stdout`` is unbuffered);
an uncaught panic is :class:`GoPanic`, which the command line prints as Go
does and turns into exit status 2.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Callable, Optional

from ..arena import ARENA_BASE_ADDR
from ..errors import BadInput, GomemError
from ..escape import display_name
from ..escape.check_base import CheckError, Unsupported
from ..escape.syntax import SyntaxErr
from .codegen import ProgramGen
from .lib import Lib

_M64 = (1 << 64) - 1


class GoPanic(GomemError):
    """An uncaught Go panic: ``panic: MESSAGE`` and ``goroutine 1 [running]:`` on stderr, exit 2."""

    exit_status = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.frames: list[str] = []  # the Go functions on the stack, innermost first
        self.path = ""

    def go_text(self) -> str:
        """What Go prints on stderr: the message and goroutine 1's traceback (function names and file only:
        the model keeps no line tables)."""
        out = [f"panic: {self.message}", "", "goroutine 1 [running]:"]
        for name in self.frames:
            out.append(f"main.{name}(...)")
            out.append(f"\t{self.path}")
        return "\n".join(out) + "\n"


class GoExit(GomemError):
    """``os.Exit(n)`` (and flag errors, which exit 2 after their usage text)."""

    def __init__(self, status: int):
        super().__init__(f"exit status {status}")
        self.exit_status = status


NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


class GoProgram:
    """A compiled Go program: ``main(g, params)`` is the main goroutine."""

    def __init__(self, path: str, functions: dict[str, Callable], main_id: str):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.functions = functions
        self.main_id = main_id
        self.args: list[str] = []
        self.out = sys.stdout
        self.flags: dict[str, tuple[int, int, str]] = {}  # name -> (address of the int, default, usage)

    def workload(self):
        """The program as a :class:`gomem.workloads.Workload` (no parameters: it takes ``os.Args``)."""
        from ..workloads import Workload

        return Workload(self.path, f"the Go program {self.path}", self.main, ())

    def main(self, g, params=None):
        """The main goroutine's body (a generator function, as the runtime expects)."""
        self.namespace["W"] = g.rt.words  # the address space of the runtime running it
        try:
            self.functions[self.main_id](g)
        except GoPanic as p:
            p.frames = [f.name for f in reversed(g.stack.frames)]
            p.path = os.path.abspath(self.path)
            raise
        return {"output": []}
        yield  # pragma: no cover - makes this a generator


def is_program(name: str) -> bool:
    """Whether ``gomem run NAME`` names a Go program (a ``.go`` file or a directory) rather than a workload."""
    return name.endswith(".go") or os.path.isdir(name)


def load(path: str) -> GoProgram:
    """Compile the Go program at *path* (a ``.go`` file) for the model; BadInput in Go's words if it cannot."""
    from ..escape import devirt
    from ..escape import escape as E
    from ..escape.check import check_source

    if os.path.isdir(path):
        files = sorted(f for f in os.listdir(path) if f.endswith(".go") and not f.endswith("_test.go"))
        if len(files) != 1:
            raise BadInput(f"{path}: gomem runs a package main of one file for now ({len(files)} .go files found)")
        path = os.path.join(path, files[0])
    try:
        with open(path, "rb") as f:
            src = f.read()
    except OSError as e:
        raise BadInput(f"open {path}: {(e.strerror or str(e)).lower()}") from None
    fname = display_name(path)
    try:
        prog = check_source(src)
        if prog.unsupported:
            pos, fn, reason = prog.unsupported[0]
            raise Unsupported(pos, f"gomem cannot run this yet: {reason}")
        out = E.Output(fname, 1)
        order: list = []
        E.visit_funcs_bottom_up(prog.funcs, lambda block, rec: order.extend(block))
        devirt.devirtualize(prog._checker, prog, order, out)
        E.analyze(prog.funcs, out)
        heap_allocs = {id(node) for pos, kind, msg, node in out.records if kind == "escapes"}
        moved = {id(node) for pos, kind, msg, node in out.records if kind == "moved"}
        main_fn = next((f for f in prog.funcs if f.name == "main" and f.recv is None), None)
        if main_fn is None:
            raise BadInput(f"{fname}: function main is undeclared in the main package")
        gen = ProgramGen(prog, heap_allocs, moved, Lib())
        code, env = gen.generate()
    except SyntaxErr as e:
        raise BadInput(f"{fname}:{e}") from None
    except CheckError as e:
        raise BadInput(f"{fname}:{e.pos[0]}:{e.pos[1]}: {e}") from None
    except Unsupported as e:
        line, col = e.pos if e.pos else (1, 1)
        raise BadInput(f"{fname}:{line}:{col}: {e.reason}") from None
    program = GoProgram(path, {}, gen.func_id(main_fn))
    namespace = _helpers(program)
    namespace.update(env)
    exec(compile(code, f"<gomem:{fname}>", "exec"), namespace)
    program.functions = {gen.func_id(f): namespace[gen.func_id(f)] for f in prog.funcs if gen.func_id(f) in namespace}
    program.source = code
    program.namespace = namespace
    return program


def _helpers(program: GoProgram) -> dict:
    """The names generated code refers to besides its types and frames."""
    B = ARENA_BASE_ADDR

    def nilcheck(p: int) -> int:
        if p == 0:
            raise GoPanic(NIL_DEREF + "\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]")
        return p

    def s64(w: int) -> int:
        return w - (1 << 64) if w >> 63 else w

    def shl(x: int, s: int) -> int:
        if s < 0:
            raise GoPanic("runtime error: negative shift amount")
        return x << s if s < 64 else 0

    def shr(x: int, s: int) -> int:
        if s < 0:
            raise GoPanic("runtime error: negative shift amount")
        return x >> min(s, 64)

    def idiv(x: int, y: int) -> int:
        if y == 0:
            raise GoPanic("runtime error: integer divide by zero")
        q = abs(x) // abs(y)
        return q if (x < 0) == (y < 0) else -q

    def imod(x: int, y: int) -> int:
        if y == 0:
            raise GoPanic("runtime error: integer divide by zero")
        return x - idiv(x, y) * y

    def tmp(f, off: int, v: int) -> int:
        f.stack.words[(f.base - B + off) >> 3] = v
        return v

    def stackobj(f, off: int, size: int) -> int:
        a = f.base + off
        w = f.stack.words
        i = (a - B) >> 3
        for k in range(-(-size // 8)):
            w[i + k] = 0
        return a

    def fill(g, stores, obj: int) -> int:
        w = g.rt.words
        for off, kind, v in stores:
            if kind == "p":
                g.write_slot(obj + off, v)
            elif kind == "b":
                w[(obj - B + off) >> 3] = 1 if v else 0
            else:
                w[(obj - B + off) >> 3] = v & _M64
        return obj

    def box_int(g, v: int, escapes: bool, bits: int):
        """``runtime.convT64``: an integer outside 0..255 escaping into an interface is an 8-byte heap object."""
        if escapes and not 0 <= v < 256:
            size = max(bits // 8, 1)
            g.alloc(size if size > 1 else 1)
        return v

    def write(g, s: str) -> None:
        program.out.write(s)

    def printf(g, fmt: str, args) -> None:
        write(g, sprintf(fmt, args))

    def println_(g, args) -> None:
        write(g, " ".join(_fmt_v(a) for a in args) + "\n")

    def print_(g, args) -> None:
        out = []
        for i, a in enumerate(args):
            if i and not isinstance(a, str) and not isinstance(args[i - 1], str):
                out.append(" ")
            out.append(_fmt_v(a))
        write(g, "".join(out))

    def flag_int(g, name: str, default: int, usage: str) -> int:
        a = g.alloc(8)  # new(int): flag.Int's result escapes
        g.rt.words[(a - B) >> 3] = default & _M64
        program.flags[name] = (a, default, usage)
        return a

    def flag_parse(g) -> None:
        args = list(program.args)
        while args:
            a = args[0]
            if not a.startswith("-") or a == "-":
                break
            args.pop(0)
            if a == "--":
                break
            name = a.lstrip("-")
            val: Optional[str] = None
            if "=" in name:
                name, val = name.split("=", 1)
            if name not in program.flags:
                _flag_fail(program, f"flag provided but not defined: -{name}")
            addr, default, usage = program.flags[name]
            if val is None:
                if not args:
                    _flag_fail(program, f"flag needs an argument: -{name}")
                val = args.pop(0)
            try:
                v = int(val, 0)
            except ValueError:
                _flag_fail(program, f'invalid value "{val}" for flag -{name}: parse error')
            g.rt.words[(addr - B) >> 3] = v & _M64

    return {k: v for k, v in locals().items() if callable(v)} | {"B": B}


def _flag_fail(program: GoProgram, msg: str) -> None:
    lines = [msg, f"Usage of {program.name}:"]
    for name in sorted(program.flags):
        _, default, usage = program.flags[name]
        lines.append(f"  -{name} int\n    \t{usage} (default {default})")
    sys.stderr.write("\n".join(lines) + "\n")
    raise GoExit(2)


_VERB = re.compile(r"%([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])")


def _fmt_v(a) -> str:
    if isinstance(a, bool):
        return "true" if a else "false"
    return str(a)


def sprintf(fmt: str, args) -> str:
    """fmt.Sprintf for the verbs this increment supports (%d %v %s %t %x %%, width, '-' and '0' flags)."""
    out = []
    i = 0
    pos = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, _prec, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if i >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        a = args[i]
        i += 1
        if verb in "dv" and isinstance(a, int) and not isinstance(a, bool):
            s = str(a)
        elif verb == "x" and isinstance(a, int) and not isinstance(a, bool):
            s = format(a, "x") if a >= 0 else "-" + format(-a, "x")
        elif verb in "vt" and isinstance(a, bool):
            s = _fmt_v(a)
        elif verb in "vs" and isinstance(a, str):
            s = a
        else:
            s = f"%!{verb}({_bad_type(a)}={_fmt_v(a)})"
        if width:
            w = int(width)
            if "-" in flags:
                s = s.ljust(w)
            elif "0" in flags and verb in "dx":
                neg = s.startswith("-")
                s = ("-" if neg else "") + s[neg:].rjust(w - neg, "0")
            else:
                s = s.rjust(w)
        out.append(s)
    out.append(fmt[pos:])
    if i < len(args):
        out.append("%!(EXTRA " + ", ".join(f"{_bad_type(a)}={_fmt_v(a)}" for a in args[i:]) + ")")
    return "".join(out)


def _bad_type(a) -> str:
    return "bool" if isinstance(a, bool) else "int" if isinstance(a, int) else "string"
