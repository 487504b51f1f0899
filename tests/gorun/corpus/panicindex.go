// exit: 2
// An uncaught runtime error: index out of range; deferred prints run
// before the panic message; exit status 2 (stderr compared up to the
// "panic:" line: the traceback's lines and addresses differ).
package main

import "fmt"

func lookup(xs []int, i int) int {
	return xs[i]
}

func main() {
	defer fmt.Println("deferred runs")
	xs := make([]int, 0)
	for i := 0; i < 100; i++ {
		xs = append(xs, i*i)
	}
	fmt.Println("len", len(xs), lookup(xs, 99))
	fmt.Println(lookup(xs, len(xs)+5))
	fmt.Println("not reached")
}
