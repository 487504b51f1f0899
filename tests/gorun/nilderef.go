package main

import "fmt"

type T struct{ x int }

// get is kept out of line: gomem's tracebacks name the frames it pushed, not the calls Go inlined
//
//go:noinline
func get(t *T) int { return t.x }

func main() {
	fmt.Println("before")
	var t *T
	fmt.Println(get(t))
}
