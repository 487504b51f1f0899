package main

type Stats struct {
	Count int
	Sum   float64
}

func (s *Stats) Add(v float64) {
	s.Count++
	s.Sum += v
}

// average uses new() but the pointer never leaves the function.
func average(values []float64) float64 {
	st := new(Stats)
	for _, v := range values {
		st.Add(v)
	}
	if st.Count == 0 {
		return 0
	}
	return st.Sum / float64(st.Count)
}

func main() {
	println(average([]float64{1, 2, 3, 4}))
}
