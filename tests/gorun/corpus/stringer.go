// Stringer and error types printed with %v, %s, %d and Println; String
// on value and pointer receivers; a Stringer inside slices, maps, structs.
package main

import (
	"fmt"
	"strings"
)

type Color int

const (
	Red Color = iota
	Green
	Blue
)

func (c Color) String() string {
	switch c {
	case Red:
		return "Red"
	case Green:
		return "Green"
	case Blue:
		return "Blue"
	}
	return fmt.Sprintf("Color(%d)", int(c))
}

type Vec struct{ X, Y int }

func (v Vec) String() string { return fmt.Sprintf("(%d,%d)", v.X, v.Y) }

type Stack struct{ items []int }

func (s *Stack) String() string {
	parts := make([]string, len(s.items))
	for i, it := range s.items {
		parts[i] = fmt.Sprint(it)
	}
	return "Stack[" + strings.Join(parts, ",") + "]"
}

type Pair struct {
	C Color
	V Vec
}

func main() {
	fmt.Println(Red, Blue, Color(7))
	fmt.Printf("%v %s %d %q\n", Green, Green, Green, Green)
	fmt.Println(Vec{1, 2}, []Vec{{3, 4}, {5, 6}})
	fmt.Printf("%v %+v\n", Pair{Blue, Vec{7, 8}}, Pair{Red, Vec{0, 1}})
	s := &Stack{items: []int{1, 2, 3}}
	fmt.Println(s)
	var sv Stack
	sv.items = []int{9}
	fmt.Printf("%v\n", sv.items)
	m := map[Color]Vec{Blue: {1, 1}, Red: {2, 2}}
	fmt.Println(m)
	fmt.Println(fmt.Sprint(Green, 3, "x", Vec{}), fmt.Sprintln("a", Red))
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprint(&b, Color(i%4), Vec{i, -i})
	}
	fmt.Println(b.Len(), b.String()[:40])
}
