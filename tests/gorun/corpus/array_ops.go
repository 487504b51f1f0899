// Slicing arrays, copy, []rune, range over arrays, pointers to arrays, math
package main

import (
	"fmt"
	"math"
)

type Grid [3][3]int

func main() {
	arr := [6]int{1, 2, 3, 4, 5, 6}
	s := arr[2:5]
	dst := make([]int, 2)
	n := copy(dst, s)
	r := []rune("héllo")
	var g Grid
	for i, row := range g {
		_ = row
		g[i][i] = i
	}
	p := &arr
	q := &g
	str := "abc"
	for _, b := range []byte(str) {
		n += int(b)
	}
	fmt.Println(s, dst, n, len(r), string(r), g, p[1], q[2][2], math.Sqrt(2), math.Abs(-3.5), math.Floor(2.7), math.MaxInt64)
}
