// fmt.Sprint*, strconv.Itoa, min/max, ^x: what each allocates
package main

import (
	"fmt"
	"strconv"
)

func main() {
	s := ""
	for i := 0; i < 120; i += 7 {
		s = s + strconv.Itoa(i) + ","
	}
	fmt.Println(s, min(3, 1, 2), max(2.5, -1.0), ^uint8(5), ^7)
	t := fmt.Sprintf("%05d|%x|%q", 42, 255, "hi")
	fmt.Println(t, len(t))
	fmt.Println()
	fmt.Print(fmt.Sprint("a", 1, 2, "b"), fmt.Sprintln("x", 3))
}
