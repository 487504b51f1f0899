// Substring retention: a short substring keeps the whole long string it was cut from alive.
package main

import (
	"fmt"
	"runtime"
	"strings"
)

var ids []string // the request ids seen so far

// readMessage stands for a message read from the network: a 16-byte id, then a 64 KiB body.
func readMessage(n int) string {
	return fmt.Sprintf("req-%012d", n) + strings.Repeat("x", 64<<10)
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	for n := 0; n < 8; n++ {
		msg := readMessage(n)
		id := msg[:16] // the leak: id shares msg's 64 KiB of bytes
		ids = append(ids, id)
		runtime.GC()
	}
	fmt.Println(len(ids), "ids, the last", ids[len(ids)-1])
}
