"""gomem — Go's memory manager and garbage collector as an executable model.

The reference is the Go 1.27 runtime.  Start at :mod:`gomem.malloc` for the
allocator's overview; :class:`gomem.malloc.Heap` is the heap a workload
allocates from.
"""

from .errors import BadInput, BadPointer, BadWrite, GomemError, InvariantViolation, OutOfMemory, UnknownType
from .malloc import Heap

__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "BadPointer",
    "BadWrite",
    "GomemError",
    "Heap",
    "InvariantViolation",
    "OutOfMemory",
    "UnknownType",
]
