// fmt verbs and flags: %v %+v %#v %T %q %x %X %o %b %c %U %t %s %d %5d
// %-5s %05d %8.3f %g, on ints, strings, slices, maps, structs, pointers to
// structs (&{...}), nested values, nil values; Sprintf, Sprint, Sprintln.
package main

import (
	"fmt"
	"strings"
)

type Inner struct {
	Tag  string
	Nums []int
}

type Outer struct {
	ID    int
	Name  string
	In    Inner
	Ptr   *Inner
	M     map[string]int
	Any   any
	flags uint8
}

func main() {
	in := Inner{"t", []int{1, 2}}
	o := Outer{ID: 7, Name: "seven", In: in, Ptr: &in, M: map[string]int{"b": 2, "a": 1}, Any: 3.5, flags: 9}
	fmt.Printf("%v\n%+v\n", o.In, o.In)
	fmt.Printf("%#v\n", in)
	fmt.Printf("%v %+v\n", o.Ptr, o.Ptr)
	fmt.Printf("%v|%d|%s\n", o.M, o.M, []string{"x", "y"})
	fmt.Printf("%T %T %T %T %T %T\n", o, o.Ptr, o.M, o.Any, []any{1}, fmt.Printf)
	fmt.Printf("%q %q %q %q\n", "hi\n", 'x', []string{"a b", "c"}, 0x263A)
	fmt.Printf("%x %X %x %x % x %#x\n", 255, 255, "hello", []byte{1, 171}, []byte{1, 2, 3}, 255)
	fmt.Printf("%o %#o %b %c %U %08b\n", 8, 8, 5, 'G', 'G', 5)
	fmt.Printf("%t %v %5d|%-5d|%05d|%+d\n", true, false, 42, 42, 42, 42)
	fmt.Printf("%-8s|%8s|%.2s|%8.3f|%-8.2f|%g|%G\n", "left", "right", "truncate", 3.14159, 2.5, 1e-9, 1e21)
	fmt.Printf("%v %v %v %v\n", nil, []int(nil), map[int]int(nil), (*Inner)(nil))
	fmt.Printf("%d %s\n", "str", 5)
	fmt.Printf("%d\n", 1, 2)
	fmt.Printf("%d %d\n", 1)
	fmt.Printf("%#v %#v %#v\n", []int{1}, map[string]bool{"k": true}, "q")
	fmt.Printf("%v %.1f %5.1f%%\n", [3]bool{true}, []float64{1.25, 2.5}, 99.5)
	fmt.Printf("%6.2v|%x|%X\n", "abc", -255, "Go")
	fmt.Println(fmt.Sprint("a", 1, 2, "b", "c", 3.0), fmt.Sprintln("x", 1), len(fmt.Sprintf("%100s", "")))
	fmt.Printf("%v %d %s\n", o.Any, o.flags, o.Name)
	var sb strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "%d:%x:%q;", i, i, fmt.Sprint(i%10))
	}
	s := sb.String()
	fmt.Println(len(s), s[:40])
	fmt.Printf("%v %+v\n", struct {
		A int
		B []string
	}{1, []string{"z"}}, &struct{ P *int }{})
}
