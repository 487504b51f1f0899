package main

// Filtering a slice in place, reusing its backing array.
func removeNegatives(xs []int) []int {
	out := xs[:0]
	for _, x := range xs {
		if x >= 0 {
			out = append(out, x)
		}
	}
	return out
}

func dedupSorted(xs []string) []string {
	if len(xs) == 0 {
		return xs
	}
	j := 1
	for i := 1; i < len(xs); i++ {
		if xs[i] != xs[j-1] {
			xs[j] = xs[i]
			j++
		}
	}
	return xs[:j]
}

func main() {
	a := []int{3, -1, 4, -1, 5}
	b := []string{"a", "a", "b", "c", "c"}
	println(len(removeNegatives(a)), len(dedupSorted(b)))
}
