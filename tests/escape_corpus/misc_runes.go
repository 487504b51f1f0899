package main

import (
	"strings"
	"unicode"
)

// Rune conversions and strings.Map with a function value.
func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, s)
}

func main() {
	println(reverse("héllo"), stripDigits("a1b2c3"))
}
