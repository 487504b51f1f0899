// Matrix multiplication with [][]float64: allocation of rows, identity,
// transpose, products of several sizes, a checksum printed with %.3f.
package main

import "fmt"

type Matrix [][]float64

func New(n, m int) Matrix {
	a := make(Matrix, n)
	for i := range a {
		a[i] = make([]float64, m)
	}
	return a
}

func (a Matrix) Mul(b Matrix) Matrix {
	n, m, p := len(a), len(b), len(b[0])
	c := New(n, p)
	for i := 0; i < n; i++ {
		for k := 0; k < m; k++ {
			aik := a[i][k]
			for j := 0; j < p; j++ {
				c[i][j] += aik * b[k][j]
			}
		}
	}
	return c
}

func (a Matrix) T() Matrix {
	t := New(len(a[0]), len(a))
	for i := range a {
		for j := range a[i] {
			t[j][i] = a[i][j]
		}
	}
	return t
}

func (a Matrix) Sum() float64 {
	s := 0.0
	for _, row := range a {
		for _, v := range row {
			s += v
		}
	}
	return s
}

func main() {
	a := Matrix{{1, 2}, {3, 4}}
	b := Matrix{{5, 6}, {7, 8}}
	fmt.Println(a.Mul(b), a.T())
	for _, n := range []int{10, 30, 60} {
		x := New(n, n)
		y := New(n, n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				x[i][j] = float64(i*n+j) / float64(n*n)
				y[i][j] = float64((i+2*j)%7) - 3
			}
		}
		z := x.Mul(y)
		zt := y.T().Mul(x.T())
		diff := 0.0
		for i := range z {
			for j := range z[i] {
				d := z[i][j] - zt[j][i]
				if d < 0 {
					d = -d
				}
				diff += d
			}
		}
		fmt.Printf("n=%d sum %.3f trace %.3f diff %.3f\n", n, z.Sum(), z[0][0]+z[n-1][n-1], diff)
	}
	id := New(4, 4)
	for i := range id {
		id[i][i] = 1
	}
	p := Matrix{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}
	fmt.Println(p.Mul(id).Sum() == p.Sum(), p.Mul(p)[3])
}
