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
        """What Go prints on stderr: the message and goroutine 1's traceback (function names and file only:
        the model keeps no line tables)."""
        out = [f"panic: {self.message}", "", "goroutine 1 [running]:"]
        for name in self.frames:
            out.append(f"main.{name}(...)")
            out.append(f"\t{self.files.get(name, self.path)}")
        return "\n".join(out) + "\n"


class GoExit(GomemError):
    """``os.Exit(n)`` (and flag errors, which exit 2 after their usage text)."""

    def __init__(self, status: int):
        super().__init__(f"exit status {status}")
        self.exit_status = status


NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def runtime_error(msg: str) -> GoPanic:
    """A ``runtime.Error`` panic: ``panic: runtime error: MSG`` (plus ``[recovered]`` lines Go adds are not modelled)."""
    return GoPanic("runtime error: " + msg)
