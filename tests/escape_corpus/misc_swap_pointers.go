package main

// Pointers to locals passed down to helpers that only use them.
func swap(a, b *int) {
	*a, *b = *b, *a
}

func minmax(xs []int, lo, hi *int) {
	*lo, *hi = xs[0], xs[0]
	for _, x := range xs {
		if x < *lo {
			*lo = x
		}
		if x > *hi {
			*hi = x
		}
	}
}

func main() {
	x, y := 1, 2
	swap(&x, &y)
	var lo, hi int
	minmax([]int{4, 9, 2}, &lo, &hi)
	println(x, y, lo, hi)
}
