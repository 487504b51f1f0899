// Structs with mixed field sizes (int8, int16, int32, int64, float32,
// float64, bool, string, byte, rune, pointers): zero values, %v/%+v,
// struct comparison, slices of them, and many heap objects of them.
package main

import "fmt"

type Mixed struct {
	A int8
	B int16
	C int32
	D float64
	E bool
	F string
	G uint8
	H rune
	I float32
	J *Mixed
	K uint64
}

type Small struct {
	Flag bool
	N    int16
}

func main() {
	var z Mixed
	fmt.Printf("%v\n%+v\n", z, z)
	m := Mixed{A: -8, B: 1600, C: -320000, D: 2.5, E: true, F: "mixed", G: 255, H: 'λ', I: 1.25, K: 1 << 63}
	fmt.Printf("%+v\n", m)
	m2 := m
	fmt.Println(m == m2, Small{true, 1} == Small{true, 1}, Small{} == Small{N: 1})
	m2.J = &m
	fmt.Println(m2.J.F, m2.J.J == nil)
	list := make([]Small, 0)
	for i := 0; i < 1000; i++ {
		list = append(list, Small{i%2 == 0, int16(i * 37)})
	}
	neg := 0
	for _, s := range list {
		if s.N < 0 {
			neg++
		}
	}
	fmt.Println(len(list), cap(list), neg, list[999])
	var head *Mixed
	for i := 0; i < 4000; i++ {
		head = &Mixed{A: int8(i), B: int16(i), C: int32(i), D: float64(i) / 4, E: i%3 == 0,
			F: "n", G: uint8(i), H: rune(i), I: float32(i), J: head, K: uint64(i)}
	}
	var sa int
	var sd float64
	cnt := 0
	for p := head; p != nil; p = p.J {
		sa += int(p.A)
		sd += p.D
		if p.E {
			cnt++
		}
	}
	fmt.Println(sa, sd, cnt, head.H, head.G)
}
