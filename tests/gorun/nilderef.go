package main

import "fmt"

type T struct{ x int }

func get(t *T) int { return t.x }

func main() {
	fmt.Println("before")
	var t *T
	fmt.Println(get(t))
}
