"""Goroutines and channels on the model against the same work done by plain-Python generators.

Two programs (issue 11's performance figures), each run by ``gomem.compile.program`` on the
model in this process (GOMAXPROCS=1, the go1.8 collector) and, beside it, as a transliteration
to Python generators driven by a deque scheduler (the cheapest coroutine switching CPython has):

* ping-pong: two goroutines pass an int back and forth over two unbuffered channels N times;
* spawn: N goroutines each created, parked on a channel and woken once (a closed channel).

Prints both wall times, the ratio, and operations per second on the model.

    python benchmarks/goroutines.py                     # 100,000 messages / goroutines
    python benchmarks/goroutines.py --n 1000000         # the issue's size
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections import deque
from pathlib import Path

from gomem.compile.program import load
from gomem.runtime.runtime import Runtime

PINGPONG = """package main

import "fmt"

func pong(ping <-chan int, back chan<- int) {
	for v := range ping {
		back <- v + 1
	}
	close(back)
}

func main() {
	ping := make(chan int)
	back := make(chan int)
	go pong(ping, back)
	v := 0
	for i := 0; i < %d; i++ {
		ping <- v
		v = <-back
	}
	close(ping)
	fmt.Println(v)
}
"""

SPAWN = """package main

import (
	"fmt"
	"sync"
)

func wait(start <-chan struct{}, wg *sync.WaitGroup) {
	<-start
	wg.Done()
}

func main() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < %d; i++ {
		wg.Add(1)
		go wait(start, &wg)
	}
	close(start)
	wg.Wait()
	fmt.Println("done")
}
"""


def on_model(src: str) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "prog.go"
        path.write_text(src)
        prog = load(str(path))
    prog.out = io.StringIO()
    rt = Runtime()
    t0 = time.perf_counter()
    rt.run(prog.main, {})
    return time.perf_counter() - t0, prog.out.getvalue().strip()


def run_generators(tasks: deque) -> None:
    while tasks:
        t = tasks.popleft()
        try:
            next(t)
            tasks.append(t)
        except StopIteration:
            pass


def pingpong_generators(n: int) -> tuple[float, str]:
    """The same hand-off with generators: a one-slot mailbox each way, a yield per blocked operation."""
    ping: deque = deque()
    back: deque = deque()
    out = []

    def pong():
        for _ in range(n):
            while not ping:
                yield
            back.append(ping.popleft() + 1)

    def main():
        v = 0
        for _ in range(n):
            ping.append(v)
            while not back:
                yield
            v = back.popleft()
        out.append(v)

    t0 = time.perf_counter()
    run_generators(deque([main(), pong()]))
    return time.perf_counter() - t0, str(out[0])


def spawn_generators(n: int) -> tuple[float, str]:
    state = {"open": False, "count": 0}

    def wait():
        while not state["open"]:
            yield
        state["count"] -= 1

    def main():
        tasks = []
        for _ in range(n):
            state["count"] += 1
            tasks.append(wait())
        yield tasks
        state["open"] = True

    t0 = time.perf_counter()
    m = main()
    ws = next(m)
    q = deque(ws)
    for w in ws:  # each waiter runs once and parks
        next(w)
    next(m, None)
    run_generators(q)
    assert state["count"] == 0
    return time.perf_counter() - t0, "done"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="messages / goroutines (default 100000)")
    args = ap.parse_args()
    n = args.n
    for name, src, base in (("ping-pong", PINGPONG, pingpong_generators), ("spawn-park-wake", SPAWN, spawn_generators)):
        tm, out_m = on_model(src % n)
        tb, out_b = base(n)
        assert out_m == out_b, (out_m, out_b)
        print(f"{name:16} n={n:,}: gomem {tm:.2f} s, generators {tb:.2f} s, ratio {tm / tb:.1f}x, "
              f"{n / tm:,.0f} per second on the model")


if __name__ == "__main__":
    main()
