"""Dead locals leave the frame (gomem.compile.liveness): what the collector sees of Go's stack maps."""

from __future__ import annotations

import pytest

from gomem.cmd import realgo
from gomem.compile import escape as E
from gomem.compile.check import check_files, check_source
from gomem.compile.srcfiles import FileSet
from gomem.compile.liveness import dead_after

from gorunhelpers import run

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)


def deaths(src: str, func: str = "f") -> list[tuple[int, list[str]]]:
    """(line of the statement, the locals dead after it) for *func* of *src*, in line order."""
    files = FileSet.single(src.encode(), "./main.go")
    prog = check_files(files)
    E.analyze(prog.funcs, E.Output(files.name, 0, files))  # decides which captures are by value
    fn = next(f for f in prog.funcs if f.name == func)
    by_stmt = dead_after(fn.body)
    out = []

    def visit(stmts):
        for st in stmts or []:
            if id(st) in by_stmt:
                out.append((st.pos[0], sorted(n.sym for n in by_stmt[id(st)])))
            for attr in ("body", "els", "list"):
                sub = getattr(st, attr, None)
                if isinstance(sub, list) and st.op in ("IF", "FOR", "RANGE", "BLOCK"):
                    visit(sub)
            for c in getattr(st, "cases", None) or []:
                visit(c.body)

    visit(fn.body)
    return sorted(out)


HEAD = "package main\n\ntype T struct{ p *T }\n\nfunc use(*T) {}\n\n"


def test_a_local_dies_after_its_last_use_in_its_own_block():
    src = HEAD + """func f() {
	a := &T{}
	b := &T{}
	use(a)
	use(b)
	use(nil)
}
"""
    # line 8: a := ...; 10: use(a); 11: use(b)
    assert deaths(src) == [(10, ["a"]), (11, ["b"])]


def test_a_local_used_in_a_loop_lives_until_the_loop_ends():
    src = HEAD + """func f(n int) {
	a := &T{}
	for i := 0; i < n; i++ {
		use(a)
		b := &T{}
		use(b)
	}
	use(nil)
}
"""
    # b dies inside the body (each iteration declares it again); a and i after the loop (line 9)
    d = dict(deaths(src))
    assert d[9] == ["a", "i"]
    assert d[12] == ["b"]


def test_closures_keep_what_they_capture_by_reference():
    src = HEAD + """func f() {
	a := &T{}
	b := &T{}
	g := func() { use(a) }
	h := func() { use(b) }
	b = &T{p: b}
	g()
	h()
	use(nil)
}
"""
    # a is captured by value (a copy in g's closure): its slot dies with g's creation (line 10); b is
    # reassigned after h captured it, so h holds its address and b is never cleared
    d = deaths(src)
    assert (10, ["a"]) in d
    assert "b" not in {name for _, names in d for name in names}
    assert (13, ["g"]) in d and (14, ["h"]) in d


def test_address_taken_locals_are_never_cleared():
    src = HEAD + """func f() {
	var t T
	p := &t
	use(p)
	use(nil)
}
"""
    dead = {name for _, names in deaths(src) for name in names}
    assert "t" not in dead and "p" in dead


def test_a_function_with_a_backward_goto_clears_nothing():
    from gomem.compile.codegen import _goto_labels

    src = HEAD + """func f(n int) {
	a := &T{}
again:
	use(a)
	n--
	if n > 0 {
		goto again
	}
}
"""
    prog = check_source(src.encode())
    fn = next(f for f in prog.funcs if f.name == "f")
    assert _goto_labels(fn.body) == {"again"}  # the code generator then skips dead_after


DEAD_BUFFER = """package main

import (
	"fmt"
	"runtime"
)

type node struct {
	next *node
	pad  [1000]int64
}

func build(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head}
	}
	return head
}

func length(l *node) int {
	n := 0
	for ; l != nil; l = l.next {
		n++
	}
	return n
}

func main() {
	buf := make([]byte, 8<<20)
	buf[0] = 1
	list := build(1000)
	fmt.Println(len(buf), length(list))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// both are dead here: Go's stack map at the GC call lists neither
	fmt.Println("heap under 1 MiB:", ms.HeapAlloc < 1<<20)
}
"""


@requires_go
def test_dead_locals_are_collected_as_real_go_collects_them(tmp_path):
    real = realgo.run_go_source(DEAD_BUFFER)
    assert real.returncode == 0, real.stderr
    out, ms, _ = run(DEAD_BUFFER, tmp_path)
    assert out == real.stdout == "8388608 1000\nheap under 1 MiB: true\n"
