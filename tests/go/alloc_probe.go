// alloc_probe runs a scripted sequence of allocations on the real Go runtime
// and prints how runtime.MemStats moved, so that gomem can run the same
// script and be compared with it (tests/test_realgo_alloc.py).
//
// Usage: alloc_probe < script.json   (GOMAXPROCS=1 GOGC=off; prints one JSON object)
//
// The script is {"clean_gc": bool, "steps": [...]}; each step is one of
//
//	{"alloc": [[size, has_pointers, count], ...]}  allocate, keeping every object
//	{"read": "label"}                              runtime.ReadMemStats, record a snapshot
//	{"drop": [k, r]}                               forget kept objects whose index i has i%k == r
//	{"gc": true}                                   runtime.GC() (marks, then sweeps fully)
//
// An object of size S is a new value of a type of that size: [S]byte when it
// has no pointers, struct { P *byte; Pad [S-8]byte } when it has (the
// compiler rounds that up to a multiple of 8; S <= 8 gives plain
// struct { P *byte }).  Each snapshot holds deltas against the baseline, a
// ReadMemStats taken just before the first step.
//
// Keeping the probe's own allocations out of the deltas:
//   - the script is decoded, every reflect type (and its pointer type, which
//     reflect.New looks up) is built and the keep-alive slice is allocated
//     before the baseline, and all of them are held in globals so that a
//     collection cannot free them either; snapshots go into a preallocated
//     slice; JSON is only written at the end;
//   - MemProfileRate is 0, so no allocation is sampled;
//   - with clean_gc, two runtime.GC() cycles run before the baseline so that
//     a later collection finds no garbage but the script's (one is not
//     enough: sync.Pool victim caches survive one cycle).  Without it no
//     cycle ever runs, so each size class has at most one partly used span
//     for the script to start in (see the HeapInuse comparison in the test);
//     a "gc" step would then also free the runtime's start-up garbage;
//   - one time.Sleep, before the clean collections, gives the P's timer
//     heap its backing array (see main);
//   - the "noise" field holds the deltas of a second read taken right after
//     the baseline: all zero, or the probe is not measuring what it claims.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"time"
	"unsafe"
)

type step struct {
	Alloc [][3]json.RawMessage `json:"alloc"`
	Read  *string              `json:"read"`
	Drop  []int                `json:"drop"`
	GC    bool                 `json:"gc"`
}

type script struct {
	CleanGC bool   `json:"clean_gc"`
	Steps   []step `json:"steps"`
}

type allocOp struct {
	t     reflect.Type
	count int
}

type snapshot struct {
	Label       string    `json:"label"`
	Mallocs     int64     `json:"Mallocs"`
	Frees       int64     `json:"Frees"`
	TotalAlloc  int64     `json:"TotalAlloc"`
	HeapAlloc   int64     `json:"HeapAlloc"`
	HeapObjects int64     `json:"HeapObjects"`
	HeapInuse   int64     `json:"HeapInuse"`
	NumGC       int64     `json:"NumGC"`
	BySizeMall  [61]int64 `json:"BySizeMallocs"`
	BySizeFrees [61]int64 `json:"BySizeFrees"`
}

var (
	bytePtr = reflect.TypeOf((*byte)(nil))
	byteT   = reflect.TypeOf(byte(0))

	// everything below lives from before the baseline to the end
	prog      script
	ops       [][]allocOp
	typeSizes [][]int
	keep      []unsafe.Pointer
	nkeep     int
	base, ms  runtime.MemStats
	snaps     []snapshot
	labels    []string
	noise     snapshot
)

func objType(size int, ptr bool) reflect.Type {
	if !ptr {
		return reflect.ArrayOf(size, byteT)
	}
	fields := []reflect.StructField{{Name: "P", Type: bytePtr}}
	if size > 8 {
		fields = append(fields, reflect.StructField{Name: "Pad", Type: reflect.ArrayOf(size-8, byteT)})
	}
	return reflect.StructOf(fields)
}

func delta(label string, a, b *runtime.MemStats) snapshot {
	s := snapshot{
		Label:       label,
		Mallocs:     int64(b.Mallocs - a.Mallocs),
		Frees:       int64(b.Frees - a.Frees),
		TotalAlloc:  int64(b.TotalAlloc - a.TotalAlloc),
		HeapAlloc:   int64(b.HeapAlloc) - int64(a.HeapAlloc),
		HeapObjects: int64(b.HeapObjects) - int64(a.HeapObjects),
		HeapInuse:   int64(b.HeapInuse) - int64(a.HeapInuse),
		NumGC:       int64(b.NumGC) - int64(a.NumGC),
	}
	for i := range s.BySizeMall {
		s.BySizeMall[i] = int64(b.BySize[i].Mallocs - a.BySize[i].Mallocs)
		s.BySizeFrees[i] = int64(b.BySize[i].Frees - a.BySize[i].Frees)
	}
	return s
}

// allocate runs one alloc step.  It is its own (non-inlined) function so no
// pointer to a new object outlives it on main's stack.
//
//go:noinline
func allocate(step []allocOp) {
	for _, op := range step {
		for i := 0; i < op.count; i++ {
			keep[nkeep] = reflect.New(op.t).UnsafePointer()
			nkeep++
		}
	}
}

//go:noinline
func drop(k, r int) {
	for i := 0; i < nkeep; i++ {
		if i%k == r {
			keep[i] = nil
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "alloc_probe: "+format+"\n", args...)
	os.Exit(2)
}

func main() {
	runtime.MemProfileRate = 0
	debug.SetGCPercent(-1)
	if runtime.GOMAXPROCS(0) != 1 {
		fail("run with GOMAXPROCS=1 (have %d)", runtime.GOMAXPROCS(0))
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	if err := json.Unmarshal(in, &prog); err != nil {
		fail("bad script: %v", err)
	}
	total, nreads := 0, 0
	ops = make([][]allocOp, len(prog.Steps))
	typeSizes = make([][]int, len(prog.Steps))
	for i, st := range prog.Steps {
		for _, a := range st.Alloc {
			var size, count int
			var ptr bool
			if json.Unmarshal(a[0], &size) != nil || json.Unmarshal(a[1], &ptr) != nil ||
				json.Unmarshal(a[2], &count) != nil || size <= 0 || count < 0 {
				fail("bad alloc entry %s", a)
			}
			t := objType(size, ptr)
			_ = reflect.PointerTo(t) // cache *T: reflect.New looks it up
			ops[i] = append(ops[i], allocOp{t, count})
			typeSizes[i] = append(typeSizes[i], int(t.Size()))
			total += count
		}
		if st.Read != nil {
			nreads++
			labels = append(labels, *st.Read)
		}
		if st.Drop != nil && (len(st.Drop) != 2 || st.Drop[0] <= 0) {
			fail("bad drop %v: want [k, r]", st.Drop)
		}
	}
	keep = make([]unsafe.Pointer, total)
	snaps = make([]snapshot, 0, nreads)
	// The P's timer heap is an ordinary heap slice that starts empty.  The
	// first timer ever added grows it to one 16-byte entry, and a second
	// timer pending at the same time grows it again, leaving the old array
	// as garbage.  The background scavenger adds a timer each time it goes
	// to sleep after a collection; it runs only when main blocks, so when is
	// up to the scheduler.  Sleeping here, before the clean collections,
	// adds the first timer now, and any garbage it leaves is collected
	// before the baseline; afterwards main never holds a timer again.
	time.Sleep(time.Millisecond)
	if prog.CleanGC {
		// Twice: the first cycle moves sync.Pool contents (encoding/json's
		// scanner, for one) to the victim caches, the second frees them.
		runtime.GC()
		runtime.GC()
	}

	runtime.ReadMemStats(&base)
	runtime.ReadMemStats(&ms)
	noise = delta("noise", &base, &ms)
	base = ms
	nread := 0
	for i, st := range prog.Steps {
		switch {
		case st.Alloc != nil:
			allocate(ops[i])
		case st.Drop != nil:
			drop(st.Drop[0], st.Drop[1])
		case st.GC:
			runtime.GC()
		case st.Read != nil:
			runtime.ReadMemStats(&ms)
			snaps = append(snaps, delta(labels[nread], &base, &ms))
			nread++
		}
	}
	runtime.KeepAlive(keep)

	out, err := json.Marshal(map[string]any{
		"noise": noise, "snapshots": snaps, "type_sizes": typeSizes,
		"go_version": runtime.Version(),
	})
	if err != nil {
		fail("%v", err)
	}
	os.Stdout.Write(append(out, '\n'))
}
