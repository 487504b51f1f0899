package main

// Variadic parameters and spreading slices into appends.
func concat(parts ...[]int) []int {
	var out []int
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func maxInt(first int, rest ...int) int {
	m := first
	for _, r := range rest {
		if r > m {
			m = r
		}
	}
	return m
}

func main() {
	a := []int{1, 2}
	b := []int{3}
	c := concat(a, b, []int{4, 5})
	println(len(c), maxInt(3, 9, 4), maxInt(1))
}
