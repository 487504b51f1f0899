// Arrays are values: assignment and passing copy them, pointers to arrays
// share, arrays compare with ==, arrays of arrays, range over an array
// (a copy), arrays as map keys, len of a pointer to array.
package main

import "fmt"

type Grid [4][4]int

func bump(a [5]int) [5]int {
	a[0] = 100
	return a
}

func bumpP(a *[5]int) { a[0] = 100 }

func (g Grid) Transposed() Grid {
	var t Grid
	for i := range g {
		for j := range g[i] {
			t[j][i] = g[i][j]
		}
	}
	return t
}

func main() {
	a := [5]int{1, 2, 3, 4, 5}
	b := a
	b[1] = 20
	c := bump(a)
	fmt.Println(a, b, c)
	bumpP(&a)
	fmt.Println(a, a == c, a != b)
	p := &a
	p[4] = 50
	fmt.Println(a, len(p), cap(p[:2]))
	for i, v := range a {
		a[4] = 0 // range over the array value: iterates a copy
		if i == 4 {
			fmt.Println("ranged value", v)
		}
	}
	var g Grid
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			g[i][j] = i*4 + j
		}
	}
	t := g.Transposed()
	fmt.Println(g[1], t[1], g == t.Transposed())
	s := a[1:3]
	s[0] = -1
	fmt.Println(a, s)
	keys := map[[3]string]int{{"a", "b", "c"}: 1}
	keys[[3]string{"a", "b", "c"}]++
	fmt.Println(keys)
	var zero [3]float64
	fmt.Println(zero, [...]string{2: "two", 0: "zero"})
	// arrays on the heap through pointers
	ptrs := make([]*[64]int, 0)
	for i := 0; i < 2000; i++ {
		arr := new([64]int)
		arr[i%64] = i
		ptrs = append(ptrs, arr)
	}
	sum := 0
	for _, ap := range ptrs {
		for _, v := range ap {
			sum += v
		}
	}
	fmt.Println(len(ptrs), sum)
	copies := 0
	for i := 0; i < 1000; i++ {
		big := [128]int{i}
		cp := big
		cp[0]++
		copies += cp[0] - big[0]
	}
	fmt.Println(copies)
}
