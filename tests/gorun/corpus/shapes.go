// A Shape interface with several implementations (values and pointers),
// dynamic dispatch, sorting by area, interfaces holding structs.
package main

import (
	"fmt"
	"math"
	"sort"
)

type Shape interface {
	Area() float64
	Perimeter() float64
	Name() string
}

type Circle struct{ R float64 }
type Rect struct{ W, H float64 }
type Triangle struct{ A, B, C float64 }
type Square struct{ Rect }

func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }
func (c Circle) Name() string       { return "circle" }

func (r *Rect) Area() float64      { return r.W * r.H }
func (r *Rect) Perimeter() float64 { return 2 * (r.W + r.H) }
func (r *Rect) Name() string       { return "rect" }

func (t Triangle) Area() float64 {
	s := (t.A + t.B + t.C) / 2
	return math.Sqrt(s * (s - t.A) * (s - t.B) * (s - t.C))
}
func (t Triangle) Perimeter() float64 { return t.A + t.B + t.C }
func (t Triangle) Name() string       { return "triangle" }

func (s *Square) Name() string { return "square" }

func total(shapes []Shape) (area, perim float64) {
	for _, s := range shapes {
		area += s.Area()
		perim += s.Perimeter()
	}
	return
}

func main() {
	shapes := []Shape{Circle{1}, &Rect{3, 4}, Triangle{3, 4, 5}, &Square{Rect{2, 2}}, Circle{0.5}}
	for _, s := range shapes {
		fmt.Printf("%-8s area %8.3f perimeter %8.3f\n", s.Name(), s.Area(), s.Perimeter())
	}
	a, p := total(shapes)
	fmt.Printf("total %.4f %.4f\n", a, p)
	sort.Slice(shapes, func(i, j int) bool { return shapes[i].Area() < shapes[j].Area() })
	for _, s := range shapes {
		fmt.Print(s.Name(), " ")
	}
	fmt.Println()
	var many []Shape
	for i := 0; i < 3000; i++ {
		switch i % 3 {
		case 0:
			many = append(many, Circle{float64(i % 10)})
		case 1:
			many = append(many, &Rect{float64(i % 7), float64(i % 11)})
		default:
			many = append(many, Triangle{3, 4, float64(i%3 + 3)})
		}
	}
	a, p = total(many)
	fmt.Printf("many: %.2f %.2f\n", a, p)
	var s Shape
	fmt.Println(s == nil)
	s = Circle{2}
	_, isRect := s.(*Rect)
	fmt.Println(isRect, s.(Circle).R)
}
