package main

import "fmt"

// order follows the dependencies across files: total needs area, area needs shapes (c.go)
var total = area + perimeter

var log []string

func init() {
	log = append(log, fmt.Sprintf("init a_main.go: total=%.2f", total))
}

func main() {
	for _, l := range log {
		fmt.Println(l)
	}
	for _, s := range shapes {
		fmt.Printf("%-6s area %.2f perimeter %.2f\n", s.Name(), s.Area(), s.Perimeter())
	}
	r := NewRect(2, 3)
	r.Scale(Factor)
	fmt.Println(describe(r), counter)
}
