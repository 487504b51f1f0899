package main

import "strconv"

var cache = map[int]string{}

// Values put in a package-level map escape.
func label(n int) string {
	if s, ok := cache[n]; ok {
		return s
	}
	s := "item-" + strconv.Itoa(n)
	cache[n] = s
	return s
}

func main() {
	println(label(1), label(2), label(1))
}
