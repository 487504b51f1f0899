package main

import "strings"

// Converting a string to []byte allocates when the result is not known to be small.
func upperFirst(s string) string {
	b := []byte(s)
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

func countA(s string) int {
	b := []byte(s)
	n := 0
	for _, c := range b {
		if c == 'a' {
			n++
		}
	}
	return n
}

func main() {
	println(upperFirst("gopher"), countA(strings.Repeat("ab", 10)))
}
