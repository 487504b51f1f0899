"""Tests for ``sync.Map`` on the model (``gomem.std.support_syncmap``, issue 11 item 4).

The corpus programs tests/gorun/corpus/sync_map.go and sync_map_concurrent.go are compared with real
Go by test_gorun_corpus.py (stdout, Mallocs/TotalAlloc within 3%): it runs every ``.go`` file of the
corpus directory.  Here: what each method allocates, the results and panics a corpus line would hide,
Range's guarantees while the Map changes under it, and the collector's safety with the trie as the only
holder of the values.  Every expected line was printed by real Go 1.27 (GOMAXPROCS=1) running the same
source.
"""

from __future__ import annotations

import pytest

from gomem.cmd import realgo
from gomem.compile.program import GoPanic
from gomem.runtime.panics import NIL_DEREF
from gomem.std import support_syncmap as SM

from gorunhelpers import run


def main_src(imports: str, body: str, decls: str = "") -> str:
    imps = "".join(f'\t"{i}"\n' for i in imports.split())
    return f"package main\n\nimport (\n{imps})\n{decls}\nfunc main() {{\n{body}\n}}\n"


_DELTA = """
var ms runtime.MemStats

func delta(name string, f func()) {
	runtime.ReadMemStats(&ms)
	m0, t0 := ms.Mallocs, ms.TotalAlloc
	f()
	runtime.ReadMemStats(&ms)
	fmt.Println(name, ms.Mallocs-m0, ms.TotalAlloc-t0)
}
"""


class TestLayout:
    """The nodes are Go's sizes."""

    def test_nodes_have_gos_layout(self):
        """indirect[any, any] is 152 bytes (children at 24), entry[any, any] 48 (key at 16, value at 32)."""
        assert SM.INDIRECT_TYPE.size == 152 and SM.ENTRY_TYPE.size == 48
        offs = SM.INDIRECT_TYPE.pointer_offsets()
        assert list(offs) == [16] + [24 + 8 * k for k in range(16)]
        assert list(SM.ENTRY_TYPE.pointer_offsets()) == [8, 24, 40]  # overflow and the two data words

    def test_map_is_48_bytes(self, tmp_path):
        out, _, _ = run(main_src("fmt sync unsafe", "\tvar m sync.Map\n\tfmt.Println(unsafe.Sizeof(m))"), tmp_path)
        assert out == "48\n"


_METHODS_BODY = """
	m := new(sync.Map)
	delta("Load of a zero Map", func() { m.Load(1) })
	m2 := new(sync.Map)
	delta("first Store", func() { m2.Store(1, 2) })
	delta("Store of a present key", func() { m2.Store(1, 3) })
	delta("LoadOrStore present", func() { m2.LoadOrStore(1, 4) })
	delta("Swap present", func() { m2.Swap(1, 5) })
	delta("CompareAndSwap hit", func() { m2.CompareAndSwap(1, 5, 6) })
	delta("CompareAndSwap miss", func() { m2.CompareAndSwap(1, 5, 7) })
	delta("LoadAndDelete", func() { m2.LoadAndDelete(1) })
	delta("Delete absent", func() { m2.Delete(1) })
	delta("Range", func() { m2.Range(func(k, v any) bool { return true }) })
	delta("Clear", func() { m2.Clear() })
	var z sync.Map
	delta("zero value Store", func() { z.Store(1, 1) })"""
#: what real Go 1.27 prints for it: the root indirect node is 160 bytes (152 in the 160-byte class), an
#: entry 48; the small int keys and values are in staticuint64s
_METHODS_ALLOCATE = ("Load of a zero Map 1 160\n"
                     "first Store 2 208\n"
                     "Store of a present key 1 48\n"
                     "LoadOrStore present 0 0\n"
                     "Swap present 1 48\n"
                     "CompareAndSwap hit 1 48\n"
                     "CompareAndSwap miss 0 0\n"
                     "LoadAndDelete 0 0\n"
                     "Delete absent 0 0\n"
                     "Range 0 0\n"
                     "Clear 1 160\n"
                     "zero value Store 2 208\n")


class TestAllocations:
    """What each method allocates, as runtime.ReadMemStats shows it around the call."""

    def test_each_method_allocates_what_gos_does(self, tmp_path):
        out, _, _ = run(main_src("fmt runtime sync", _METHODS_BODY, _DELTA), tmp_path)
        assert out == _METHODS_ALLOCATE

    @pytest.mark.realgo
    @pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
    def test_real_go_allocates_the_same(self, tmp_path):
        """The figures above are real Go's (the nodes' sizes and counts the module's constants give)."""
        src = tmp_path / "allocs.go"
        src.write_text(main_src("fmt runtime sync", _METHODS_BODY, _DELTA))
        go = realgo.run_go_source(src, env={"GOMAXPROCS": "1", "GOGC": "off"})
        assert go.returncode == 0, go.stderr
        assert go.stdout == _METHODS_ALLOCATE

    def test_a_thousand_keys_make_about_as_many_indirect_nodes_as_go(self, tmp_path):
        """1000 int keys: 1000 entries, the boxed keys and values above 255, and the trie's indirect nodes,
        whose number depends on the hash seed (real Go, six runs: 2838..2869 objects, 115600..120560
        bytes)."""
        body = """
	var m sync.Map
	m.Store(0, 0)
	delta("stores", func() {
		for i := 1; i <= 1000; i++ {
			m.Store(i, i)
		}
	})"""
        for seed in (1, 2, 3):
            out, _, _ = run(main_src("fmt runtime sync", body, _DELTA), tmp_path, seed=seed)
            _, mallocs, total = out.split()
            assert 2820 <= int(mallocs) <= 2890 and 113000 <= int(total) <= 123000, out


class TestSemantics:
    """Results of the methods, as Go's."""

    def test_keys_are_compared_as_interfaces(self, tmp_path):
        """int(1), int64(1) and int32(1) are three keys; structs, arrays, floats and nil are keys by value."""
        decls = "\ntype pt struct{ x, y int }\n"
        body = """
	var m sync.Map
	m.Store(1, "int")
	m.Store(int64(1), "int64")
	m.Store(pt{1, 2}, "pt")
	m.Store([2]string{"a", "b"}, "array")
	m.Store(nil, "nil")
	m.Store(-0.0, "zero")
	s := "a"
	for _, k := range []any{1, int64(1), int32(1), pt{1, 2}, pt{2, 1}, [2]string{s, "b"}, nil, 0.0} {
		v, ok := m.Load(k)
		fmt.Print(v, " ", ok, "; ")
	}
	fmt.Println()"""
        out, _, _ = run(main_src("fmt sync", body, decls), tmp_path)
        assert out == "int true; int64 true; <nil> false; pt true; <nil> false; array true; nil true; zero true; \n"

    def test_the_methods_return_what_gos_return(self, tmp_path):
        body = """
	var m sync.Map
	v, ok := m.LoadOrStore("a", 1)
	fmt.Println(v, ok)
	v, ok = m.LoadOrStore("a", 2)
	fmt.Println(v, ok)
	v, ok = m.Swap("a", 3)
	fmt.Println(v, ok)
	v, ok = m.Swap("b", 4)
	fmt.Println(v, ok)
	fmt.Println(m.CompareAndSwap("a", 1, 5), m.CompareAndSwap("a", 3, 5), m.CompareAndSwap("c", nil, 1))
	fmt.Println(m.CompareAndDelete("a", 3), m.CompareAndDelete("a", 5), m.CompareAndDelete("a", 5))
	v, ok = m.LoadAndDelete("b")
	fmt.Println(v, ok)
	v, ok = m.LoadAndDelete("b")
	fmt.Println(v, ok)
	m.Store("x", nil)
	v, ok = m.Load("x")
	fmt.Println(v, ok)
	fmt.Println(m.CompareAndDelete("x", nil))
	v, ok = m.Load("x")
	fmt.Println(v, ok)"""
        out, _, _ = run(main_src("fmt sync", body), tmp_path)
        assert out == ("1 false\n1 true\n1 true\n<nil> false\nfalse true false\nfalse true false\n4 true\n"
                       "<nil> false\n<nil> true\ntrue\n<nil> false\n")

    def test_colliding_hashes_share_an_overflow_chain(self, tmp_path):
        """int(7) and int64(7) hash alike (the dynamic type is not hashed, as in Go): one chain of two
        entries, each method finds its own."""
        body = """
	var m sync.Map
	for round := 0; round < 2; round++ {
		m.Store(7, "int")
		m.Store(int64(7), "int64")
		m.Store(uint64(7), "uint64")
		v, ok := m.Swap(int64(7), "int64'")
		fmt.Println(v, ok)
		fmt.Println(m.CompareAndSwap(uint64(7), "uint64", "uint64'"), m.CompareAndDelete(7, "int"))
		a, _ := m.Load(int64(7))
		b, _ := m.Load(uint64(7))
		_, ok = m.Load(7)
		fmt.Println(a, b, ok)
		m.Delete(uint64(7))
		v, ok = m.LoadAndDelete(int64(7))
		fmt.Println(v, ok)
	}
	n := 0
	m.Range(func(k, v any) bool { n++; return true })
	fmt.Println(n)"""
        out, _, _ = run(main_src("fmt sync", body), tmp_path)
        assert out == ("int64 true\ntrue true\nint64' uint64' false\nint64' true\n") * 2 + "0\n"

    def test_range_stops_and_sees_each_key_once_while_f_writes(self, tmp_path):
        """f may Store and Delete: no key is visited twice, every key present all along is visited."""
        body = """
	var m sync.Map
	for i := 0; i < 500; i++ {
		m.Store(i, i)
	}
	seen := map[int]int{}
	m.Range(func(k, v any) bool {
		i := k.(int)
		seen[i]++
		if i < 500 {
			m.Store(i+1000, i)
			m.Delete(i ^ 1)
		}
		return true
	})
	twice, kept := 0, 0
	for _, n := range seen {
		if n > 1 {
			twice++
		}
	}
	m.Range(func(k, v any) bool { kept++; return true })
	stops := 0
	m.Range(func(k, v any) bool { stops++; return stops < 3 })
	fmt.Println(twice, kept, stops)"""
        out, _, _ = run(main_src("fmt sync", body), tmp_path)
        assert out == "0 500 3\n"


class TestPanics:
    """Go's panics for misuse."""

    def test_a_panic_in_ranges_function_unwinds_and_the_map_stays_usable(self, tmp_path):
        body = """
	var m sync.Map
	for i := 0; i < 100; i++ {
		m.Store(i, i)
	}
	func() {
		defer func() { fmt.Println("recovered", recover()) }()
		m.Range(func(k, v any) bool {
			if k.(int) == 50 {
				panic("stop")
			}
			return true
		})
	}()
	n := 0
	m.Range(func(k, v any) bool { n++; return true })
	m.Store(1000, 1)
	v, ok := m.Load(1000)
	fmt.Println(n, v, ok)"""
        out, _, _ = run(main_src("fmt sync", body), tmp_path)
        assert out == "recovered stop\n100 1 true\n"

    @pytest.mark.parametrize("call, name", [
        ("m.Store([]int{1}, 1)", "[]int"),
        ("m.Load(map[int]int{})", "map[int]int"),
        ("m.LoadOrStore(func() {}, 1)", "func()"),
        ("m.Delete(S{})", "main.S"),  # the topmost type, not its slice field
        ("m.Swap([1]S{}, 1)", "[1]main.S"),
    ])
    def test_an_unhashable_key_panics_in_gos_words(self, tmp_path, call, name):
        decls = "\ntype S struct {\n\ta  int\n\txs []int\n}\n"
        with pytest.raises(GoPanic) as e:
            run(main_src("sync", f"\tvar m sync.Map\n\t{call}", decls), tmp_path)
        assert e.value.message == f"runtime error: hash of unhashable type {name}"

    def test_comparing_uncomparable_values_panics_and_leaves_the_map_usable(self, tmp_path):
        body = """
	var m sync.Map
	m.Store("k", []int{1})
	func() {
		defer func() { fmt.Println(recover()) }()
		m.CompareAndSwap("k", []int{1}, 2)
	}()
	func() {
		defer func() { fmt.Println(recover()) }()
		m.Store([]int{}, 1)
	}()
	m.Store("k", 3)
	v, ok := m.Load("k")
	fmt.Println(v, ok)"""
        out, _, _ = run(main_src("fmt sync", body), tmp_path)
        assert out == ("runtime error: comparing uncomparable type []int\n"
                       "runtime error: hash of unhashable type []int\n3 true\n")

    def test_a_nil_map_pointer_is_the_nil_dereference(self, tmp_path):
        with pytest.raises(GoPanic) as e:
            run(main_src("sync", "\tvar m *sync.Map\n\tm.Load(1)"), tmp_path)
        assert e.value.message.startswith(NIL_DEREF)


_GC_DURING_RANGE = """
type rec struct {
	id   int
	name string
	next *rec
}

func main() {
	var m sync.Map
	for i := 0; i < 4000; i++ {
		r := &rec{id: i, name: strconv.Itoa(i)}
		if p, ok := m.Load(i - 1); ok {
			r.next = p.(*rec)
		}
		m.Store(i, r)
	}
	for i := 0; i < 4000; i++ {
		if i%8 != 0 {
			m.Delete(i)
		}
	}
	runtime.GC()
	garbage := 0
	sum := 0
	m.Range(func(k, v any) bool {
		r := v.(*rec)
		sum += r.id + len(r.name)
		if r.next != nil {
			sum += r.next.id
		}
		for j := 0; j < 40; j++ {
			garbage += len(make([]byte, 64+j))
		}
		if k.(int)%400 == 0 {
			runtime.GC()
			m.Swap(k, &rec{id: -1, name: "swapped"})
		}
		return true
	})
	runtime.GC()
	after := 0
	m.Range(func(k, v any) bool { after += v.(*rec).id + len(v.(*rec).name); return true })
	fmt.Println(sum, after, garbage)
}
"""


class TestCollector:
    """The trie holds the only references to its keys and values; the collector must see them all."""

    @pytest.mark.parametrize("mode", ["go1.5", "yuasa", "go1.8"])
    def test_a_gc_during_range_after_many_deletes_keeps_the_live_values(self, tmp_path, mode):
        out, ms, _ = run("package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n\t\"strconv\"\n\t\"sync\"\n)\n"
                         + _GC_DURING_RANGE, tmp_path, mode=mode, gogc=5, checkmark=True, clobberfree=True)
        assert ms.NumGC >= 12
        assert out == "1997361 981885 1670000\n"

    @pytest.mark.parametrize("procs, seed", [(1, 1), (1, 5)])
    def test_the_corpus_programs_lose_nothing_under_checkmark(self, procs, seed):
        out, ms, _ = run("sync_map.go", procs=procs, seed=seed, gogc=1, checkmark=True, clobberfree=True)
        assert ms.NumGC >= 6
        assert "big: 2000 [0 2 3 5 6] [2996 2997 2999] 6500 14631\n" in out and out.endswith("clear\n")
        out, ms, _ = run("sync_map_concurrent.go", procs=procs, seed=seed, policy="random", gogc=1,
                         checkmark=True, clobberfree=True)
        assert ms.NumGC >= 3  # the Range goroutine's runtime.GC()s
        assert out.endswith("shared 1600 [1 2 3 4 6 7] deleted 400 swapped 400 prefixed 400\n")


# -- sync/atomic's Pointer[T] (the same item of issue 11) -------------------------------------------------


class TestAtomicPointer:
    """``atomic.Pointer[T]`` (gomem.compile.libatomic.pointer_type, support_atomic's AT_*_pointer)."""

    def test_the_methods_return_what_gos_return(self, tmp_path):
        decls = "\ntype cfg struct{ n int }\n"
        body = """
	var p atomic.Pointer[cfg]
	fmt.Printf("%T %T %v\\n", &p, p.Load(), p.Load() == nil)
	c := &cfg{1}
	p.Store(c)
	old := p.Swap(&cfg{2})
	fmt.Println(old == c, p.Load().n, p.CompareAndSwap(old, c), p.CompareAndSwap(p.Load(), c), p.Load() == c)
	var q atomic.Pointer[int]
	fmt.Println(q.CompareAndSwap(nil, nil), q.Swap(nil) == nil, unsafe.Sizeof(q))"""
        out, _, _ = run(main_src("fmt sync/atomic unsafe", body, decls), tmp_path)
        assert out == ("*atomic.Pointer[main.cfg] *main.cfg true\n"
                       "true 2 false true true\n"
                       "true true 8\n")

    def test_a_local_pointer_and_what_it_stores_move_to_the_heap(self, tmp_path):
        """As ``go build -gcflags=-m`` says: ``moved to heap: p`` and ``&cfg{...} escapes to heap`` (every
        parameter of the methods leaks), so the Store costs two objects."""
        decls = "\ntype cfg struct{ n int }\n"
        body = """
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m0, t0 := ms.Mallocs, ms.TotalAlloc
	var p atomic.Pointer[cfg]
	p.Store(&cfg{1})
	runtime.ReadMemStats(&ms)
	fmt.Println(ms.Mallocs-m0, ms.TotalAlloc-t0, p.Load().n)"""
        out, _, _ = run(main_src("fmt runtime sync/atomic", body, decls), tmp_path)
        assert out == "2 24 1\n"  # the 8-byte Pointer, and a fresh 16-byte tiny block for the cfg

    def test_a_nil_receiver_is_the_nil_dereference(self, tmp_path):
        with pytest.raises(GoPanic) as e:
            run(main_src("sync/atomic", "\tvar p *atomic.Pointer[int]\n\tp.Store(nil)"), tmp_path)
        assert e.value.message.startswith(NIL_DEREF)

    @pytest.mark.parametrize("mode", ["go1.5", "yuasa", "go1.8"])
    def test_the_pointer_is_a_root_the_collector_traces(self, mode):
        """atomic_pointer.go under checkmark: the Pointers are the only references to their targets while
        the stack's CompareAndSwaps and the Swaps replace them (each store through the write barrier)."""
        for procs in (1, 2):
            out, ms, _ = run("atomic_pointer.go", mode=mode, procs=procs, gogc=1, checkmark=True, clobberfree=True)
            assert ms.NumGC >= 7
            assert out.startswith("config 30 31 h30 [50 50 50 50] -1\nstack 800 0 0 3199 0 800 true\n"
                                  "slice 316 AbbCCCddddEEEEEfffff 2016\n")
