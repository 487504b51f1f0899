// Escape situations the compiler decides: returning a pointer to a local,
// a local captured by an escaping closure, values stored in an interface,
// a pointer stored in a global, a slice too big for the stack, a
// non-constant make size; and the ones that stay on the stack.
package main

import "fmt"

type point struct{ x, y int }

var global *point

func newPoint(x, y int) *point { return &point{x, y} } // escapes: returned

func sumLocal(n int) int { // stays on the stack
	p := point{n, n}
	q := &p
	return q.x + q.y
}

func counter() func() int {
	c := 0 // moved to heap: captured by an escaping closure
	return func() int { c++; return c }
}

func store(i int) {
	global = &point{i, -i} // escapes: stored in a global
}

func boxed(i int) any { return point{i, i} } // escapes: interface conversion

func makeN(n int) []int { return make([]int, n) } // escapes: non-constant size, returned

func stackArray() int {
	var a [64]int // stays on the stack
	for i := range a {
		a[i] = i
	}
	return a[63]
}

func hugeLocal() int {
	b := make([]byte, 1<<17) // too large for the stack: heap
	b[100] = 7
	return int(b[100])
}

func main() {
	total := 0
	var keep []*point
	for i := 0; i < 3000; i++ {
		p := newPoint(i, i+1)
		if i%10 == 0 {
			keep = append(keep, p)
		}
		total += p.y - p.x + sumLocal(i)
		store(i)
		v := boxed(i)
		total += v.(point).x
		total += len(makeN(i%50 + 1))
		total += stackArray()
	}
	c := counter()
	c()
	fmt.Println(total, len(keep), global.y, c(), hugeLocal())
}
