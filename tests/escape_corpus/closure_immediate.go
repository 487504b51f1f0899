package main

// Closures called in place or only locally do not escape.
func sumSquares(xs []int) int {
	total := 0
	add := func(v int) {
		total += v * v
	}
	for _, x := range xs {
		add(x)
	}
	return total
}

func maxOf(xs []int) int {
	return func() int {
		m := xs[0]
		for _, x := range xs[1:] {
			if x > m {
				m = x
			}
		}
		return m
	}()
}

func main() {
	xs := []int{3, 1, 4, 1, 5}
	println(sumSquares(xs), maxOf(xs))
}
