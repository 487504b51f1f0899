package main

// Closures created in a loop and collected in a slice.
func makeMultipliers(n int) []func(int) int {
	fs := make([]func(int) int, 0, n)
	for i := 1; i <= n; i++ {
		fs = append(fs, func(x int) int { return x * i })
	}
	return fs
}

func main() {
	for _, f := range makeMultipliers(3) {
		println(f(10))
	}
}
