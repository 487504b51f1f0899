package main

import "strings"

// A map that never leaves the function.
func mostCommon(text string) (string, int) {
	counts := make(map[string]int)
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	best, n := "", 0
	for w, c := range counts {
		if c > n {
			best, n = w, c
		}
	}
	return best, n
}

func main() {
	w, n := mostCommon("a b a c a b")
	println(w, n)
}
