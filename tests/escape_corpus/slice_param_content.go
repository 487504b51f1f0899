package main

var registry []*string

// A function that keeps pointers from its slice argument.
func keepAll(ps []*string) {
	for _, p := range ps {
		registry = append(registry, p)
	}
}

func lengths(ps []*string) int {
	n := 0
	for _, p := range ps {
		n += len(*p)
	}
	return n
}

func main() {
	a, b := "alpha", "beta"
	list := []*string{&a, &b}
	println(lengths(list))
	keepAll(list)
	println(len(registry))
}
