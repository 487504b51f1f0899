// Structs and arrays by value, fields and elements as lvalues, op= on them
package main

import "fmt"

type Point struct {
	X, Y int
}

type Rect struct {
	Min, Max Point
	Name     string
	Tags     [3]int
}

type blob struct {
	next *blob
	data [4]int64
}

func area(r Rect) int {
	return (r.Max.X - r.Min.X) * (r.Max.Y - r.Min.Y)
}

func main() {
	r := Rect{Min: Point{1, 2}, Max: Point{X: 5, Y: 7}, Name: "box"}
	r.Tags[1] = 9
	r.Tags[2] += 4
	r.Max.X *= 2
	var arr [5]int
	for i := 0; i < 5; i++ {
		arr[i] = i * i
	}
	arr[3] += 100
	var head *blob
	for i := 0; i < 3; i++ {
		head = &blob{next: head}
		head.data[0] = int64(i)
	}
	c := [][]float64{{1, 2}, {3, 4}}
	c[1][0] += 0.5
	p := &Rect{Name: "heap", Min: Point{3, 4}}
	fmt.Println(area(r), r.Name, r.Tags, r.Max, arr, head.data[0], head.next.next.data[0], c, p.Min.Y, *p)
	fmt.Println(r)
}
