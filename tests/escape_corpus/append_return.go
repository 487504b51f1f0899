package main

import "strings"

// A slice grown with append and returned to the caller.
func split(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func main() {
	p := split("a,b,c", ',')
	println(len(p), strings.Join(p, "|"))
}
