package main

import "math"

type Shape interface {
	Area() float64
}

type Circle struct{ R float64 }
type Rect struct{ W, H float64 }

func (c Circle) Area() float64 { return math.Pi * c.R * c.R }
func (r *Rect) Area() float64  { return r.W * r.H }

// Calling a method through an interface: the callee is unknown.
func totalArea(shapes []Shape) float64 {
	sum := 0.0
	for _, s := range shapes {
		sum += s.Area()
	}
	return sum
}

func main() {
	c := Circle{R: 1}
	r := Rect{W: 2, H: 3}
	shapes := []Shape{c, &r}
	println(totalArea(shapes))
}
