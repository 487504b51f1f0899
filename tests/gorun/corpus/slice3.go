// Slicing: 2- and 3-index slices, len/cap of each, append after a full
// slice expression (forces a copy) versus after a plain one (writes through).
package main

import "fmt"

func main() {
	arr := [10]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	s := arr[2:5]
	fmt.Println(s, len(s), cap(s))
	t := arr[2:5:6]
	fmt.Println(t, len(t), cap(t))
	s = append(s, 100)
	fmt.Println(arr, s)
	t = append(t, 200)
	fmt.Println(arr, t, len(t), cap(t))
	t = append(t, 300) // beyond cap: a new array
	t[0] = -2
	fmt.Println(arr, t, len(t), cap(t))

	base := make([]int, 0, 16)
	for i := 0; i < 16; i++ {
		base = append(base, i)
	}
	a := base[4:8:8]
	b := base[4:8]
	a = append(a, 1000)
	b = append(b, 2000)
	fmt.Println(base[8], a[4], b[4], cap(a), cap(b))
	fmt.Println(base[:0:0] == nil, len(base[16:]), cap(base[3:]))

	// repeatedly appending to capped subslices allocates each time
	allocs := 0
	var keep [][]int
	for i := 0; i < 2000; i++ {
		w := base[i%8 : i%8+4 : i%8+4]
		w = append(w, i)
		keep = append(keep, w)
		allocs += cap(w)
	}
	fmt.Println("sum of caps", allocs, keep[1999], len(keep))
	str := "hello, world"
	fmt.Println(str[7:], str[:5], str[3:8], len(str[12:]))
	bs := []byte(str)
	x := bs[0:5:5]
	x = append(x, '!')
	fmt.Println(string(bs), string(x))
}
