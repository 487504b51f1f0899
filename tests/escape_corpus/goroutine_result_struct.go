package main

type stats struct {
	min, max int
	mean     float64
}

// A goroutine fills in a result struct and signals completion.
func compute(xs []int, out *stats, done chan<- struct{}) {
	out.min, out.max = xs[0], xs[0]
	sum := 0
	for _, x := range xs {
		if x < out.min {
			out.min = x
		}
		if x > out.max {
			out.max = x
		}
		sum += x
	}
	out.mean = float64(sum) / float64(len(xs))
	done <- struct{}{}
}

func main() {
	var s stats
	done := make(chan struct{})
	go compute([]int{4, 8, 15, 16, 23, 42}, &s, done)
	<-done
	println(s.min, s.max, s.mean)
}
