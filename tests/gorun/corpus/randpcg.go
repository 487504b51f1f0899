// math/rand/v2 with a seeded PCG (rand.New(rand.NewPCG(seed, 0x5eed)), the
// seed a flag.Uint64 left at its default): Uint64, Uint32, Int, Int64,
// Int32, Uint, IntN, Int64N, Int32N, UintN, Uint64N, Uint32N, Float64,
// Float32, Perm; random-sized byte blobs (make([]byte, r.IntN(...))) kept in a
// ring, so the sizes Go's generator picks decide what is allocated.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
)

type blob struct {
	data []byte
	next *blob
}

func pick(r *rand.Rand, n int) int { return r.IntN(n) }

func main() {
	seed := flag.Uint64("seed", 7, "the PCG's first seed word")
	rounds := flag.Int("rounds", 3000, "blobs made")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 0x5eed))
	fmt.Println(r.Uint64(), r.Uint32(), r.Int(), r.Int64(), r.Int32(), r.Uint())
	fmt.Println(r.IntN(10), r.IntN(1<<40), r.Int64N(1000003), r.Int32N(77), r.UintN(5), r.Uint64N(1<<63+5), r.Uint32N(3))
	fmt.Println(r.Float64(), r.Float32(), r.Perm(10))

	ring := make([]*blob, 64)
	var total, big int
	var check uint64
	for i := 0; i < *rounds; i++ {
		n := 1 + pick(r, 200)
		if r.Float64() < 0.02 {
			n = 4096 + r.IntN(20000)
			big++
		}
		b := &blob{data: make([]byte, n)}
		b.data[0] = byte(i)
		k := r.IntN(len(ring))
		b.next = ring[k]
		if b.next != nil {
			b.next.next = nil
		}
		ring[k] = b
		total += n
		check = check*31 + uint64(n)
	}
	fmt.Printf("rounds %d big %d bytes %d check %016x\n", *rounds, big, total, check)
}
