// From go-gc-and-memory.zh.md, section "内存 / 内存泄露" (a subslice keeps its
// whole backing array alive): completed with package main and a print of s1
// (the snippet as written does not compile: s1 declared and not used).
package main

import "fmt"

func main() {
	var s0 = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	s1 := s0[:3]
	fmt.Println(s1)
}
