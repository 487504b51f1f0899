package main

import "fmt"

func main() {
	p := newPoint(1, 2)
	q := keep(p)
	s := collect(5)
	fmt.Println(p.X, q.Y, len(s), sum(s))
}
