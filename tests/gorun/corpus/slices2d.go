// Slices of slices: a Pascal triangle, a jagged table, rows sharing one
// backing array, and append to an inner slice.
package main

import "fmt"

func pascal(n int) [][]int {
	rows := make([][]int, 0)
	for i := 0; i < n; i++ {
		row := make([]int, i+1)
		row[0], row[i] = 1, 1
		for j := 1; j < i; j++ {
			row[j] = rows[i-1][j-1] + rows[i-1][j]
		}
		rows = append(rows, row)
	}
	return rows
}

func main() {
	p := pascal(12)
	for _, r := range p[:6] {
		fmt.Println(r)
	}
	fmt.Println(len(p), cap(p), p[11][5])

	// one backing array cut into rows
	backing := make([]int, 6*8)
	grid := make([][]int, 6)
	for i := range grid {
		grid[i] = backing[i*8 : (i+1)*8]
	}
	for i := range backing {
		backing[i] = i
	}
	grid[2][3] = -1
	fmt.Println(grid[2], backing[19], len(grid[5]), cap(grid[5]), cap(grid[0]))

	// jagged, grown row by row
	var table [][]string
	for i := 0; i < 300; i++ {
		var row []string
		for j := 0; j <= i%17; j++ {
			row = append(row, fmt.Sprintf("%d.%d", i, j))
		}
		table = append(table, row)
	}
	cells := 0
	for _, row := range table {
		cells += len(row)
	}
	fmt.Println("rows", len(table), "cells", cells, table[299][len(table[299])-1], cap(table))

	// appending to an inner slice writes into the shared array while there is room
	a := []int{1, 2, 3, 4, 5}
	s := [][]int{a[:2], a[2:]}
	s[0] = append(s[0], 99)
	fmt.Println(a, s[0], s[1])
	s[1] = append(s[1], 100)
	s[1][0] = 7
	fmt.Println(a, s[1], len(s[1]), cap(s[1]))

	// a 3-D cube
	cube := make([][][]float64, 10)
	for i := range cube {
		cube[i] = make([][]float64, 10)
		for j := range cube[i] {
			cube[i][j] = make([]float64, 10)
			for k := range cube[i][j] {
				cube[i][j][k] = float64(i*100 + j*10 + k)
			}
		}
	}
	sum := 0.0
	for i := range cube {
		sum += cube[i][i][i]
	}
	fmt.Println("diagonal sum", sum)
}
