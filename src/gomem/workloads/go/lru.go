// lru is a bounded cache -- a chained hash table plus a doubly linked LRU
// list -- in the shape of gomem's lru workload (src/gomem/workloads/lru.py).
//
// -ops operations on -keys distinct keys, skewed (P(key = k) ~ 1/(k+1)): 10%
// put a new value, 90% get with read-through on a miss.  A full cache evicts
// its least recently used entry.  Values are pointer-free blobs: mostly
// 8-256 bytes, ~5% 512 B-8 KiB, ~0.2% 33-128 KiB (large objects).  Every
// blob starts with a stamp derived from its key, checked on every hit.  The
// random sequence is Go's (math/rand/v2 PCG from -seed), not gomem's: the
// shape and the rates are the same, the exact choices are not.
//
// Usage: GODEBUG=gctrace=1 lru -capacity 4096 -ops 200000 -keys 16384 -seed 1
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
)

const stamp = 0x9E3779B97F4A7C15

type Entry struct {
	key           int64
	value         []byte // a pointer-free blob
	next          *Entry // hash chain
	prev, nextLRU *Entry // LRU list, most recent first
}

type Cache struct {
	buckets    []*Entry // fixed: the smallest power of two >= capacity
	head, tail *Entry
	n          int
	capacity   int
	shift      uint
}

//go:noinline
func newCache(capacity int) *Cache {
	logb := bits.Len(uint(max(capacity-1, 1)))
	return &Cache{buckets: make([]*Entry, 1<<logb), capacity: capacity, shift: uint(64 - logb)}
}

func (c *Cache) slot(key int64) int { return int((uint64(key) * stamp) >> c.shift) }

func (c *Cache) unlink(e *Entry) {
	if e.prev != nil {
		e.prev.nextLRU = e.nextLRU
	} else {
		c.head = e.nextLRU
	}
	if e.nextLRU != nil {
		e.nextLRU.prev = e.prev
	} else {
		c.tail = e.prev
	}
}

func (c *Cache) pushFront(e *Entry) {
	e.prev = nil
	e.nextLRU = c.head
	if c.head != nil {
		c.head.prev = e
	} else {
		c.tail = e
	}
	c.head = e
}

func (c *Cache) lookup(key int64) *Entry {
	e := c.buckets[c.slot(key)]
	for e != nil && e.key != key {
		e = e.next
	}
	return e
}

// insert adds an entry for key, evicting the least recently used one if full.
func (c *Cache) insert(key int64, v []byte) (evicted bool) {
	if c.n == c.capacity {
		t := c.tail
		c.unlink(t)
		s := c.slot(t.key)
		var prev *Entry
		cur := c.buckets[s]
		for cur != t {
			prev, cur = cur, cur.next
		}
		if prev != nil {
			prev.next = t.next
		} else {
			c.buckets[s] = t.next
		}
		c.n--
		evicted = true
	}
	e := &Entry{key: key, value: v}
	s := c.slot(key)
	e.next = c.buckets[s]
	c.buckets[s] = e
	c.pushFront(e)
	c.n++
	return evicted
}

func blobSize(r *rand.Rand) int {
	u := r.Float64()
	switch {
	case u < 0.002:
		return 33<<10 + r.IntN(128<<10-33<<10)
	case u < 0.05:
		return int(512 * math.Pow(2, r.Float64()*4))
	default:
		return int(8 * math.Pow(2, r.Float64()*5))
	}
}

func newBlob(key int64, size int) []byte {
	b := make([]byte, size)
	binary.LittleEndian.PutUint64(b, uint64(key)*stamp)
	return b
}

func main() {
	capacity := flag.Int("capacity", 4096, "entries the cache holds before it evicts")
	ops := flag.Int("ops", 200000, "cache operations (90% get with read-through, 10% put)")
	nkeys := flag.Int("keys", 16384, "distinct keys; P(key = k) ~ 1/(k+1)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *capacity < 1 || *nkeys < 1 || *ops < 0 {
		fmt.Fprintln(os.Stderr, "lru: capacity and keys must be at least 1, ops at least 0")
		os.Exit(2)
	}
	r := rand.New(rand.NewPCG(*seed, 0x5eed))
	c := newCache(*capacity)
	var hits, misses, puts, evictions int
	for i := 0; i < *ops; i++ {
		key := int64(math.Floor(math.Pow(float64(*nkeys), r.Float64()))) - 1
		isPut := r.Float64() < 0.1
		size := blobSize(r)
		var b []byte
		if isPut {
			puts++
			b = newBlob(key, size)
		}
		if e := c.lookup(key); e != nil {
			if b != nil {
				e.value = b
			} else {
				hits++
				if binary.LittleEndian.Uint64(e.value) != uint64(key)*stamp {
					panic(fmt.Sprintf("lru: blob of key %d lost its stamp", key))
				}
			}
			if c.head != e {
				c.unlink(e)
				c.pushFront(e)
			}
		} else {
			if b == nil {
				misses++
				b = newBlob(key, size)
			}
			if c.insert(key, b) {
				evictions++
			}
		}
	}
	var check uint64
	count := 0
	for e := c.head; e != nil; e = e.nextLRU {
		count++
		check = check*1_000_003 + uint64(e.key)*131 + uint64(len(e.value))
	}
	if count != c.n {
		panic("lru: LRU list and count disagree")
	}
	fmt.Printf("lru: capacity %d, %d ops over %d keys\n", *capacity, *ops, *nkeys)
	fmt.Printf("hits %d misses %d puts %d evictions %d entries %d\n", hits, misses, puts, evictions, c.n)
	fmt.Printf("checksum: %016x\n", check)
}
