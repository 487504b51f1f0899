// append growth of []*T and []any (pointer elements: scanned memory),
// and a slice of pointers to freshly allocated objects.
package main

import "fmt"

type T struct {
	id   int
	next *T
}

func main() {
	var ps []*T
	last := -1
	for i := 0; i < 20000; i++ {
		ps = append(ps, &T{id: i})
		if cap(ps) != last {
			fmt.Print(cap(ps), " ")
			last = cap(ps)
		}
	}
	fmt.Println()
	for i := 1; i < len(ps); i++ {
		ps[i].next = ps[i-1]
	}
	n := 0
	for p := ps[len(ps)-1]; p != nil; p = p.next {
		n++
	}
	fmt.Println("chain", n)
	var xs []any
	last = -1
	for i := 0; i < 1000; i++ {
		xs = append(xs, i)
		if cap(xs) != last {
			fmt.Print(cap(xs), " ")
			last = cap(xs)
		}
	}
	fmt.Println()
	sum := 0
	for _, x := range xs {
		sum += x.(int)
	}
	fmt.Println("sum", sum)
}
