package main

import "fmt"

var x = 1

func main() {
	fmt.Println(x, f())
}
