"""Tests for package ``context`` on the model (``gomem.compile.libcontext``, ``gomem.std.support_context``).

The corpus programs ctx_cause.go, ctx_afterfunc.go and ctx_custom_parent.go are compared with real Go
(stdout and MemStats) by test_gorun_corpus.py; here: the semantics piece by piece, the allocation of
each constructor against real Go's, the deadlock dump of a goroutine context started, the collector's
safety on the new objects, and the front-end fixes the context programs needed.
"""

from __future__ import annotations

import re

import pytest

from gomem.cmd import realgo
from gomem.compile.program import GoPanic
from gomem.runtime.panics import GoFatal

import test_gorun_corpus as H
from gorunhelpers import run

needs_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)


def prog(imports: str, body: str, decls: str = "") -> str:
    """A main package: *imports* (each used: errors is kept by a blank var), *decls*, main's *body*."""
    if '"errors"' in imports and "errors." not in body + decls:
        decls = "var _ = errors.New\n" + decls
    return f"package main\n\nimport (\n{imports}\n)\n\n{decls}\nfunc main() {{\n{body}\n}}\n"


CTX_FMT = '\t"context"\n\t"errors"\n\t"fmt"'


class TestCause:
    """WithCancelCause, WithTimeoutCause, WithDeadlineCause and Cause."""

    def test_the_first_cause_wins_and_reaches_the_children(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	p, cancel := context.WithCancelCause(context.Background())
	c, cc := context.WithCancel(context.WithValue(p, "k", 1))
	defer cc()
	fmt.Println(context.Cause(p), context.Cause(c))
	cancel(errors.New("first"))
	cancel(errors.New("second"))
	fmt.Println(p.Err(), context.Cause(p), c.Err(), context.Cause(c))"""), tmp_path)
        assert out == "<nil> <nil>\ncontext canceled first context canceled first\n"

    def test_a_nil_cause_is_the_error(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	c, cancel := context.WithCancelCause(context.Background())
	cancel(nil)
	fmt.Println(context.Cause(c) == context.Canceled)"""), tmp_path)
        assert out == "true\n"

    def test_a_childs_own_cause_stays_when_the_parent_is_canceled_later(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	p, pc := context.WithCancelCause(context.Background())
	c, cc := context.WithCancelCause(p)
	cc(errors.New("child"))
	pc(errors.New("parent"))
	fmt.Println(context.Cause(c), context.Cause(p))"""), tmp_path)
        assert out == "child parent\n"

    def test_deadline_causes(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT + '\n\t"time"', """
	slow := errors.New("slow")
	t, tc := context.WithTimeoutCause(context.Background(), time.Millisecond, slow)
	defer tc()
	<-t.Done()
	d, dc := context.WithDeadlineCause(context.Background(), time.Now().Add(-time.Second), slow)
	defer dc()
	e, ec := context.WithTimeoutCause(context.Background(), time.Hour, slow)
	ec()
	fmt.Println(t.Err(), context.Cause(t), d.Err(), context.Cause(d), e.Err(), context.Cause(e))"""), tmp_path)
        assert out == ("context deadline exceeded slow context deadline exceeded slow "
                       "context canceled context canceled\n")


class TestWithoutCancel:
    def test_values_pass_through_cancellation_does_not(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	p, cancel := context.WithCancel(context.WithValue(context.Background(), "k", "v"))
	w := context.WithoutCancel(p)
	cancel()
	_, has := w.Deadline()
	c, cc := context.WithCancel(w)
	defer cc()
	fmt.Println(w.Value("k"), w.Done() == nil, w.Err(), has, context.Cause(w), c.Err(), p.Err())"""), tmp_path)
        assert out == "v true <nil> false <nil> <nil> context canceled\n"

    def test_nil_parent_panics_in_gos_words(self, tmp_path):
        with pytest.raises(GoPanic, match="^cannot create context from nil parent$"):
            run(prog('\t"context"', "\tcontext.WithoutCancel(nil)"), tmp_path)


class TestAfterFunc:
    def test_runs_once_in_its_own_goroutine_after_cancel(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	c, cancel := context.WithCancel(context.Background())
	ran := make(chan int, 2)
	stop := context.AfterFunc(c, func() { ran <- 1 })
	cancel()
	cancel()
	fmt.Println(<-ran, len(ran), stop())"""), tmp_path)
        assert out == "1 0 false\n"

    def test_stop_before_cancel_keeps_f_from_running(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT + '\n\t"runtime"', """
	c, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(c, func() { panic("ran") })
	fmt.Println(stop(), stop())
	cancel()
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine())"""), tmp_path)
        assert out == "true false\n1\n"

    def test_on_a_context_already_done_it_starts_at_once(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	c, cancel := context.WithCancel(context.Background())
	cancel()
	ran := make(chan bool)
	context.AfterFunc(c, func() { ran <- true })
	fmt.Println(<-ran)"""), tmp_path)
        assert out == "true\n"


CUSTOM = """
type gate struct {
	context.Context
	ch chan struct{}
}

func (g gate) Done() <-chan struct{} { return g.ch }

func (g gate) Err() error {
	select {
	case <-g.ch:
		return context.Canceled
	default:
		return nil
	}
}

type wrapped struct{ context.Context }
"""


class TestCustomParent:
    """propagateCancel with a parent of the program's own type."""

    def test_a_wrapped_cancel_ctx_links_the_child_without_a_goroutine(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT + '\n\t"runtime"', """
	p, cancel := context.WithCancel(context.Background())
	c, cc := context.WithCancel(wrapped{p})
	defer cc()
	fmt.Println(runtime.NumGoroutine(), c)
	cancel()
	fmt.Println(c.Err())""", CUSTOM), tmp_path)
        assert out == "1 main.wrapped.WithCancel\ncontext canceled\n"

    def test_a_done_channel_of_its_own_is_watched_by_a_goroutine(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT + '\n\t"runtime"', """
	g := gate{context.Background(), make(chan struct{})}
	a, ac := context.WithCancel(g)
	b, bc := context.WithCancel(g)
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine())
	ac()
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine(), a.Err(), b.Err())
	close(g.ch)
	<-b.Done()
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine(), b.Err(), context.Cause(b))
	bc()""", CUSTOM), tmp_path)
        assert out == "3\n2 context canceled <nil>\n1 context canceled context canceled\n"

    def test_the_programs_value_method_answers(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	c, cc := context.WithCancel(keyed{context.Background()})
	defer cc()
	fmt.Println(c.Value("answer"), context.WithValue(c, "x", 1).Value("answer"))""", """
type keyed struct{ context.Context }

func (keyed) Value(k any) any {
	if k == "answer" {
		return 42
	}
	return nil
}
"""), tmp_path)
        assert out == "42 42\n"

    def test_an_after_funcer_parent_schedules_the_cancel_itself(self, tmp_path):
        """Go's afterFuncer: no goroutine; the child's parent is the stopCtx, and its cancel calls stop (not
        when the parent's AfterFunc canceled it first: a cancelCtx already canceled stays where it is)."""
        out, _, _ = run(prog(CTX_FMT + '\n\t"runtime"', """
	n, stops := 0, 0
	base, cancel := context.WithCancel(context.Background())
	h := hooked{base, &n, &stops}
	c1, cc1 := context.WithCancel(h)
	c2, cc2 := context.WithCancel(h)
	fmt.Println(n, runtime.NumGoroutine(), c1)
	cc2()
	fmt.Println(stops, c2.Err(), c1.Err())
	cancel()
	<-c1.Done()
	cc1()
	fmt.Println(c1.Err(), context.Cause(c1), stops)""", """
type hooked struct {
	context.Context
	calls, stops *int
}

func (h hooked) Value(k any) any { return nil }

func (h hooked) AfterFunc(f func()) func() bool {
	*h.calls++
	stop := context.AfterFunc(h.Context, f)
	return func() bool { *h.stops++; return stop() }
}
"""), tmp_path)
        assert out == "2 1 context.stopCtx.WithCancel\n1 context canceled <nil>\ncontext canceled context canceled 1\n"

    @needs_go
    def test_a_watcher_that_never_fires_is_in_the_deadlock_dump_as_go_shows_it(self, tmp_path):
        src = prog('\t"context"', """
	g := gate{context.Background(), make(chan struct{})}
	c, cancel := context.WithCancel(g)
	defer cancel()
	a, acancel := context.WithCancel(context.Background())
	block := make(chan int)
	context.AfterFunc(a, func() { <-block })
	acancel()
	<-c.Done()""", CUSTOM)
        path = tmp_path / "deadlock.go"
        path.write_text(src)
        sp = H.Spec(path, src, (), 2)
        go = H.real_go(sp, n_runs=1)
        with pytest.raises(GoFatal) as e:
            run(src, tmp_path)
        text = e.value.go_text()
        assert H.stderr_head(text.encode()) == H.stderr_head(go.stderr)
        assert H.stderr_head(go.stderr).endswith(
            b"\ngoroutine [chan receive]\ngoroutine [chan receive]\ngoroutine [select]\n")
        # Go's frame and creator names (the model's dump prefixes every name with main.: see the report)
        assert re.search(r"\[select\]:\n(main\.)?context\.\(\*cancelCtx\)\.propagateCancel\.func2\(", text)
        assert re.search(r"\ncreated by (main\.)?context\.\(\*cancelCtx\)\.propagateCancel in goroutine 1\n", text)
        assert re.search(r"\[chan receive\]:\n(main\.)?main\.func1\(.*\n.*\n"
                         r"created by (main\.)?context\.\(\*afterFuncCtx\)\.cancel\.func1 in goroutine 1\n", text)


class TestString:
    def test_context_names_as_go_prints_them(self, tmp_path):
        out, _, _ = run(prog(CTX_FMT, """
	c, cancel := context.WithCancel(context.Background())
	defer cancel()
	v := context.WithValue(c, name("k"), stringer{})
	fmt.Println(c, v)
	fmt.Printf("%v|%s\\n", context.WithoutCancel(v), context.WithValue(context.TODO(), 3, nil))""", """
type name string

type stringer struct{}

func (stringer) String() string { return "S" }
"""), tmp_path)
        assert out == ("context.Background.WithCancel context.Background.WithCancel.WithValue(main.name, S)\n"
                       "context.Background.WithCancel.WithValue(main.name, S).WithoutCancel|"
                       "context.TODO.WithValue(int, <nil>)\n")


ALLOCS = prog('\t"context"\n\t"errors"\n\t"fmt"\n\t"runtime"\n\t"time"', """
	bg := context.Background()
	p, pc := context.WithCancel(bg)
	defer pc()
	p.Done()
	g := gate{bg, make(chan struct{})}
	errX := errors.New("x")
	measure("WithCancelCause", func() { c, f := context.WithCancelCause(bg); f(errX); sink = c })
	measure("WithTimeoutCause", func() { c, f := context.WithTimeoutCause(bg, time.Hour, errX); f(); sink = c })
	measure("WithoutCancel", func() { sink = context.WithoutCancel(bg) })
	measure("AfterFunc", func() { s := context.AfterFunc(bg, func() {}); s() })
	measure("AfterFunc(cancelCtx)+stop", func() { s := context.AfterFunc(p, func() {}); s() })
	measure("WithCancel(wrapped)", func() { c, f := context.WithCancel(wrapped{p}); f(); sink = c })
	measure("WithCancel(gate)", func() { c, f := context.WithCancel(g); f(); runtime.Gosched(); sink = c })
	measure("String", func() { sink = fmt.Sprint(p) })""", CUSTOM + """
var sink any

func measure(name string, f func()) {
	var a, b runtime.MemStats
	f()
	runtime.ReadMemStats(&a)
	for i := 0; i < 100; i++ {
		f()
	}
	runtime.ReadMemStats(&b)
	fmt.Println(name, (b.Mallocs-a.Mallocs)/100, (b.TotalAlloc-a.TotalAlloc)/100)
}
""")


class TestAllocations:
    """Each constructor allocates what Go's does (whole objects of Go's size classes)."""

    def test_model_figures(self, tmp_path):
        """The figures real Go 1.27 printed for this program (``go run`` with GOMAXPROCS=1; mallocs and
        bytes per call): see support_context's docstring.  ``wrapped{p}`` and ``gate{...}`` are boxed by
        their conversion to Context (16 and 24 bytes); the gate's watcher adds its 48-byte closure."""
        out, _, _ = run(ALLOCS, tmp_path)
        assert out.splitlines()[:6] == [
            "WithCancelCause 2 96", "WithTimeoutCause 4 272", "WithoutCancel 1 16", "AfterFunc 2 128",
            "AfterFunc(cancelCtx)+stop 2 128", "WithCancel(wrapped) 3 112"]
        gate_mallocs, gate_bytes = map(int, out.splitlines()[6].split()[1:])
        assert gate_mallocs == 4 and 24 + 80 + 16 + 48 <= gate_bytes < 24 + 80 + 16 + 48 + 8

    @needs_go
    def test_as_real_go(self, tmp_path):
        path = tmp_path / "allocs.go"
        path.write_text(ALLOCS)
        go = realgo.run_go_source(path, env={"GOMAXPROCS": "1"})
        assert go.returncode == 0, go.stderr
        out, _, _ = run(ALLOCS, tmp_path)
        # Every line exact but the gate's: its watcher goroutine's bytes per call averaged over 100 calls
        # were 172 in 15 of 15 runs of real Go on an idle machine (and in the helper's) and 173 once, in a full
        # suite run beside another test process (about 100 bytes more over the 100 calls; cause not found);
        # that line's mallocs must be exact and its bytes within 1 of Go's.
        for mine, gos in zip(out.splitlines(), go.stdout.splitlines(), strict=True):
            if mine.startswith("WithCancel(gate)"):
                name, m1, b1 = mine.rsplit(" ", 2)
                _, m2, b2 = gos.rsplit(" ", 2)
                assert (name, m1) == (gos.rsplit(" ", 2)[0], m2) and abs(int(b1) - int(b2)) <= 1, (mine, gos)
            else:
                assert mine == gos


@pytest.mark.parametrize("name", ["ctx_cause.go", "ctx_afterfunc.go", "ctx_custom_parent.go"])
# (go1.8, 2) and (go1.5, 2) once crashed: the timer heap grown from the scheduler's own context ran an assist
# that parked it (g0 never assists)
@pytest.mark.parametrize("mode, procs", [("go1.8", 1), ("yuasa", 2), ("go1.5", 1), ("go1.8", 2), ("go1.5", 2)])
def test_context_objects_survive_a_collector_under_checkmark(name, mode, procs):
    """Every pointer the contexts keep (parents, children maps, watcher closures, AfterFunc's f) is seen."""
    out, _, _ = run(name, mode=mode, procs=procs, gogc=5, checkmark=True, clobberfree=True)
    base, _, _ = run(name)  # Go's stdout (test_gorun_corpus.py)
    assert out == base


class TestFrontEnd:
    """The fixes the context programs needed outside package context."""

    def test_a_calls_result_as_the_receiver_of_a_two_result_method(self, tmp_path):
        out, _, _ = run(prog('\t"context"\n\t"fmt"', """
	_, ok := context.Background().Deadline()
	a, b := mk().Two()
	fmt.Println(ok, a, b)""", """
type I interface{ Two() (int, bool) }

type T struct{ x int }

func (t *T) Two() (int, bool) { return t.x, true }

func mk() I { return &T{3} }
"""), tmp_path)
        assert out == "false 3 true\n"

    def test_a_struct_embedding_an_interface_has_its_methods(self, tmp_path):
        out, _, _ = run(prog('\t"fmt"', """
	s := S{&A{5}, 1}
	var i I = s
	var p I = &s
	fmt.Println(s.M(2), i.M(3), p.M(4))
	var n I = S{}
	defer func() { fmt.Println(recover()) }()
	n.M(0)""", """
type I interface{ M(x int) int }

type A struct{ k int }

func (a *A) M(x int) int { return a.k + x }

type S struct {
	I
	n int
}
"""), tmp_path)
        assert out == "7 8 9\nruntime error: invalid memory address or nil pointer dereference\n"
