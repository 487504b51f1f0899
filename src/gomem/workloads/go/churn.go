// churn keeps a large, pointer-rich live set and replaces its objects at
// random: the shape of gomem's churn workload (src/gomem/workloads/churn.py)
// and of the "Churn" measurements in real-go-measurements.md.
//
// A global table live []*Obj of -live 64-byte objects (size class 64, four
// pointer fields); object i's even fields point at a random one of the first
// -static objects (never replaced), its odd fields at any live object.  Then
// -replacements times: a random non-static slot gets a new object; the old
// one's pointer fields are cleared before it is released, so it stays alive
// only while something points at it directly.  The random sequence is Go's
// (math/rand/v2 PCG from -seed), not gomem's: the shape and the rates are the
// same, the exact choices are not.
//
// Usage: GODEBUG=gctrace=1 churn -live 65536 -static 4096 -replacements 327680 -ptrs 4 -seed 1
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

type Obj struct {
	ptr [4]*Obj // a, b, c, d: 4 pointer fields, scanned
	id  int64
	_   [3]int64 // 64 bytes in all: size class 64
}

var live []*Obj

func main() {
	n := flag.Int("live", 65536, "live objects in the table")
	static := flag.Int("static", 4096, "leading table entries that are never replaced")
	reps := flag.Int("replacements", 327680, "random replacements")
	ptrs := flag.Int("ptrs", 4, "pointer fields set per object (even: a static object, odd: any live one)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *static < 1 || *static >= *n {
		fmt.Fprintf(os.Stderr, "churn: static must be between 1 and live-1, got static=%d live=%d\n", *static, *n)
		os.Exit(2)
	}
	if *ptrs < 0 || *ptrs > 4 {
		fmt.Fprintf(os.Stderr, "churn: ptrs must be 0..4, got %d\n", *ptrs)
		os.Exit(2)
	}
	N, S, P := *n, *static, *ptrs
	r := rand.New(rand.NewPCG(*seed, 0x5eed))

	live = make([]*Obj, N)
	for i := 0; i < N; i++ {
		o := &Obj{id: int64(i)}
		if i > 0 {
			for k := 0; k < P; k++ {
				lim := min(i, S)
				if k&1 == 1 {
					lim = i
				}
				o.ptr[k] = live[int(r.Float64()*float64(lim))]
			}
		}
		live[i] = o
	}

	next := int64(N)
	for j := 0; j < *reps; j++ {
		i := S + r.IntN(N-S) // live[:static] never changes
		o := &Obj{id: next}
		next++
		for k := 0; k < P; k++ {
			if k&1 == 1 {
				o.ptr[k] = live[r.IntN(N)]
			} else {
				o.ptr[k] = live[r.IntN(S)]
			}
		}
		old := live[i]
		*old = Obj{id: old.id} // reset before release: cut its out-pointers
		live[i] = o
	}

	// checksum(live): ids of the table's objects and of their targets
	var check uint64
	for i, o := range live {
		idx := uint64(i + 1)
		check += uint64(o.id) * idx
		for k := 0; k < 4; k++ {
			var tid uint64
			if t := o.ptr[k]; t != nil {
				tid = uint64(t.id)
			}
			check += (tid + 1) * idx * uint64(2*k+3)
		}
	}
	fmt.Printf("churn: %d live objects (%d static), %d replacements, %d pointers each\n", N, S, *reps, P)
	fmt.Printf("checksum: %016x\n", check)
}
