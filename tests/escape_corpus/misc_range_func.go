package main

import "iter"

// Range-over-func iterators (Go 1.23): the yield closures.
func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func sumBelow(n, limit int) int {
	total := 0
	for v := range Count(n) {
		if v >= limit {
			break
		}
		total += v
	}
	return total
}

func main() {
	println(sumBelow(100, 10))
}
