package main

// Grouping into a map of slices.
func groupByLen(words []string) map[int][]string {
	g := make(map[int][]string)
	for _, w := range words {
		g[len(w)] = append(g[len(w)], w)
	}
	return g
}

func longest(g map[int][]string) int {
	best := 0
	for k := range g {
		if k > best {
			best = k
		}
	}
	return best
}

func main() {
	g := groupByLen([]string{"go", "gc", "heap", "stack", "span"})
	println(longest(g), len(g[4]))
}
