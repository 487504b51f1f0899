// forced.go: the program whose GODEBUG=gctrace=1 log tests/test_gctrace_logs.py reads.
// It allocates in rounds, prints a line of its own between rounds (so the log
// mixes program output with gctrace lines), forces FORCED collections with
// runtime.GC() and prints its final NumGC and NumForcedGC.
package main

import (
	"fmt"
	"os"
	"runtime"
)

const FORCED = 5

var sink [][]byte

func main() {
	for i := 0; i < FORCED; i++ {
		for j := 0; j < 4000; j++ {
			sink = append(sink, make([]byte, 1024))
		}
		fmt.Fprintf(os.Stderr, "round %d done\n", i)
		runtime.GC()
		sink = sink[:len(sink)/2]
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "NumGC=%d NumForcedGC=%d\n", ms.NumGC, ms.NumForcedGC)
}
