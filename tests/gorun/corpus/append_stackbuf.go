// The 32-byte stack store of a first non-escaping append, then growslice
package main

import "fmt"

func f() []int {
	var r []int
	r = append(r, 1)
	return r
}

func main() {
	var s []int
	for i := 0; i < 10; i++ {
		s = append(s, i)
		fmt.Print(len(s), "/", cap(s), " ")
	}
	fmt.Println(len(f()))
}
