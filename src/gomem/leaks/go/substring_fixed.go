// The fix: copy the substring into 16 bytes of its own (strings.Clone, or string([]byte(s)) before Go 1.20).
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
		id := string([]byte(msg[:16])) // a copy, as strings.Clone(msg[:16]) makes: msg can be freed
		ids = append(ids, id)
		runtime.GC()
	}
	fmt.Println(len(ids), "ids, the last", ids[len(ids)-1])
}
