package main

// Sending a slice on a channel makes its backing array escape.
func batches(n, size int, out chan<- []int) {
	for start := 0; start < n; start += size {
		b := make([]int, 0, size)
		for i := start; i < start+size && i < n; i++ {
			b = append(b, i)
		}
		out <- b
	}
	close(out)
}

func sumAll(in <-chan []int) int {
	total := 0
	for b := range in {
		for _, v := range b {
			total += v
		}
	}
	return total
}

func main() {
	ch := make(chan []int)
	go batches(10, 3, ch)
	println(sumAll(ch))
}
