// Closures: counters and generators with captured state, per-iteration
// loop variables (Go 1.22), closures in slices and maps, recursion through a
// closure variable, closures capturing by reference.
package main

import (
	"fmt"
	"sort"
)

func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

func adder(base int) func(int) int {
	return func(x int) int { return base + x }
}

func compose(f, g func(int) int) func(int) int {
	return func(x int) int { return g(f(x)) }
}

func main() {
	c1, c2 := counter(), counter()
	fmt.Println(c1(), c1(), c1(), c2())

	var fs []func() int
	for i := 0; i < 5; i++ {
		fs = append(fs, func() int { return i * i })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	var gs []func() string
	for _, s := range []string{"a", "b", "c"} {
		gs = append(gs, func() string { return s + s })
	}
	for _, g := range gs {
		fmt.Print(g(), " ")
	}
	fmt.Println()

	ops := map[string]func(int, int) int{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"mul": func(a, b int) int { return a * b },
	}
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Print(k, "=", ops[k](7, 3), " ")
	}
	fmt.Println()

	var fib func(int) int
	fib = func(n int) int {
		if n < 2 {
			return n
		}
		return fib(n-1) + fib(n-2)
	}
	fmt.Println(fib(20))

	x := 1
	inc := func() { x *= 3 }
	inc()
	inc()
	fmt.Println(x)
	h := compose(adder(10), func(v int) int { return v * 2 })
	fmt.Println(h(1), h(5))

	// many closures allocated
	total := 0
	for i := 0; i < 5000; i++ {
		f := adder(i)
		g := compose(f, adder(-i))
		total += g(i)
	}
	fmt.Println("total", total)
	cs := make([]func() int, 0)
	for i := 0; i < 1000; i++ {
		c := counter()
		c()
		cs = append(cs, c)
	}
	sum := 0
	for _, c := range cs {
		sum += c()
	}
	fmt.Println(sum)
}
