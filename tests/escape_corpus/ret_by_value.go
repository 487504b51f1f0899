package main

// Returning a struct by value copies it out; nothing escapes.
type Point struct {
	X, Y int
}

func midpoint(a, b Point) Point {
	return Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2}
}

func scale(p *Point, k int) Point {
	return Point{p.X * k, p.Y * k}
}

func main() {
	a := Point{0, 0}
	b := Point{10, 20}
	m := midpoint(a, b)
	s := scale(&m, 3)
	println(s.X, s.Y)
}
