package main

type Matrix [200][200]float64

// A 320 KB matrix as a local variable and as a parameter.
func identity() float64 {
	var m Matrix
	for i := range m {
		m[i][i] = 1
	}
	return trace(&m)
}

func trace(m *Matrix) float64 {
	t := 0.0
	for i := range m {
		t += m[i][i]
	}
	return t
}

func main() {
	println(identity())
}
