"""The tools, as Go keeps its own under ``cmd/``: the ``gomem`` command and what only it uses.

:mod:`.cli` (the command line; its entry point is ``gomem.cmd.cli:main``),
:mod:`.runopts` (what ``run`` and ``vs-go`` share: options, the environment
as Go reads it), :mod:`.vsgo` (``gomem vs-go``), :mod:`.realgo` (running the
real toolchain), :mod:`.report` (the figures of a run: MemStats, pauses, GC
CPU, gctrace read back), :mod:`.mmu` (minimum mutator utilization, as
``internal/trace`` computes it), :mod:`.escape` (``gomem escape``) and
:mod:`.escape_eval` (its agreement with the real compiler), :mod:`.fsutil`
(the one writer of output files).  ``gomem check`` is :mod:`gomem.modelcheck`;
the pictures and pages are :mod:`gomem.viz`.
"""
