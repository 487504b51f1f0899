// append growth of []int, []int32, []int64 and []uint16: len/cap after each
// append, so growslice's formula and size-class rounding are visible.
package main

import "fmt"

func main() {
	var a []int
	last := -1
	for i := 0; i < 5000; i++ {
		a = append(a, i)
		if cap(a) != last {
			fmt.Println("int len", len(a), "cap", cap(a))
			last = cap(a)
		}
	}
	var b []int32
	for i := 0; i < 40; i++ {
		b = append(b, int32(i))
		fmt.Print(len(b), "/", cap(b), " ")
	}
	fmt.Println()
	var c []uint16
	last = -1
	for i := 0; i < 3000; i++ {
		c = append(c, uint16(i))
		if cap(c) != last {
			fmt.Print(cap(c), " ")
			last = cap(c)
		}
	}
	fmt.Println()
	// appending several at once
	var d []int64
	for i := 0; i < 30; i++ {
		d = append(d, 1, 2, 3, 4, 5, 6, 7)
		fmt.Print(cap(d), " ")
	}
	fmt.Println()
	// append a slice to itself, from make with a cap
	e := make([]int, 3, 5)
	for i := 0; i < 8; i++ {
		e = append(e, e...)
		fmt.Print(len(e), ":", cap(e), " ")
	}
	fmt.Println()
	// many short slices
	sum := 0
	for i := 0; i < 2000; i++ {
		var s []int
		for j := 0; j < i%50; j++ {
			s = append(s, j)
		}
		sum += cap(s)
	}
	fmt.Println("sum of caps", sum)
}
