package main

import "fmt"

var shapes = makeShapes()

var area, perimeter = sums()

var counter int

func sums() (a, p float64) {
	for _, s := range shapes {
		a += s.Area()
		p += s.Perimeter()
	}
	return
}

func makeShapes() []Shape {
	return []Shape{Rect{1, 2}, Circle{1}, Rect{W: 3, H: 4}}
}

func describe(s Shape) string {
	return fmt.Sprintf("%s %.1f", s.Name(), s.Area())
}
