package main

// Receiving pointers does not make anything in the receiver escape.
func drain(in <-chan *int) int {
	total := 0
	for p := range in {
		total += *p
	}
	return total
}

func fill(out chan<- *int, vals []int) {
	for i := range vals {
		out <- &vals[i]
	}
	close(out)
}

func main() {
	vals := []int{1, 2, 3}
	ch := make(chan *int, len(vals))
	fill(ch, vals)
	println(drain(ch))
}
