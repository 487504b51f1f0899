// sizeclass_probe measures, on the real Go runtime, what allocating an object
// of a given size costs: the address step between consecutive objects (the
// slot size), the span size, how many objects a span holds, where in its
// span the first object starts (8 when a malloc header precedes it), and the
// last 256 bytes of a one-page span (pointer bitmap and Green Tea inline mark
// bits live there).  gomem's tests compare these with gomem.sizeclasses.
//
// Usage: sizeclass_probe SIZE:ptr|noscan ...   (prints one JSON array)
//
// The heap is never collected (GC off), so spans come fresh from the page
// heap and fill in address order; a new span shows up as a jump in
// MemStats.HeapInuse.  Standard library only.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"
)

type probe struct {
	Size       int    `json:"size"`
	Ptr        bool   `json:"ptr"`
	TypeSize   int    `json:"type_size"`
	StrideMin  int    `json:"stride_min"`
	StrideMax  int    `json:"stride_max"`
	SpanBytes  []int  `json:"span_bytes"`
	PerSpan    []int  `json:"per_span"`
	FirstOff   int    `json:"first_off"`
	AllocDelta []int  `json:"total_alloc_delta"`
	Tail       string `json:"tail_hex"`
	// address steps of 32 allocations made back to back, with no
	// ReadMemStats in between (it flushes the mcache and with it the tiny
	// block, so only these show how the tiny allocator packs objects)
	FreeSteps []int `json:"free_steps"`
}

var (
	bytePtr = reflect.TypeOf((*byte)(nil))
	byteT   = reflect.TypeOf(byte(0))
	keep    []unsafe.Pointer // keeps every probe object reachable
)

// objType gives a type of exactly size bytes; with ptr, only its first word
// is a pointer, so the pointer bitmap shows one bit per object.
func objType(size int, ptr bool) reflect.Type {
	if !ptr {
		return reflect.ArrayOf(size, byteT)
	}
	if size == 8 {
		return bytePtr
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "P", Type: bytePtr},
		{Name: "B", Type: reflect.ArrayOf(size-8, byteT)},
	})
}

func measure(size int, ptr bool) probe {
	t := objType(size, ptr)
	_ = reflect.New(t) // warm reflect's caches (pointer type) before counting
	const wantGrowths = 4
	const limit = 40000
	addrs := make([]uintptr, 0, limit)
	// preallocated: nothing but the probe objects may be allocated while counting
	growAt, growBy, allocDelta := make([]int, 0, 8), make([]int, 0, 8), make([]int, 0, 8)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	inuse, total := ms.HeapInuse, ms.TotalAlloc
	start := len(keep)
	for len(addrs) < limit && len(growAt) < wantGrowths {
		p := reflect.New(t).UnsafePointer()
		keep = append(keep, p)
		addrs = append(addrs, uintptr(p))
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse != inuse {
			growAt = append(growAt, len(addrs)-1)
			growBy = append(growBy, int(ms.HeapInuse-inuse))
			allocDelta = append(allocDelta, int(ms.TotalAlloc-total))
		}
		inuse, total = ms.HeapInuse, ms.TotalAlloc
	}
	r := probe{Size: size, Ptr: ptr, TypeSize: int(t.Size()), SpanBytes: growBy[1:], AllocDelta: allocDelta[1:]}
	for k := 0; k+1 < len(growAt); k++ {
		lo, hi := growAt[k], growAt[k+1]
		r.PerSpan = append(r.PerSpan, hi-lo)
		for i := lo; i+1 < hi; i++ {
			d := int(addrs[i+1] - addrs[i])
			if r.StrideMin == 0 || d < r.StrideMin {
				r.StrideMin = d
			}
			if d > r.StrideMax {
				r.StrideMax = d
			}
		}
	}
	first := addrs[growAt[1]]
	r.FirstOff = int(first & 8191)
	if growBy[1] == 8192 {
		// the span's last 256 bytes, addressed from its first object
		tail := (*[256]byte)(unsafe.Add(keep[start+growAt[1]], 8192-256-r.FirstOff))
		r.Tail = hex.EncodeToString(tail[:])
	}
	var run [33]uintptr
	for i := range run {
		p := reflect.New(t).UnsafePointer()
		keep = append(keep, p)
		run[i] = uintptr(p)
	}
	for i := 0; i+1 < len(run); i++ {
		r.FreeSteps = append(r.FreeSteps, int(run[i+1]-run[i]))
	}
	return r
}

func main() {
	debug.SetGCPercent(-1)
	runtime.GOMAXPROCS(1)
	keep = make([]unsafe.Pointer, 0, 1<<20)
	var out []probe
	for _, arg := range os.Args[1:] {
		sz, kind, ok := strings.Cut(arg, ":")
		n, err := strconv.Atoi(sz)
		if !ok || err != nil || n <= 0 || (kind != "ptr" && kind != "noscan") {
			fmt.Fprintf(os.Stderr, "bad case %q: want SIZE:ptr or SIZE:noscan\n", arg)
			os.Exit(2)
		}
		out = append(out, measure(n, kind == "ptr"))
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(append(b, '\n'))
}
