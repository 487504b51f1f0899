"""Panics and exits of a Go program on the model, and the runtime errors in Go's words."""

from __future__ import annotations

from ..errors import GomemError


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


def runtime_error(msg: str) -> GoPanic:
    """A ``runtime.Error`` panic: ``panic: runtime error: MSG`` (plus ``[recovered]`` lines Go adds are not modelled)."""
    return GoPanic("runtime error: " + msg)
