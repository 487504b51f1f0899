"""The heap graph (gomem.runtime.heapgraph) and ``gomem why``: reachability equals the collector's full
mark, paths are shortest and start at real roots, dominators and retained sizes on hand-built heaps."""

from __future__ import annotations

import contextlib
from collections import deque

import numpy as np
import pytest

from gomem import api
from gomem.runtime import heapgraph as hg
from gomem.runtime.mcheckmark import trace

from clihelpers import gomem

LIST_PROG = """package main

import (
	"fmt"
	"runtime"
)

type Node struct {
	Val  int
	Next *Node
}

type Holder struct {
	items [4]*Node
	name  string
}

var keep *Node
var holder *Holder
var nodes []*Node

func main() {
	for i := 0; i < 200; i++ {
		keep = &Node{Val: i, Next: keep}
	}
	holder = &Holder{name: "h"}
	for i := range holder.items {
		holder.items[i] = &Node{Val: -i}
	}
	for i := 0; i < 5; i++ {
		nodes = append(nodes, keep)
	}
	sum := 0
	for j := 0; j < 3000; j++ {
		t := &Node{Val: j}
		sum += t.Val
	}
	runtime.GC()
	for j := 0; j < 3000; j++ {
		t := &Node{Val: j}
		sum += t.Val
	}
	runtime.GC()
	fmt.Println(keep.Val, holder.name, len(nodes), sum)
}
"""


@pytest.fixture(scope="module")
def list_prog(tmp_path_factory):
    p = tmp_path_factory.mktemp("why") / "keeplist.go"
    p.write_text(LIST_PROG)
    return str(p)


def _at_mark_termination(program, check, **kw):
    """Run *program*, calling check(rt, graph) right after every cycle's mark (world stopped); return the count."""
    seen = []

    def hook(rt, label):
        rt.track_types = True

        def on(ev):
            if ev.kind == "phase" and ev.data.get("phase") == "marktermination":
                g = hg.snapshot(rt)
                check(rt, g)
                seen.append(g)

        rt.log.subscribers.append(on)
        return contextlib.nullcontext()

    api.run(program, progress=hook, **kw)
    return seen


def _reachable_addrs(g) -> set[int]:
    return set(g.addr[g.reachable()].tolist())


def _check_against_collector(rt, g, exact_marks=False):
    # a full stop-the-world re-trace from the collector's own roots (checkmark)
    parents, _ = trace(rt.gc.marker, rt.gc.roots())
    assert _reachable_addrs(g) == set(parents)
    # everything reachable was marked by the cycle (the rest of the marks is floating garbage)
    objs = g.addr[g.reachable()]
    _, _, _, pos = rt.gc.marker.locate(objs)
    assert (rt.gc.marker.bits.marks[pos] == 1).all()
    if exact_marks:
        marked = g.addr[_marked(rt, g)]
        extra = set(marked.tolist()) - set(objs.tolist())
        assert len(extra) <= 1, [hex(a) for a in extra]  # at most the allocation that triggered the cycle


def _marked(rt, g):
    _, _, _, pos = rt.gc.marker.locate(g.addr)
    return rt.gc.marker.bits.marks[pos] == 1


@pytest.mark.parametrize("workload,params", [
    ("churn", {"live": 2000, "static": 200, "replacements": 20000}),
    ("lru", {"capacity": 256, "ops": 6000, "keys": 1024}),
])
def test_reachable_equals_full_mark_workloads(workload, params):
    seen = _at_mark_termination(workload, _check_against_collector, params=params, gogc=5)
    assert len(seen) >= 2
    assert all(g.reachable().sum() > 100 for g in seen)


def test_reachable_equals_marks_stw(list_prog):
    """With the world stopped for the whole mark, the marks are exactly what is reachable."""
    seen = _at_mark_termination(list_prog, lambda rt, g: _check_against_collector(rt, g, exact_marks=True), gc="stw")
    assert len(seen) == 2


def test_go_program_list_in_global(list_prog):
    seen = _at_mark_termination(list_prog, _check_against_collector)
    g = seen[-1]
    nodes = g.nodes_of_type("main.Node")
    assert g.nodes_of_type("Node").tolist() == nodes.tolist()
    live = g.reachable()
    assert int(live[nodes].sum()) == 204  # the list and the holder's four; the temporaries are garbage
    # the list's head retains the whole list; the head is found straight from main.keep
    ret = g.retained()
    head = max(nodes[live[nodes]].tolist(), key=lambda i: ret[i])
    assert ret[head] == 200 * 16 and g.retained_objects()[head] == 200
    root, chain = g.path_nodes(head)
    assert chain == [head] and root.name in ("main.keep", "main.nodes")
    # the retained bytes of the type count the list once (its head), and the holder's four
    row = next(r for r in g.table("type") if r[0] == "main.Node")
    assert row[1] == 204 and row[2] == 204 * 16 and row[3] == 204 * 16


def test_paths_are_shortest_and_name_real_roots(list_prog):
    texts = {}

    def check(rt, g):
        _check_against_collector(rt, g)
        if not texts:  # field names come from the live heap: read them while the world is stopped
            nodes = g.nodes_of_type("main.Node")
            live = nodes[g.reachable()[nodes]].tolist()
            texts["deep"] = max(live, key=lambda i: len(g.path_nodes(i)[1]))
            texts["deep_text"] = g.path(texts["deep"])
            texts["items"] = [g.path(i) for i in live if g.path_nodes(i)[0].name == "main.holder"]

    seen = _at_mark_termination(list_prog, check)
    g = seen[0]
    rt_roots = {r.name for r in g.roots}
    assert {"main.keep", "main.holder", "main.nodes"} <= rt_roots
    # independent BFS distances from all roots
    dist = {}
    q = deque()
    for r in g.roots:
        if r.node not in dist:
            dist[r.node] = 0
            q.append(r.node)
    while q:
        u = q.popleft()
        for v in g.successors(u).tolist():
            if v not in dist:
                dist[v] = dist[u] + 1
                q.append(v)
    live = np.flatnonzero(g.reachable())
    assert set(dist) == set(live.tolist())
    for i in live.tolist():
        root, chain = g.path_nodes(i)
        assert chain[-1] == i and root.node == chain[0]
        assert len(chain) - 1 == dist[i]
        for u, v in zip(chain, chain[1:]):
            assert v in g.successors(u).tolist()
    # a node deep in the list: the path goes through main.keep (or main.nodes) and names the field
    assert dist[texts["deep"]] == 199
    text = texts["deep_text"]
    assert text.startswith("main.keep -> main.Node.Next (0x") or text.startswith("main.nodes -> ")
    # 199 hops through .Next: the first, 197 elided, the last, then the node itself
    assert "-> ... 197 more main.Node.Next ... -> main.Node.Next (0x" in text
    assert text.endswith(f"-> {g.describe(texts['deep'])}")
    assert len(texts["items"]) == 4
    assert all(t.startswith("main.holder -> main.Holder.items[") for t in texts["items"])
    # afterwards the heap has moved on: the same path is printed without field names
    assert "main.Node.Next" not in g.path(texts["deep"])


# -- hand-built heaps -------------------------------------------------------------------------


def test_diamond_dominators_and_retained():
    #   root -> A; A -> B, A -> C; B -> D, C -> D; W unreachable, W -> D
    A, B, C, D, W = range(5)
    g = hg.from_edges([1, 2, 4, 8, 16], [(A, B), (A, C), (B, D), (C, D), (W, D)], [("main.r", A)])
    n = g.n
    assert g.reachable().tolist() == [True, True, True, True, False]
    assert g.dominators().tolist() == [n, A, A, A, -1]
    assert g.retained().tolist() == [15, 2, 4, 8, 0]
    assert g.retained_objects().tolist() == [4, 1, 1, 1, 0]


def test_chain_and_second_root():
    # root1 -> X -> Y -> Z; root2 -> Z: Z is retained by the roots, not by X
    X, Y, Z = range(3)
    g = hg.from_edges([10, 20, 30], [(X, Y), (Y, Z)], [("main.a", X), ("main.b", Z)])
    assert g.dominators().tolist() == [3, X, 3]
    assert g.retained().tolist() == [30, 20, 30]
    root, chain = g.path_nodes(Z)
    assert root.name == "main.b" and chain == [Z]  # the shorter of the two paths


def test_cycle_and_table_counts_same_type_once():
    # root -> L0 -> L1 -> L2 -> L0 (a ring of "list" nodes) -> P ("payload"); root2 -> P2 payload
    L0, L1, L2, P, P2 = range(5)
    types = ["list", "list", "list", "payload", "payload"]
    g = hg.from_edges([8, 8, 8, 100, 50], [(L0, L1), (L1, L2), (L2, L0), (L2, P)],
                      [("main.l", L0), ("main.p", P2)], types=types)
    assert g.dominators().tolist() == [5, L0, L1, L2, 5]
    assert g.retained().tolist() == [124, 116, 108, 100, 50]
    rows = {r[0]: r[1:] for r in g.table("type")}
    assert rows["list"] == (3, 24, 124)  # L1 and L2 are inside L0's retained bytes: counted once
    assert rows["payload"] == (2, 150, 150)
    assert g.path(P).startswith("main.l -> ")


def test_long_path_elided():
    n = 50
    g = hg.from_edges([16] * n, [(i, i + 1) for i in range(n - 1)], [("main.keep", 0)])
    text = g.path(n - 1)
    assert text.count("->") < 10 and f"... {n - 2} more object ..." in text


# -- the command --------------------------------------------------------------------------------


def test_cli_why_type(list_prog):
    rc, out, err = gomem("why", list_prog, "--type", "main.Node", "--top", "3")
    assert rc == 0, err
    assert "main.Node" in out and "retains 3200 B in 200 objects" in out
    assert "main.keep -> main.Node" in out or "main.nodes -> " in out


def test_cli_why_after_gc_and_addr(list_prog):
    rc, out, err = gomem("why", list_prog, "--after-gc", "1", "--top", "2")
    assert rc == 0, err
    assert "mark termination of GC 1" in out and "the top retainers" in out
    addr = int(out.split("retains")[0].split("(0x")[1].split(",")[0], 16)
    rc, out2, err = gomem("why", list_prog, "--after-gc", "1", "--addr", hex(addr + 8))  # an interior pointer
    assert rc == 0, err
    assert f"({addr:#x}," in out2 and " -> " in out2


@pytest.mark.parametrize("argv,msg", [
    (["--type", "main.Nope"], "--type main.Nope: no object of that type"),
    (["--addr", "0x1234"], "--addr 0x1234: not an allocated heap object"),
    (["--addr", "zz"], "--addr 'zz'"),
    (["--after-gc", "9"], "--after-gc 9: the run completed only 2 GC cycles"),
    (["--after-gc", "0"], "--after-gc must be at least 1"),
    (["--site", "main.main"], "--site: no allocation sites known"),
])
def test_cli_why_bad_input(list_prog, argv, msg):
    rc, out, err = gomem("why", list_prog, *argv)
    assert rc == 2
    assert err.startswith("gomem: ") and msg in err and err.count("\n") == 1, err


def test_cli_why_unknown_workload():
    rc, out, err = gomem("why", "no-such-workload")
    assert rc == 2 and err.startswith("gomem: ") and err.count("\n") == 1
