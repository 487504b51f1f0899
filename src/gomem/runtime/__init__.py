"""The runtime model: what Go keeps in ``src/runtime``, file for file where Go has the file.

* the address space and the allocator: :mod:`.arena` (heap arenas at Go's
  addresses), :mod:`.sizeclasses`, :mod:`.mspan`, :mod:`.mcache`,
  :mod:`.mcentral`, :mod:`.mheap`, :mod:`.mpagealloc`, :mod:`.malloc`
  (``mallocgc``), :mod:`.types` (type descriptors and pointer masks),
  :mod:`.stack`, :mod:`.dataseg` (data and bss);
* the collector: :mod:`.mgc` (the cycle), :mod:`.mgcmark`, :mod:`.mbarrier`
  (every era's write barrier and the GC modes), :mod:`.mgcsweep`,
  :mod:`.mgcpacer`, :mod:`.mgclimit`, :mod:`.mgcscavenge`,
  :mod:`.mcheckmark`, :mod:`.spanindex` (numpy mirrors for bulk marking);
* the scheduler and the whole: :mod:`.sched` (Ps, goroutines, the virtual
  clock, the cost model), :mod:`.runtime` (:class:`~.runtime.Runtime`, the
  assembled runtime and the goroutine API), :mod:`.trace` (the event log and
  gctrace), :mod:`.mstats`;
* what compiled Go programs call into: :mod:`.maps` (Swiss tables,
  ``internal/runtime/maps``), :mod:`.iface` (``iface.go``), :mod:`.defers`
  (``panic.go``), :mod:`.panics` (runtime errors in Go's words),
  :mod:`.support` (``slice.go``, ``string.go``), :mod:`.image` (read-only
  data and package variables);
* :mod:`.speedups`: the C fast paths (``_speedups.c``) of the hottest steps.

The compiler that produces programs for it is :mod:`gomem.compile`; the
standard library they call, :mod:`gomem.std`; the tools, :mod:`gomem.cmd`.
This package's ``__init__`` imports nothing, so ``import gomem.runtime.malloc``
loads only what malloc needs.
"""
