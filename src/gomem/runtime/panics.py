"""Panics and exits of a Go program on the model, and the runtime errors in Go's words."""

from __future__ import annotations

from ..errors import GomemError


_BOUNDS = ("runtime error: index out of range", "runtime error: slice bounds out of range")


class GoPanic(GomemError):
    """An uncaught Go panic: ``panic: MESSAGE`` and ``goroutine 1 [running]:`` on stderr, exit 2."""

    exit_status = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.frames: list[str] = []  # the Go functions on the stack, innermost first
        self.path = ""
        self.files: dict[str, str] = {}  # function name -> its file's path, where the program has several files
        self.value = None  # the panic value (an interface value) of panic(v); None for the runtime's own
        self.recovered = False
        self.depth = 0  # frames below the deferred call running for this panic
        #: bytes the runtime allocates for the panic value (a boundsError or *TypeAssertionError copy)
        self.alloc_size = 24 if message.startswith(_BOUNDS) else 48 if message.startswith("interface conversion") else 0
        self.allocated = False

    @property
    def value_text(self) -> str:
        """The panic value as fmt's %v prints it (fmt's catchPanic)."""
        return self.message.split("\n")[0]

    def go_text(self) -> str:
        """What Go prints on stderr: the message and the panicking goroutine's traceback (function names
        and file only: the model keeps no line tables), with ``created by`` for a goroutine other than
        main's."""
        goid = getattr(self, "goid", 1)
        out = [f"panic: {self.message}", "", f"goroutine {goid} [running]:"]
        for name in self.frames:
            if name.startswith("runtime") or ".gowrap" in name:  # the runtime's frames; go statements' wrappers
                continue
            out.append(f"main.{name}(...)")
            out.append(f"\t{self.files.get(name, self.path)}")
        cb = getattr(self, "created_by", None)
        if cb is not None:
            out.append(f"created by main.{cb[0]} in goroutine {cb[1]}")
            out.append(f"\t{self.files.get(cb[0], self.path)}")
        return "\n".join(out) + "\n"


class GoFatal(GoPanic):
    """A fatal error of the runtime (``fatal error: all goroutines are asleep - deadlock!``): no deferred
    call runs and nothing recovers it; Go prints the message, then every goroutine's traceback, and
    exits 2.  A GoPanic for the tools that report a crashed program (it is raised by the run loop,
    never inside a goroutine, so no generated ``recover`` sees it)."""

    def __init__(self, message: str, goroutines: list):
        super().__init__(message)
        self.args = (f"fatal error: {message}",)
        self.goroutines = goroutines  # the goroutines alive, for the dump

    def go_text(self) -> str:
        parts = [f"fatal error: {self.message}\n"]
        for g in sorted(self.goroutines, key=lambda g: g.id):
            parts.append(traceback(g, g.wait_reason or ("running" if g.status == "running" else "runnable"),
                                   self.files, self.path))
        return "\n".join(parts)


class GoExit(GomemError):
    """``os.Exit(n)`` (and flag errors, which exit 2 after their usage text)."""

    def __init__(self, status: int):
        super().__init__(f"exit status {status}")
        self.exit_status = status


NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def runtime_error(msg: str) -> GoPanic:
    """A ``runtime.Error`` panic: ``panic: runtime error: MSG`` (plus ``[recovered]`` lines Go adds are not modelled)."""
    return GoPanic("runtime error: " + msg)


def traceback(g, reason: str, files: dict, path: str) -> str:
    """One goroutine's section of a dump: header, its frames (innermost first), ``created by``.

    Simplification: function names and files only (the model keeps no line tables), as the
    model's panic tracebacks.
    """
    out = [f"goroutine {g.id} [{reason}]:"]
    for f in reversed(g.stack.frames):
        if f.name.startswith("runtime") or ".gowrap" in f.name or f.name == "frame":
            continue
        out.append(f"main.{f.name}(...)")
        out.append(f"\t{files.get(f.name, path)}")
    cb = getattr(g, "created_by", None)
    if cb is not None and cb[1]:
        out.append(f"created by main.{cb[0]} in goroutine {cb[1]}")
        out.append(f"\t{files.get(cb[0], path)}")
    return "\n".join(out) + "\n"
