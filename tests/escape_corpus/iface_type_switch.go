package main

import "strconv"

// A type switch on an interface parameter that does not escape.
func format(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case string:
		return strconv.Quote(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		return "?"
	}
}

func main() {
	n := 7
	println(format(n), format("hi"), format(true), format(1.5))
}
