package main

import "sort"

// Slice literals and a copy sorted in place, all local.
func median(xs []int) int {
	c := make([]int, len(xs))
	copy(c, xs)
	sort.Ints(c)
	return c[len(c)/2]
}

func weekdays() int {
	days := []string{"mon", "tue", "wed", "thu", "fri"}
	n := 0
	for _, d := range days {
		n += len(d)
	}
	return n
}

func main() {
	println(median([]int{5, 2, 9, 1, 7}), weekdays())
}
