// append growth of []byte (cap rounding through the small size classes),
// append of a string to a []byte, and byte slices built many times.
package main

import "fmt"

func main() {
	var b []byte
	last := -1
	for i := 0; i < 70000; i++ {
		b = append(b, byte('a'+i%26))
		if cap(b) != last {
			fmt.Print(cap(b), " ")
			last = cap(b)
		}
	}
	fmt.Println()
	var s []byte
	for i := 0; i < 30; i++ {
		s = append(s, "hello, "...)
		fmt.Print(len(s), "/", cap(s), " ")
	}
	fmt.Println()
	fmt.Println(string(s[:20]))
	total := 0
	for i := 0; i < 3000; i++ {
		var x []byte
		for j := 0; j < i%100; j++ {
			x = append(x, byte(j))
		}
		total += cap(x)
	}
	fmt.Println("total cap", total)
	fmt.Println(len(b), b[len(b)-1], string(b[:26]))
}
