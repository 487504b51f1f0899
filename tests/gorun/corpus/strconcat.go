// String concatenation: + in loops, +=, concatenations of several operands,
// string growth that keeps the collector busy (>= 10 GCs).
package main

import (
	"fmt"
	"strconv"
)

func main() {
	s := ""
	for i := 0; i < 2000; i++ {
		s += strconv.Itoa(i % 10)
	}
	fmt.Println(len(s), s[:30], s[len(s)-10:])

	parts := ""
	for i := 0; i < 50; i++ {
		parts = parts + "<" + strconv.Itoa(i) + ">"
	}
	fmt.Println(len(parts), parts[:40])

	a, b, c := "alpha", "beta", "gamma"
	x := a + "-" + b + "-" + c
	y := x + x
	fmt.Println(x, len(y))

	// quadratic growth: many large, short-lived strings
	total := 0
	for round := 0; round < 6; round++ {
		acc := ""
		for i := 0; i < 1000; i++ {
			acc += "0123456789abcdef"
		}
		total += len(acc)
	}
	fmt.Println("total", total)

	// comparisons and concatenation of empty strings
	e := ""
	e += ""
	fmt.Println(e == "", "a"+e == "a", "ab" < "b", s[:3]+e)
}
