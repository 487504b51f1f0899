"""sync/atomic, sync.Cond and sync.Pool on the model (issue 11, item 4).

The corpus programs tests/gorun/corpus/sync_*.go are compared with real Go by
test_gorun_corpus.py (stdout, Mallocs/TotalAlloc within 3%).  Here: the
semantics a corpus line would hide — wrap-around and old/new results of the
atomics, Go's panics and fatal errors for misuse, the FIFO order of Cond
wake-ups, the victim cache and its clearing by two GCs, what a Pool's first
Get allocates at several Ps — and the collector's safety on these programs.
Every expected line was printed by real Go 1.27 (GOMAXPROCS=1 unless the test
says otherwise) running the same source.
"""

from __future__ import annotations


import pytest

from gomem.compile.program import GoPanic
from gomem.runtime.panics import NIL_DEREF, GoFatal

from gorunhelpers import CORPUS, run


def main_src(imports: str, body: str, decls: str = "") -> str:
    imps = "".join(f'\t"{i}"\n' for i in imports.split())
    return f"package main\n\nimport (\n{imps})\n{decls}\nfunc main() {{\n{body}\n}}\n"


# -- sync/atomic ------------------------------------------------------------------------------------


def test_atomic_functions_wrap_and_return_as_go(tmp_path):
    body = """
	x := int32(math.MaxInt32)
	y := int64(math.MinInt64)
	var u uint32
	var w uint64 = math.MaxUint64
	fmt.Println(atomic.AddInt32(&x, 1), atomic.AddInt64(&y, -1), atomic.AddUint32(&u, ^uint32(0)), atomic.AddUint64(&w, 2))
	fmt.Println(atomic.SwapInt32(&x, -3), atomic.CompareAndSwapInt32(&x, 3, 4), atomic.CompareAndSwapInt32(&x, -3, 4))
	fmt.Println(atomic.OrUint32(&u, 0xF00), atomic.AndUint32(&u, 0xFF), atomic.LoadUint32(&u))
	fmt.Println(atomic.AndInt64(&y, 0), atomic.OrInt64(&y, -8), y)
	atomic.StoreInt32(&x, math.MinInt32)
	fmt.Println(x, atomic.LoadInt32(&x))"""
    out, _, _ = run(main_src("fmt math sync/atomic", body), tmp_path)
    assert out == ("-2147483648 9223372036854775807 4294967295 1\n"
                   "-2147483648 false true\n"
                   "4294967295 4294967295 255\n"
                   "9223372036854775807 0 -8\n"
                   "-2147483648 -2147483648\n")


def test_atomic_types_keep_their_value_in_the_struct(tmp_path):
    decls = "\ntype T struct {\n\ta atomic.Int32\n\tb atomic.Uint64\n\tok atomic.Bool\n\tn int\n}\n"
    body = """
	t := &T{n: 5}
	t.a.Add(-2)
	t.b.Add(^uint64(0))
	fmt.Println(t.a.Load(), t.b.Load(), t.ok.Load(), t.ok.Swap(true), t.ok.CompareAndSwap(false, true), t.ok.Load())
	fmt.Println(t.a.CompareAndSwap(-2, 9), t.a.Swap(1), t.b.Swap(4), t.b.CompareAndSwap(4, 6), t.b.Load(), t.n)
	var u atomic.Uint32
	u.Store(0xF0)
	fmt.Println(u.Or(1), u.And(0x11), u.Load(), unsafe.Sizeof(*t), unsafe.Sizeof(u))"""
    out, _, _ = run(main_src("fmt sync/atomic unsafe", body, decls), tmp_path)
    assert out == ("-2 18446744073709551615 false false false true\n"
                   "true 9 18446744073709551615 true 6 5\n"
                   "240 241 17 32 4\n")


def test_atomic_on_a_nil_pointer_is_the_nil_dereference(tmp_path):
    with pytest.raises(GoPanic) as e:
        run(main_src("sync/atomic", "\tvar p *int64\n\tatomic.AddInt64(p, 1)"), tmp_path)
    assert e.value.message.startswith(NIL_DEREF)


def test_atomic_counter_is_the_same_for_every_seed_and_p_count():
    outs = {run("sync_atomic.go", policy="random", seed=s, procs=p)[0] for s in (1, 2, 3) for p in (1, 2)}
    assert len(outs) == 1
    assert outs.pop().startswith("total 29800 ops 10000\nhits 10000 bytes 29800 max 39200\n")


def test_atomic_value_holds_one_type_and_compares_by_value(tmp_path):
    body = """
	var v atomic.Value
	fmt.Println(v.Load() == nil, v.CompareAndSwap(nil, 5), v.CompareAndSwap(4, 6), v.CompareAndSwap(5, 7), v.Load())
	var s atomic.Value
	s.Store("x" + fmt.Sprint(1))
	fmt.Println(s.Swap("y"), s.CompareAndSwap("x1", "z"), s.CompareAndSwap("y", "z"), s.Load())"""
    out, _, _ = run(main_src("fmt sync/atomic", body), tmp_path)
    assert out == "true true false true 7\nx1 false true z\n"


@pytest.mark.parametrize("body, message", [
    ("var v atomic.Value; v.Store(nil)", "sync/atomic: store of nil value into Value"),
    ("var v atomic.Value; v.Store(1); v.Store(\"s\")", "sync/atomic: store of inconsistently typed value into Value"),
    ("var v atomic.Value; v.Store(1); v.Swap(2.5)", "sync/atomic: swap of inconsistently typed value into Value"),
    ("var v atomic.Value; v.CompareAndSwap(1, \"s\")", "sync/atomic: compare and swap of inconsistently typed values"),
])
def test_atomic_value_misuse_panics_in_gos_words(tmp_path, body, message):
    with pytest.raises(GoPanic) as e:
        run(main_src("sync/atomic", "\t" + body), tmp_path)
    assert e.value.message == message


# -- sync.Cond ---------------------------------------------------------------------------------------

_COND_WAITERS = """
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	waiting := 0
	var woke []int
	for i := 0; i < 5; i++ {
		go func(i int) {
			mu.Lock()
			waiting++
			c.Wait()
			woke = append(woke, i)
			mu.Unlock()
		}(i)
		runtime.Gosched()
	}
	for waiting < 5 {
		runtime.Gosched()
	}
"""


def test_cond_signal_wakes_the_waiters_in_the_order_they_waited(tmp_path):
    body = _COND_WAITERS + """
	for k := 0; k < 5; k++ {
		mu.Lock()
		c.Signal()
		mu.Unlock()
		for len(woke) == k {
			runtime.Gosched()
		}
	}
	fmt.Println(woke)"""
    out, _, _ = run(main_src("fmt runtime sync", body), tmp_path)
    assert out == "[0 1 2 3 4]\n"


def test_cond_broadcast_wakes_every_waiter_and_the_last_readied_runs_first(tmp_path):
    body = _COND_WAITERS + """
	mu.Lock()
	c.Broadcast()
	mu.Unlock()
	for len(woke) < 5 {
		runtime.Gosched()
	}
	fmt.Println(woke)"""
    out, _, _ = run(main_src("fmt runtime sync", body), tmp_path)
    # goready puts each woken goroutine in runnext, pushing the one before to the run queue's tail
    assert out == "[4 0 1 2 3]\n"


def test_cond_with_a_locker_in_a_literal_and_an_rwmutex(tmp_path):
    body = """
	var rw sync.RWMutex
	c := sync.Cond{L: &rw}
	n := 0
	go func() {
		rw.Lock()
		n = 1
		c.Signal()
		rw.Unlock()
	}()
	rw.Lock()
	for n == 0 {
		c.Wait()
	}
	rw.Unlock()
	fmt.Println(n)"""
    out, _, _ = run(main_src("fmt sync", body), tmp_path)
    assert out == "1\n"


def test_cond_calls_a_programs_own_locker(tmp_path):
    decls = """
type spin struct {
	held         bool
	locks, unlocks int
}

func (s *spin) Lock() {
	for s.held {
		runtime.Gosched()
	}
	s.held = true
	s.locks++
}

func (s *spin) Unlock() {
	s.held = false
	s.unlocks++
}
"""
    body = """
	l := &spin{}
	c := sync.NewCond(l)
	ready := false
	go func() {
		l.Lock()
		ready = true
		c.Broadcast()
		l.Unlock()
	}()
	l.Lock()
	for !ready {
		c.Wait()
	}
	l.Unlock()
	fmt.Println(l.locks, l.unlocks, l.held)"""
    out, _, _ = run(main_src("fmt runtime sync", body, decls), tmp_path)
    assert out == "3 3 false\n"


def test_a_copied_cond_panics_in_gos_words(tmp_path):
    body = "\tvar mu sync.Mutex\n\tc := sync.Cond{L: &mu}\n\tc.Signal()\n\td := c\n\td.Signal()"
    with pytest.raises(GoPanic) as e:
        run(main_src("sync", body), tmp_path)
    assert e.value.message == "sync.Cond is copied"


def test_wait_without_the_lock_is_the_unlock_fatal_error(tmp_path):
    body = "\tvar mu sync.Mutex\n\tc := sync.NewCond(&mu)\n\tc.Wait()"
    with pytest.raises(GoFatal) as e:
        run(main_src("sync", body), tmp_path)
    assert e.value.go_text().startswith("fatal error: sync: unlock of unlocked mutex\n")


def test_a_goroutine_left_waiting_shows_sync_cond_wait_in_the_deadlock_report(tmp_path):
    body = "\tvar mu sync.Mutex\n\tc := sync.NewCond(&mu)\n\tmu.Lock()\n\tc.Wait()"
    with pytest.raises(GoFatal) as e:
        run(main_src("sync", body), tmp_path)
    assert e.value.go_text().startswith(
        "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.Cond.Wait]:\n")


def test_new_cond_allocates_gos_56_bytes(tmp_path):
    decls = "\nvar keep *sync.Cond\n"
    body = """
	var mu sync.Mutex
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	keep = sync.NewCond(&mu)
	runtime.ReadMemStats(&b)
	fmt.Println(b.Mallocs-a.Mallocs, b.TotalAlloc-a.TotalAlloc)"""
    out, _, _ = run(main_src("fmt runtime sync", body, decls), tmp_path)
    assert out == "1 64\n"  # the 56-byte Cond in the 64-byte size class


# -- sync.Pool ---------------------------------------------------------------------------------------

_POOL_DECLS = """
type obj struct{ id, b, c, d int }

var made int

func newObj() any {
	made++
	return &obj{id: made}
}

var p = sync.Pool{New: newObj}
"""


def test_pool_victim_cache_survives_one_gc_and_two_clear_it(tmp_path):
    body = """
	a := p.Get().(*obj)
	p.Put(a)
	runtime.GC()
	b := p.Get().(*obj)
	p.Put(b)
	runtime.GC()
	runtime.GC()
	c := p.Get().(*obj)
	fmt.Println(a.id, b.id, c.id, made)"""
    out, _, _ = run(main_src("fmt runtime sync", body, _POOL_DECLS), tmp_path)
    assert out == "1 1 2 2\n"


def test_pool_takes_the_private_slot_then_the_shared_chain_lifo(tmp_path):
    body = """
	var held []*obj
	for i := 0; i < 12; i++ {
		held = append(held, p.Get().(*obj))
	}
	for _, h := range held {
		p.Put(h)
	}
	var ids []int
	for i := 0; i < 13; i++ {
		ids = append(ids, p.Get().(*obj).id)
	}
	fmt.Println(ids)
	var q sync.Pool
	q.Put(nil)
	fmt.Println(q.Get() == nil)"""
    out, _, _ = run(main_src("fmt sync", body, _POOL_DECLS), tmp_path)
    # private holds the first Put; the others are popped from the chain's head, newest first
    assert out == "[1 12 11 10 9 8 7 6 5 4 3 2 13]\ntrue\n"


@pytest.mark.parametrize("procs, first_get", [(1, 176), (4, 560)])
def test_pool_first_get_allocates_the_per_p_array(tmp_path, procs, first_get):
    body = """
	var a, b, c runtime.MemStats
	fmt.Println("start")
	runtime.ReadMemStats(&a)
	x := p.Get()
	runtime.ReadMemStats(&b)
	p.Put(x)
	p.Put(new(obj))
	runtime.ReadMemStats(&c)
	fmt.Println(b.Mallocs-a.Mallocs, b.TotalAlloc-a.TotalAlloc, c.Mallocs-b.Mallocs, c.TotalAlloc-b.TotalAlloc)"""
    out, _, _ = run(main_src("fmt runtime sync", body, _POOL_DECLS), tmp_path, procs=procs)
    # allPools grows to 2 (fmt's pool is first: 16 B), 128 B of poolLocal per P, the 32-byte obj;
    # the second Put: the obj, a poolChainElt (48 B) and its ring of 8 efaces (128 B)
    assert out == f"start\n3 {first_get} 3 208\n"


@pytest.mark.parametrize("procs", [1, 2])
@pytest.mark.parametrize("mode", ["stw", "go1.5", "go1.8"])
def test_pool_and_cond_programs_lose_nothing_under_checkmark(mode, procs):
    out, ms, _ = run("sync_pool.go", mode=mode, procs=procs, gogc=10, checkmark=True, clobberfree=True)
    assert ms.NumGC >= 5
    assert "after one GC from victim 2 21\nafter three GCs new 22 22\n" in out
    out, ms, _ = run("sync_cond.go", mode=mode, procs=procs, gogc=10, checkmark=True, clobberfree=True)
    assert ms.NumGC >= 1
    assert "total 364950\nwaited true\n" in out and out.endswith("done\n")
    if procs == 1:  # with more Ps the woken goroutines run on several, in another order
        assert out.endswith("after Signal [4]\nafter Broadcast [4 3 0 1 2]\ndone\n")
