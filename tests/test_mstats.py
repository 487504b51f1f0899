"""Tests for ``gomem.runtime.mstats``: the heap counters and runtime.MemStats derived from them."""

from __future__ import annotations

from gomem.runtime import sizeclasses as sc
from gomem.runtime.malloc import Heap
from gomem.runtime.mstats import (
    BY_SIZE_CLASSES,
    FIXALLOC_CHUNK,
    MCACHE_STRUCT_BYTES,
    MSPAN_STRUCT_BYTES,
    HeapStats,
    MemStats,
    compute_memstats,
)

PAGE = 8192


def check_identities(m: MemStats) -> None:
    """The relations every MemStats must satisfy."""
    assert m.HeapSys == m.HeapInuse + m.HeapIdle
    assert m.HeapIdle >= m.HeapReleased >= 0
    assert m.Alloc == m.HeapAlloc <= m.TotalAlloc
    assert m.HeapObjects == m.Mallocs - m.Frees
    assert m.Sys == m.HeapSys + m.StackSys + m.MSpanSys + m.MCacheSys + m.BuckHashSys + m.GCSys + m.OtherSys


class TestFields:
    """MemStats has Go's fields, in Go's order."""

    def test_field_order(self):
        """The scalar fields follow runtime.MemStats' declaration order."""
        assert MemStats.scalar_fields() == [
            "Alloc", "TotalAlloc", "Sys", "Lookups", "Mallocs", "Frees", "HeapAlloc", "HeapSys", "HeapIdle",
            "HeapInuse", "HeapReleased", "HeapObjects", "StackInuse", "StackSys", "MSpanInuse", "MSpanSys",
            "MCacheInuse", "MCacheSys", "BuckHashSys", "GCSys", "OtherSys", "NextGC", "LastGC", "PauseTotalNs",
            "NumGC", "NumForcedGC", "GCCPUFraction", "EnableGC", "DebugGC",
        ]

    def test_by_size_has_61_entries(self, heap):
        """BySize reports size classes 0..60, sizes 0..18432."""
        m = heap.read_memstats()
        assert BY_SIZE_CLASSES == 61 and len(m.BySize) == 61
        assert [b.Size for b in m.BySize] == list(sc.CLASS_TO_SIZE[:61])
        assert m.BySize[60].Size == 18432

    def test_format_and_dict(self, heap):
        """format prints one aligned "Name: value" line per scalar; as_dict adds BySize."""
        m = heap.read_memstats(next_gc=4 << 20)
        lines = m.format().splitlines()
        assert len(lines) == len(MemStats.scalar_fields())
        assert lines[0].split() == ["Alloc:", "0"]
        assert "NextGC:        4194304" in lines
        assert "GCCPUFraction: 0.0000" in lines
        d = m.as_dict()
        assert d["NextGC"] == 4 << 20 and len(d["BySize"]) == 61 and d["BySize"][2] == {
            "Size": 16, "Mallocs": 0, "Frees": 0}

    def test_empty_heap(self, heap):
        """A heap that allocated nothing reports zeros, and one mcache."""
        m = heap.read_memstats()
        assert (m.Alloc, m.TotalAlloc, m.Mallocs, m.Frees, m.HeapSys, m.HeapObjects) == (0, 0, 0, 0, 0, 0)
        assert (m.MCacheInuse, m.MCacheSys) == (MCACHE_STRUCT_BYTES, FIXALLOC_CHUNK)
        assert m.EnableGC and not m.DebugGC and m.Lookups == 0
        check_identities(m)


class TestKnownSequences:
    """MemStats after allocation and collection sequences whose figures are known."""

    def test_small_and_large(self, heap):
        """Small objects count their slot size, large ones whole pages."""
        for _ in range(3):
            heap.mallocgc(40)  # 48-byte class
        heap.mallocgc(40000)  # 5 pages
        m = heap.read_memstats()
        assert m.TotalAlloc == m.HeapAlloc == 3 * 48 + 5 * PAGE
        assert (m.Mallocs, m.Frees, m.HeapObjects) == (4, 0, 4)
        assert (m.BySize[5].Mallocs, m.BySize[5].Frees) == (3, 0)
        assert m.HeapInuse == 6 * PAGE
        assert m.HeapSys == 4 << 20
        assert m.HeapReleased == m.HeapIdle == (4 << 20) - 6 * PAGE
        check_identities(m)

    def test_tiny_allocations(self, heap):
        """Each tiny allocation is a Malloc; those merged into a block are Frees too (Go's accounting)."""
        for _ in range(17):
            heap.mallocgc(1)  # 2 blocks, 15 merged
        m = heap.read_memstats()
        assert (m.Mallocs, m.Frees, m.HeapObjects) == (17, 15, 2)
        assert m.TotalAlloc == m.HeapAlloc == 32
        assert (m.BySize[2].Mallocs, m.BySize[2].Frees) == (2, 0)
        check_identities(m)

    def test_after_collection(self, heap):
        """A collection adds the freed objects to Frees and BySize, and takes their bytes off HeapAlloc."""
        keep = [heap.mallocgc(40) for _ in range(3)]
        heap.mallocgc(40000)
        heap.mallocgc(100)  # 112-byte class, dies with its span
        heap.collect_live(keep[:1])
        m = heap.read_memstats()
        assert (m.Mallocs, m.Frees, m.HeapObjects) == (5, 4, 1)
        assert m.TotalAlloc == 3 * 48 + 5 * PAGE + 112
        assert m.HeapAlloc == 48
        assert (m.BySize[5].Mallocs, m.BySize[5].Frees) == (3, 2)
        assert (m.BySize[9].Mallocs, m.BySize[9].Frees) == (1, 1)
        assert m.HeapInuse == PAGE  # the 112-byte and the large spans went back to the heap
        assert m.HeapIdle - m.HeapReleased == 6 * PAGE  # free, not yet returned to the OS
        check_identities(m)

    def test_tiny_block_freed(self, heap):
        """When a tiny block dies it is one Free; its sub-objects were already counted as freed."""
        for _ in range(3):
            heap.mallocgc(4)
        heap.flush_mcaches()
        heap.collect_live([])
        m = heap.read_memstats()
        assert (m.Mallocs, m.Frees, m.HeapObjects, m.HeapAlloc) == (3, 3, 0, 0)
        check_identities(m)

    def test_scavenge_all(self, heap):
        """Returning free pages moves them from idle-but-backed to HeapReleased."""
        heap.mallocgc(40000)
        heap.collect_live([])
        heap.mheap.scavenge_all()
        m = heap.read_memstats()
        assert m.HeapReleased == m.HeapIdle == m.HeapSys
        check_identities(m)

    def test_metadata(self):
        """MSpanInuse counts span structs; MCacheInuse one mcache per P; GCSys whole gcBits arenas."""
        h = Heap(procs=3)
        try:
            h.mallocgc(40)
            h.mallocgc(100)
            m = h.read_memstats()
            assert m.MSpanInuse == 2 * MSPAN_STRUCT_BYTES and m.MSpanSys == FIXALLOC_CHUNK
            assert m.MCacheInuse == 3 * MCACHE_STRUCT_BYTES
            assert m.GCSys == 64 << 10
            check_identities(m)
        finally:
            h.close()


class TestReadMemStats:
    """read_memstats flushes every mcache first, as readmemstats_m does."""

    def test_flushes_counts(self, heap):
        """Before a flush, small allocations sit uncounted in the mcache."""
        heap.mallocgc(40)
        assert heap.stats.small_alloc_count[5] == 0
        assert heap.read_memstats().Mallocs == 1
        assert heap.stats.small_alloc_count[5] == 1

    def test_drops_the_tiny_block(self, heap):
        """After reading the stats, a tiny allocation starts a new block."""
        a = heap.mallocgc(1)
        heap.read_memstats()
        assert heap.mcaches[0].tiny == 0
        assert heap.mallocgc(1) == a + 16
        m = heap.read_memstats()
        assert (m.Mallocs, m.Frees, m.HeapObjects) == (2, 0, 2)

    def test_flushes_every_p(self):
        """Every P's mcache is flushed."""
        h = Heap(procs=2)
        try:
            h.mallocgc(40, p=0)
            h.mallocgc(40, p=1)
            h.mallocgc(3, p=1)
            h.mallocgc(3, p=1)
            m = h.read_memstats()
            assert (m.Mallocs, m.Frees) == (4, 1)
            assert all(c.cached_spans() == [] for c in h.mcaches)
        finally:
            h.close()

    def test_reading_twice_changes_nothing(self, heap):
        """A second read with no allocation in between gives the same figures."""
        heap.mallocgc(40)
        heap.mallocgc(5)
        assert heap.read_memstats() == heap.read_memstats()


class TestComputeMemStats:
    """compute_memstats is a pure function of the counters."""

    def test_from_counters(self):
        """Totals come from the per-class counts, large counts and tiny counts."""
        s = HeapStats()
        s.small_alloc_count[2] = 10
        s.small_free_count[2] = 4
        s.small_alloc_count[67] = 1  # past BySize: counted in the totals only
        s.large_alloc, s.large_alloc_count = 5 * PAGE, 1
        s.tiny_alloc_count = 7
        s.heap_in_use, s.heap_free, s.heap_released = 3 * PAGE, 2 * PAGE, PAGE
        s.in_stacks = 4 * PAGE
        m = compute_memstats(s, ncaches=1, gc_sys=0, other_sys=0, next_gc=0)
        assert m.TotalAlloc == 160 + 32768 + 5 * PAGE
        assert m.HeapAlloc == m.TotalAlloc - 64
        assert (m.Mallocs, m.Frees, m.HeapObjects) == (19, 11, 8)
        assert (m.HeapSys, m.HeapIdle, m.HeapInuse, m.HeapReleased) == (6 * PAGE, 3 * PAGE, 3 * PAGE, PAGE)
        assert (m.StackInuse, m.StackSys) == (4 * PAGE, 4 * PAGE)
        assert m.Sys == 6 * PAGE + 4 * PAGE + FIXALLOC_CHUNK

    def test_span_struct_accounting(self):
        """fixalloc grows in 16 KiB chunks as span structs are taken."""
        s = HeapStats()
        for _ in range(FIXALLOC_CHUNK // MSPAN_STRUCT_BYTES + 1):
            s.span_struct_alloc()
        assert s.spans_sys == 2 * FIXALLOC_CHUNK
        s.span_struct_free()
        assert s.spans_in_use == FIXALLOC_CHUNK // MSPAN_STRUCT_BYTES


class TestStackInuse:
    """StackInuse/StackSys are the stack spans in use, the main goroutine's included after the run (issue 17)."""

    @staticmethod
    def _big_frame(nbytes: int):
        from gomem.runtime import types as gt

        return gt.struct_of([("pad", gt.array_of(gt.INT, nbytes // 8))])

    def test_main_stack_stays_in_use_after_main_returns(self):
        """Go's runtime.main calls exit(0): main's stack (2 KiB in a 32 KiB pool span) is never freed."""
        from gomem.runtime.runtime import Runtime

        rt = Runtime()

        def main(g):
            yield

        rt.run(main)
        m = rt.heap.read_memstats()
        assert (m.StackInuse, m.StackSys) == (32 << 10, 32 << 10)
        check_identities(m)

    def test_grown_main_stack_is_counted(self):
        """A 40 KB frame grows main's stack to 64 KiB, a span of its own; the emptied pool span goes back."""
        from gomem.runtime.runtime import Runtime

        rt = Runtime()
        big = self._big_frame(40000)

        def main(g):
            g.frame(big, "big")
            yield

        rt.run(main)
        m = rt.heap.read_memstats()
        assert (m.StackInuse, m.StackSys) == (64 << 10, 64 << 10)
        assert rt.main.stack.size == 64 << 10
        check_identities(m)

    def test_exited_goroutines_stacks_are_not_counted(self):
        """A goroutine that returned gave its (grown) stack back; only main's pool span is left."""
        from gomem.runtime.runtime import Runtime
        from gomem.runtime.sched import G_DEAD

        rt = Runtime()
        big = self._big_frame(40000)

        def child(g):
            g.frame(big, "big")
            yield

        def main(g):
            c = g.go(child)
            while c.status != G_DEAD:
                yield

        rt.run(main)
        assert rt.heap.read_memstats().StackInuse == 32 << 10

    def test_builtin_workloads_report_main_stack(self):
        """gomem run churn (a Go workload) and random (a Python one): StackInuse = StackSys > 0."""
        from clihelpers import gomem

        for argv in (["churn", "--param", "live=2048", "--param", "static=64", "--param", "replacements=2000"],
                     ["random", "--param", "steps=100", "--param", "ballast=0"]):
            rc, out, err = gomem("run", *argv, "--no-progress")
            assert rc == 0, err
            vals = dict(line.split(":", 1) for line in out.splitlines() if line.startswith("Stack"))
            inuse, sys_ = int(vals["StackInuse"]), int(vals["StackSys"])
            assert inuse == sys_ and inuse >= 32 << 10 and inuse % (32 << 10) == 0, (argv, vals)

    def test_go_program_end_of_main_equals_summary(self, tmp_path):
        """What a Go program reads as main's last statement is what gomem run's MemStats report after it."""
        from clihelpers import gomem

        src = tmp_path / "stk.go"
        src.write_text(
            "package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n)\n\n"
            "func depth(n int) int {\n\tvar pad [64]int\n\tpad[n%64] = n\n\tif n == 0 {\n\t\treturn pad[0]\n\t}\n"
            "\treturn depth(n-1) + pad[n%64]\n}\n\n"
            "func main() {\n\tfmt.Println(depth(200) > 0)\n\tvar m runtime.MemStats\n\truntime.ReadMemStats(&m)\n"
            "\tfmt.Println(m.StackInuse, m.StackSys)\n}\n"
        )
        rc, out, err = gomem("run", str(src), "--no-progress")
        assert rc == 0, err
        lines = out.splitlines()
        assert lines[0] == "true"
        inuse, sys_ = map(int, lines[1].split())
        vals = dict(line.split(":", 1) for line in err.splitlines() if line.startswith("Stack"))
        assert (int(vals["StackInuse"]), int(vals["StackSys"])) == (inuse, sys_)
        assert inuse >= 64 << 10  # depth(200) with 512-byte frames grew main's stack past 32 KiB
