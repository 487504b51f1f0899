package main

type IntSet map[int]struct{}

func setOf(xs ...int) IntSet {
	s := make(IntSet, len(xs))
	for _, x := range xs {
		s[x] = struct{}{}
	}
	return s
}

// intersect builds a new set; countCommon only reads.
func intersect(a, b IntSet) IntSet {
	out := IntSet{}
	for k := range a {
		if _, ok := b[k]; ok {
			out[k] = struct{}{}
		}
	}
	return out
}

func countCommon(a, b IntSet) int {
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return n
}

func main() {
	a, b := setOf(1, 2, 3), setOf(2, 3, 4)
	println(len(intersect(a, b)), countCommon(a, b))
}
