package main

// A returned closure that mutates a captured variable.
func makeCounter(start int) func() int {
	n := start
	return func() int {
		n++
		return n
	}
}

func makeAdder(delta int) func(int) int {
	return func(x int) int { return x + delta }
}

func main() {
	next := makeCounter(10)
	add5 := makeAdder(5)
	println(next(), next(), add5(1))
}
