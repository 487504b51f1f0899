// The churn pattern: a slice of pointers to 1 KB objects where random
// entries are replaced (math/rand seeded with rand.New(rand.NewSource(42))),
// a steady live heap with constant garbage (>= 10 GCs).
package main

import (
	"fmt"
	"math/rand"
)

type Obj struct {
	id      int
	payload [126]int64
	link    *Obj
}

func main() {
	r := rand.New(rand.NewSource(42))
	const live = 4000
	objs := make([]*Obj, live)
	for i := range objs {
		objs[i] = &Obj{id: i}
	}
	replaced := 0
	for i := 0; i < 90000; i++ {
		k := r.Intn(live)
		o := &Obj{id: live + i}
		o.payload[i%126] = int64(i)
		if i%5 == 0 {
			o.link = objs[r.Intn(live)]
		}
		objs[k] = o
		replaced++
	}
	sum, linked := 0, 0
	for _, o := range objs {
		sum += o.id
		if o.link != nil {
			linked++
		}
	}
	fmt.Println("replaced", replaced, "sum", sum, "linked", linked, "next", r.Intn(1000))
}
