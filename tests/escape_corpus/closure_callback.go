package main

// A callback parameter that is only called does not escape.
func forEach(xs []string, fn func(int, string)) {
	for i, x := range xs {
		fn(i, x)
	}
}

func countLong(words []string, min int) int {
	n := 0
	forEach(words, func(_ int, w string) {
		if len(w) >= min {
			n++
		}
	})
	return n
}

func main() {
	words := []string{"go", "gopher", "garbage", "gc"}
	println(countLong(words, 3))
}
