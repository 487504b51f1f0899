"""Go programs on the model: ``gomem run prog.go``.

The compiler front end (:mod:`gomem.escape`: parse, type check, lower to the
compiler-shaped IR, escape analysis) hands each function's IR to
:mod:`.codegen`, which writes a Python function per Go function that runs on
the model runtime (:mod:`gomem.runtime`):

* every allocation the escape analysis sends to the heap (``escapes to
  heap``, ``moved to heap``) is a ``mallocgc`` on gomem's heap with the
  runtime type descriptor of the Go type (size, pointer mask);
* a function's locals that hold pointers, and the objects the analysis keeps
  on the stack, live in its frame in the goroutine's stack memory (a frame
  type laid out as a Go struct), so the collector finds them by scanning
  frames as Go does with stack maps; scalar locals are Python locals (the
  collector never looks at them);
* pointer stores through pointers go through the write barrier
  (``Goroutine.write_slot``), as the compiler emits them.

This first increment runs a subset of the language (see
:data:`.codegen.SUPPORTED`); anything else is refused before the program
starts, with one line naming the construct and its position.
"""

from .program import GoExit, GoPanic, GoProgram, is_program, load

__all__ = ["GoExit", "GoPanic", "GoProgram", "is_program", "load"]
