package main

type Point struct{ X, Y int }

var kept []*Point

func newPoint(x, y int) *Point {
	return &Point{x, y}
}

func keep(p *Point) *Point {
	kept = append(kept, p)
	return &Point{p.Y, p.X}
}

func collect(n int) []int {
	s := make([]int, 0, n)
	for i := 0; i < n; i++ {
		s = append(s, i*i)
	}
	return s
}

func sum(s []int) int {
	buf := make([]int, 4)
	t := 0
	for i, v := range s {
		buf[i%4] += v
		t += v
	}
	return t + buf[0]
}
