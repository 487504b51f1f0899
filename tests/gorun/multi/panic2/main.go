package main

import "fmt"

func main() {
	fmt.Println("start")
	var t Table
	t.Set(1, "one")
	fmt.Println(t.Get(1))
	lookup(&t, 7)
	fmt.Println("not reached")
}
