// append growth of []string (16-byte elements with a pointer) and of
// strings built per element.
package main

import (
	"fmt"
	"strconv"
)

func main() {
	var s []string
	last := -1
	for i := 0; i < 4000; i++ {
		s = append(s, "item"+strconv.Itoa(i))
		if cap(s) != last {
			fmt.Println("len", len(s), "cap", cap(s))
			last = cap(s)
		}
	}
	fmt.Println(s[0], s[999], s[3999])
	var t []string
	for i := 0; i < 20; i++ {
		t = append(t, s[i:i+2]...)
		fmt.Print(cap(t), " ")
	}
	fmt.Println()
	n := 0
	for _, x := range s {
		n += len(x)
	}
	fmt.Println("bytes", n)
}
