// A package variable initialised with a function literal (its function is named init.func1, and is
// not an init function).
package main

import "fmt"

type buf struct{ b [64]byte }

var mk func() any = func() any { return new(buf) }

func main() {
	x := mk()
	fmt.Println(x != nil)
}
