package main

// Appending to a local slice that never leaves the function.
func evens(limit int) int {
	var xs []int
	for i := 0; i < limit; i += 2 {
		xs = append(xs, i)
	}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return sum
}

func main() {
	println(evens(100))
}
