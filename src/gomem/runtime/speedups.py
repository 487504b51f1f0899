"""The C fast paths of the hottest mutator operations, where the extension is built.

``gomem.runtime._speedups`` (``src/gomem/runtime/_speedups.c``, built by ``pip install``) does, in C, the common case
of five operations generated Go code runs for nearly every Go call and allocation:
:meth:`Goroutine.frame <gomem.runtime.runtime.Goroutine.frame>`, :meth:`Goroutine.pop
<gomem.runtime.runtime.Goroutine.pop>`, :meth:`GeneratedGoroutine.new <gomem.runtime.proc.GeneratedGoroutine.new>`
(nextFreeFast's path through the mcache) and generated code's ``tmp`` and ``fill``.  Each runs the
Python function's steps on the model's own objects, and hands any other case to the Python function
untouched: same objects, same costs, same results, only faster.

``GOMEM_PURE_PYTHON=1`` in the environment (or an extension that did not build) keeps the pure-Python
code; :func:`install` / :func:`uninstall` switch at run time (tests run programs both ways).
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Callable

try:
    from . import _speedups
except ImportError:  # pragma: no cover - no C compiler at install time
    _speedups = None

#: (class, method name) -> the Python method the C one stands in for
_PYTHON_METHODS: dict[tuple[type, str], Callable] = {}
_configured = False
#: what the C methods need of gomem.compile.program, which hands it over as it loads (:func:`register`)
_PROGRAM: dict[str, Any] = {}


def register(generated_goroutine: type, tmp: Callable) -> None:
    """Called by :mod:`gomem.compile.program` as it loads: its goroutine class and generated code's ``tmp``
    (so this module never imports the code generator's runtime back)."""
    _PROGRAM.update(GeneratedGoroutine=generated_goroutine, tmp=tmp)


def available() -> bool:
    """Whether the C extension is built."""
    return _speedups is not None


def wanted() -> bool:
    """Whether the C fast paths should be used: built, and GOMEM_PURE_PYTHON not set."""
    return available() and os.environ.get("GOMEM_PURE_PYTHON", "") in ("", "0")


def _configure(tmp: Callable) -> None:
    global _configured
    from .arena import ARENA_BASE_ADDR
    from .malloc import _MAX_SMALL
    from .mcache import MCache
    from .mspan import MSpan
    from .runtime import Goroutine
    from .sched import FORCE_PREEMPT_NS, P
    from .stack import _SHAPES, STACK_GUARD, Frame, Stack

    GeneratedGoroutine = _PROGRAM["GeneratedGoroutine"]
    _speedups.setup(
        Goroutine=Goroutine, GeneratedGoroutine=GeneratedGoroutine, P=P, Stack=Stack, Frame=Frame,
        MSpan=MSpan, MCache=MCache, shapes=_SHAPES,
        frame=Goroutine.frame, pop=Goroutine.pop, new=GeneratedGoroutine.new, tmp=tmp,
        running="running", guard=STACK_GUARD, arena_base=ARENA_BASE_ADDR,
        force_preempt_ns=FORCE_PREEMPT_NS, max_small=_MAX_SMALL,
    )
    _configured = True


_METHODS = (("Goroutine", "frame"), ("Goroutine", "pop"), ("GeneratedGoroutine", "new"))


def _classes() -> dict[str, type]:
    from .runtime import Goroutine

    return {"Goroutine": Goroutine, "GeneratedGoroutine": _PROGRAM["GeneratedGoroutine"]}


def install() -> bool:
    """Put the C methods in place of the Python ones (if :func:`wanted`); return whether they are in use."""
    if not wanted():
        return False
    if not _PROGRAM:  # gomem.compile.program registers itself as it loads, and installs then
        return False
    if not _configured:
        _configure(_PROGRAM["tmp"])
    classes = _classes()
    for cls_name, name in _METHODS:
        cls = classes[cls_name]
        if (cls, name) not in _PYTHON_METHODS:
            _PYTHON_METHODS[cls, name] = cls.__dict__[name]
            setattr(cls, name, _speedups.method(cls, name))
    return True


def uninstall() -> None:
    """Back to the pure-Python methods."""
    for (cls, name), fn in list(_PYTHON_METHODS.items()):
        setattr(cls, name, fn)
        del _PYTHON_METHODS[cls, name]


def installed() -> bool:
    return bool(_PYTHON_METHODS)


def helpers(fill: Callable) -> dict[str, Any]:
    """Generated code's helpers with a C fast path, while installed: name -> function (*fill*: the
    program's own, which the C one hands the uncommon cases)."""
    if not installed():
        return {}
    return {"tmp": _speedups.tmp, "fill": partial(_speedups.fill, fill)}
