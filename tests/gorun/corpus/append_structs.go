// append growth of structs of many sizes (1 to 200 bytes, with and without
// pointers): the cap sequence depends on the element size and size classes.
package main

import "fmt"

type S1 struct{ a byte }
type S3 struct{ a, b, c byte }
type S12 struct{ a, b, c int32 }
type S24 struct {
	p *int
	x int64
	y int32
}
type S40 struct {
	name string
	v    [3]int64
}
type S72 struct{ a [9]int64 }
type S200 struct {
	p   *S200
	arr [24]int64
}

func main() {
	var a1 []S1
	var a3 []S3
	var a12 []S12
	var a24 []S24
	var a40 []S40
	var a72 []S72
	var a200 []S200
	c1, c3, c12, c24, c40, c72, c200 := -1, -1, -1, -1, -1, -1, -1
	for i := 0; i < 600; i++ {
		a1 = append(a1, S1{byte(i)})
		a3 = append(a3, S3{a: byte(i)})
		a12 = append(a12, S12{a: int32(i)})
		a24 = append(a24, S24{x: int64(i)})
		a40 = append(a40, S40{name: "s"})
		a72 = append(a72, S72{})
		a200 = append(a200, S200{})
		if cap(a1) != c1 {
			c1 = cap(a1)
			fmt.Println("S1 ", len(a1), c1)
		}
		if cap(a3) != c3 {
			c3 = cap(a3)
			fmt.Println("S3 ", len(a3), c3)
		}
		if cap(a12) != c12 {
			c12 = cap(a12)
			fmt.Println("S12", len(a12), c12)
		}
		if cap(a24) != c24 {
			c24 = cap(a24)
			fmt.Println("S24", len(a24), c24)
		}
		if cap(a40) != c40 {
			c40 = cap(a40)
			fmt.Println("S40", len(a40), c40)
		}
		if cap(a72) != c72 {
			c72 = cap(a72)
			fmt.Println("S72", len(a72), c72)
		}
		if cap(a200) != c200 {
			c200 = cap(a200)
			fmt.Println("S200", len(a200), c200)
		}
	}
	fmt.Println(a12[599].a, a24[599].x, a40[10].name)
}
