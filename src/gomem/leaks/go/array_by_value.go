// A large array passed by value: every call copies all of it, and the copies are kept.
package main

import (
	"fmt"
	"runtime"
)

type Table [8192]int // 64 KiB

var recent [64]*Table // the tables the last requests looked at, for a debug page

// handle answers request n by looking it up in t, and remembers what it looked at.
func handle(n int, t Table) int {
	recent[n%len(recent)] = &t // the leak: t is this call's own 64 KiB copy, now kept on the heap
	return t[n%len(t)]
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	var t Table
	for i := range t {
		t[i] = i * i
	}
	sum := 0
	for n := 0; n < 8; n++ {
		sum += handle(n, t)
		runtime.GC()
	}
	fmt.Println("sum:", sum)
}
