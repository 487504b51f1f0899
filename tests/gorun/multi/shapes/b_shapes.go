package main

import (
	"math"
	"strings"
)

const Factor = 2

type Shape interface {
	Name() string
	Area() float64
	Perimeter() float64
}

type Rect struct{ W, H float64 }

type Circle struct{ R float64 }

func NewRect(w, h float64) *Rect {
	counter++
	return &Rect{w, h}
}

func (r *Rect) Scale(k float64) { r.W *= k; r.H *= k }
func (r Rect) Name() string     { return "rect" }
func (r Rect) Area() float64    { return r.W * r.H }
func (r Rect) Perimeter() float64 {
	return 2 * (r.W + r.H)
}

func (c Circle) Name() string       { return strings.ToUpper("circle")[:1] + "ircle" }
func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }

func init() {
	log = append(log, "init b_shapes.go: "+strings.Repeat("*", len(shapes)))
}

func init() {
	log = append(log, "second init b_shapes.go")
}
