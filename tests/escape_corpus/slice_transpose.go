package main

// Transposing a matrix stored as a slice of rows.
func transpose(m [][]float64) [][]float64 {
	if len(m) == 0 {
		return nil
	}
	t := make([][]float64, len(m[0]))
	for j := range t {
		t[j] = make([]float64, len(m))
		for i := range m {
			t[j][i] = m[i][j]
		}
	}
	return t
}

func trace(m [][]float64) float64 {
	s := 0.0
	for i := range m {
		s += m[i][i]
	}
	return s
}

func main() {
	m := [][]float64{{1, 2}, {3, 4}}
	println(trace(transpose(m)))
}
