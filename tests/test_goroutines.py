"""Goroutines, channels, select and sync on the model (issue 11's first increment).

The corpus programs tests/gorun/corpus/chan_*.go are compared with real Go by
test_gorun_corpus.py (stdout, exit status, Mallocs/TotalAlloc within 3%, the
deadlock report's wait reasons).  Here: the collector's safety on concurrent
programs under every mode and several Ps, the barrier-less mode caught, the same
output for every seed of the random scheduler, and the runtime's bookkeeping
(g reuse, runnext, Go's panics and fatal errors).
"""

from __future__ import annotations


import pytest

from gomem.cmd import realgo
from gomem.compile.program import GoPanic
from gomem.errors import GomemError
from gomem.runtime.panics import GoFatal

from gorunhelpers import CORPUS, run


@pytest.mark.parametrize("procs", [1, 2, 4])
@pytest.mark.parametrize("mode", ["stw", "go1.3", "go1.5", "yuasa", "go1.8"])
def test_concurrent_program_loses_nothing_under_checkmark(mode, procs):
    out, ms, _ = run("chan_swap.go", mode=mode, procs=procs, gogc=10, checkmark=True, clobberfree=True)
    assert ms.NumGC >= 3
    assert out == "sum 88500 42 19999\n"


@pytest.mark.parametrize("procs", [2, 4])
def test_without_a_barrier_checkmark_catches_an_object_lost_through_a_channel(procs):
    """--gc none on chan_handoff.go: the sudogs that move between the P's caches and the blocked senders'
    frames are lost (checkmark's exit 4) at every GOGC tried; the safe modes keep them (the test below)."""
    with pytest.raises(GomemError) as e:
        run("chan_handoff.go", mode="none", procs=procs, gogc=50, checkmark=True, clobberfree=True)
    assert e.value.exit_status == 4
    assert "unmarked" in str(e.value)


@pytest.mark.parametrize("procs", [1, 2, 4])
@pytest.mark.parametrize("mode", ["go1.5", "go1.8"])
def test_goroutine_handoffs_lose_nothing_under_checkmark(mode, procs):
    out, ms, _ = run("chan_handoff.go", mode=mode, procs=procs, gogc=50, checkmark=True, clobberfree=True)
    assert out == "sum 17997000 live 20000\n"  # real Go prints this (the corpus test checks it too)
    assert ms.NumGC >= 3


@pytest.mark.parametrize("mode", ["go1.5", "go1.8"])
def test_producers_and_consumers_under_checkmark_with_two_ps(mode):
    out, ms, _ = run("chan_gc.go", mode=mode, procs=2, checkmark=True)
    assert out == "total 2699946\n"
    assert ms.NumGC >= 3


def test_every_seed_of_the_random_scheduler_gives_the_programs_result():
    want = None
    outs = set()
    for seed in range(1, 21):
        out, _, _ = run("chan_workers.go", policy="random", seed=seed, procs=2)
        outs.add(out)
        want = want or out
    assert outs == {want}
    assert want.splitlines()[-1] == "handled 2000 total 52224000"  # real Go prints this line (the corpus test checks the rest)


def test_the_same_seed_gives_the_same_schedule():
    a = run("chan_pipeline.go", policy="random", seed=7, procs=2)[2]
    b = run("chan_pipeline.go", policy="random", seed=7, procs=2)[2]
    assert a.now == b.now and a.heap.stats.total_alloc == b.heap.stats.total_alloc


def test_dead_goroutines_are_reused_as_go_reuses_them(tmp_path):
    src = """package main

import (
	"fmt"
	"runtime"
)

func f(done chan<- bool) { done <- true }

func main() {
	done := make(chan bool)
	var a, b runtime.MemStats
	go f(done)
	<-done
	runtime.Gosched()
	runtime.ReadMemStats(&a)
	for i := 0; i < 10; i++ {
		go f(done)
		<-done
		runtime.Gosched()
	}
	runtime.ReadMemStats(&b)
	fmt.Println(b.Mallocs-a.Mallocs, b.TotalAlloc-a.TotalAlloc, runtime.NumGoroutine())
}
"""
    out, _, rt = run(src, tmp_path)
    # each go statement takes the g the previous one left on the P's free list: its only malloc is the
    # 16-byte closure of its gowrap (real Go 1.27 prints the same line)
    assert out == "10 160 1\n"
    assert rt.procs.next_goid == 6 + 11


def test_a_new_goroutine_runs_next(tmp_path):
    src = """package main

import (
	"fmt"
	"runtime"
)

func say(s string) { fmt.Println(s) }

func main() {
	go say("a")
	go say("b")
	go say("c")
	runtime.Gosched()
	runtime.Gosched()
	fmt.Println("main")
}
"""
    out, _, _ = run(src, tmp_path)
    # Go (GOMAXPROCS=1): the last goroutine made is in runnext, the earlier ones behind it in the queue
    assert out == "c\na\nb\nmain\n"


def test_deadlock_is_goes_fatal_error_with_every_goroutine(tmp_path):
    src = """package main

import "sync"

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	mu.Lock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
	}()
	wg.Wait()
}
"""
    with pytest.raises(GoFatal) as e:
        run(src, tmp_path)
    text = e.value.go_text()
    assert text.startswith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.WaitGroup.Wait]:\n")
    assert "goroutine 6 [sync.Mutex.Lock]:\nmain.main.func1(...)\n" in text
    assert "created by main.main in goroutine 1\n" in text
    assert e.value.exit_status == 2


@pytest.mark.parametrize("body, message", [
    ("c := make(chan int); close(c); close(c)", "close of closed channel"),
    ("var c chan int; close(c)", "close of nil channel"),
    ("c := make(chan int, 1); close(c); c <- 1", "send on closed channel"),
    ("var wg sync.WaitGroup; wg.Done()", "sync: negative WaitGroup counter"),
    ("n := -1; _ = make(chan int, n)", "makechan: size out of range"),
])
def test_misuse_panics_in_gos_words(tmp_path, body, message):
    src = f"package main\n\nimport \"sync\"\n\nvar _ sync.Mutex\n\nfunc main() {{\n\t{body}\n}}\n"
    with pytest.raises(GoPanic) as e:
        run(src, tmp_path)
    assert e.value.message == message


def test_unlock_of_unlocked_mutex_is_fatal(tmp_path):
    src = "package main\n\nimport \"sync\"\n\nfunc main() {\n\tvar mu sync.Mutex\n\tmu.Unlock()\n}\n"
    with pytest.raises(GoFatal) as e:
        run(src, tmp_path)
    assert e.value.go_text().startswith("fatal error: sync: unlock of unlocked mutex\n")


def test_select_picks_uniformly_among_ready_cases(tmp_path):
    src = """package main

import "fmt"

func main() {
	a := make(chan int, 1)
	b := make(chan int, 1)
	na, nb := 0, 0
	for i := 0; i < 2000; i++ {
		a <- 1
		b <- 2
		select {
		case <-a:
			na++
			<-b
		case <-b:
			nb++
			<-a
		}
	}
	fmt.Println(na+nb, na > 850 && nb > 850)
}
"""
    out, _, _ = run(src, tmp_path)
    assert out == "2000 true\n"


def test_sleep_costs_model_time_not_wall_time(tmp_path):
    src = """package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan int)
	go func() {
		time.Sleep(3 * time.Second)
		done <- 1
	}()
	fmt.Println(<-done)
}
"""
    out, _, rt = run(src, tmp_path)
    assert out == "1\n"
    assert rt.now >= 3_000_000_000


@pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
@pytest.mark.parametrize("name", ["time_timers.go", "time_semantics.go", "sync_starvation.go"])
def test_timer_programs_print_what_real_go_prints(name):
    """The corpus programs whose allocation figures differ (test_gorun_corpus.DIFFERS): stdout still Go's."""
    go = realgo.run_go_source(CORPUS / name, env={"GOMAXPROCS": "1"})
    assert go.returncode == 0, go.stderr
    out, _, _ = run(name)
    assert out == go.stdout


@pytest.mark.parametrize("mode, procs", [("go1.8", 2), ("go1.5", 1), ("yuasa", 2)])
def test_contexts_and_timers_lose_nothing_under_checkmark(mode, procs):
    out, ms, _ = run("ctx_cancel.go", mode=mode, procs=procs, gogc=5, checkmark=True, clobberfree=True)
    assert out.splitlines()[0] == "sum 2870 context canceled true"


def test_scannable_stack_count_follows_every_live_goroutine():
    """rt.scannable_stack (Go's maxStackScan, kept incrementally) equals the sum over live goroutines."""
    from gomem.runtime.sched import G_DEAD

    for name in ("chan_blocked.go", "chan_gc.go"):
        _, _, rt = run(name)
        live = sum(g.stack.size for g in rt.sched.allgs if g.status != G_DEAD)
        assert rt.scannable_stack == live


def test_the_first_blocked_goroutine_reuses_start_ups_sudog(tmp_path):
    """Go 1.27 (measured, GOMAXPROCS=1): the first goroutine, blocked on a channel, costs one malloc, its
    480-byte g; its sudog is the one the runtime's start-up left in P 0's cache. The second costs its g and
    a new sudog (104 bytes, a 112-byte object)."""
    src = """package main

import (
	"fmt"
	"runtime"
)

var block = make(chan int)

func f() { <-block }

func main() {
	var a, b, c runtime.MemStats
	runtime.ReadMemStats(&a)
	go f()
	runtime.Gosched()
	runtime.ReadMemStats(&b)
	go f()
	runtime.Gosched()
	runtime.ReadMemStats(&c)
	fmt.Println(b.Mallocs-a.Mallocs, b.TotalAlloc-a.TotalAlloc, c.Mallocs-b.Mallocs, c.TotalAlloc-b.TotalAlloc)
}
"""
    out, _, _ = run(src, tmp_path)
    assert out == "1 480 2 592\n"  # real Go 1.27 prints this line


def test_g_descriptors_stay_reachable_from_allgs(tmp_path):
    """A goroutine's g is reachable from runtime.allgs from its first go statement on (start-up's array is
    the model's too): GCs while it lives do not free it."""
    src = """package main

import (
	"fmt"
	"runtime"
)

func main() {
	c := make(chan int)
	done := make(chan bool)
	go func() { c <- 1; done <- true }()
	runtime.Gosched()
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	fmt.Println(<-c, <-done)
}
"""
    out, _, rt = run(src, tmp_path, checkmark=True)
    assert out == "1 true\n"
    descs = [g.desc for g in rt.sched.allgs if g.desc]
    assert descs and all(rt.heap.is_valid_pointer(d) for d in descs)


@pytest.mark.parametrize("name", ["chan_workers.go", "sync_atomic.go", "chan_pipeline.go"])
def test_four_ps_stealing_in_any_order_give_the_programs_result(name):
    """Go's scheduler at --procs 4 (stealWork's random victim order from the seed) ends every program as
    one P does: chan_workers.go and sync_atomic.go once reported a false deadlock while their only work sat in another P's runnext."""
    want = run(name, procs=1)[0]
    for seed in (3, 7):
        assert run(name, procs=4, seed=seed)[0] == want
