package main

// A map keyed by interface values of mixed dynamic types.
func tally(items []any) map[any]int {
	m := make(map[any]int)
	for _, it := range items {
		m[it]++
	}
	return m
}

func main() {
	k := "x"
	m := tally([]any{1, k, 1, 2.5, k, true})
	println(m[1], m["x"], len(m))
}
