// runtime.GC and runtime.ReadMemStats: facts that hold whatever the GC
// count -- HeapAlloc drops once a large structure is unreachable and a GC
// has run, Mallocs and TotalAlloc only grow, NumGC grows across runtime.GC.
package main

import (
	"fmt"
	"runtime"
)

type blob struct {
	data [32]int64
	next *blob
}

var sink *blob

func build(n int) *blob {
	var head *blob
	for i := 0; i < n; i++ {
		head = &blob{next: head}
		head.data[0] = int64(i)
	}
	return head
}

func main() {
	var m0, m1, m2, m3 runtime.MemStats
	runtime.ReadMemStats(&m0)
	sink = build(20000) // ~5 MB live
	runtime.ReadMemStats(&m1)
	fmt.Println("allocated while building:", m1.TotalAlloc-m0.TotalAlloc >= 20000*264, m1.Mallocs-m0.Mallocs >= 20000)
	runtime.GC()
	runtime.ReadMemStats(&m2)
	fmt.Println("still live after GC:", m2.HeapAlloc >= 20000*256, m2.NumGC > m1.NumGC)
	sink = nil
	runtime.GC()
	runtime.ReadMemStats(&m3)
	fmt.Println("HeapAlloc dropped:", m3.HeapAlloc < m2.HeapAlloc, m2.HeapAlloc-m3.HeapAlloc >= 20000*256)
	fmt.Println("counters only grow:", m3.Mallocs >= m2.Mallocs, m3.TotalAlloc >= m2.TotalAlloc, m3.Frees >= m2.Frees)
	fmt.Println("NumGC grew by at least 2:", m3.NumGC >= m1.NumGC+2)
	fmt.Println("live objects:", m3.Mallocs-m3.Frees < 20000)
}
