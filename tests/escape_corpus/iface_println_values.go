package main

import "fmt"

type Temp float64

// fmt.Println takes ...any: each argument is converted to an interface.
func main() {
	n := 42
	name := "gopher"
	t := Temp(36.6)
	xs := []int{1, 2, 3}
	fmt.Println(n, name, t)
	fmt.Println(xs)
	fmt.Printf("%d items\n", len(xs))
}
