package main

type Matrix struct {
	rows, cols int
	data       []float64
}

// A constructor that allocates the backing slice and returns the struct by value.
func NewMatrix(r, c int) Matrix {
	return Matrix{rows: r, cols: c, data: make([]float64, r*c)}
}

func (m Matrix) At(i, j int) float64 { return m.data[i*m.cols+j] }

func (m *Matrix) Set(i, j int, v float64) { m.data[i*m.cols+j] = v }

func main() {
	m := NewMatrix(3, 3)
	m.Set(1, 1, 2.5)
	println(m.At(1, 1))
}
