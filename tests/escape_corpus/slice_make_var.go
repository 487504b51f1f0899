package main

// make with a size known only at run time.
func squares(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i * i
	}
	return out
}

func sumFirst(n int) int {
	tmp := make([]int, n)
	for i := range tmp {
		tmp[i] = i
	}
	s := 0
	for _, v := range tmp {
		s += v
	}
	return s
}

func main() {
	println(len(squares(5)), sumFirst(100))
}
