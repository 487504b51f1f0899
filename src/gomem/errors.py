"""The one exception root of gomem.

Every error a user can provoke — a bad size, an unknown type, a write that
would corrupt the heap, a pointer that points at nothing, a heap that has hit
its limit — is a :class:`GomemError`.  Where the Go runtime has words for the
failure (``runtime: out of memory``, ``invalid pointer found on stack`` …)
the message uses them.  Raising never leaves the heap half-updated: every
operation checks its arguments before it mutates anything.
"""

from __future__ import annotations


class GomemError(Exception):
    """Root of every error gomem raises on purpose."""

    #: exit status of the command line for this kind of error
    exit_status = 2


class BadInput(GomemError, ValueError):
    """An argument the runtime would reject (a negative size, a bad option)."""


class UnknownType(GomemError, KeyError):
    """A type name that was never declared."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown type"


class OutOfMemory(GomemError, MemoryError):
    """The heap would grow past its configured limit (Go: ``runtime: out of memory``)."""


class BadPointer(GomemError):
    """A pointer that does not point into an allocated object, or a wild store."""


class BadWrite(GomemError):
    """A store outside an object, or a non-pointer stored into a pointer slot."""


class InvariantViolation(GomemError):
    """An internal invariant of the runtime model broke (Go would ``throw``)."""

    exit_status = 3
