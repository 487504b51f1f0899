// sync.Map (Go 1.24+: a concurrent hash-trie): every method on keys of several dynamic types, a
// trie grown to thousands of entries and shrunk by deletes, Range with an early stop and with
// deletes during the walk, values that must survive collections while only the Map holds them.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"sync"
)

type point struct{ x, y int }

type record struct {
	id    int
	name  string
	tags  []string
	child *record
}

// keysOf returns the Map's keys that are ints, sorted (Range's order is the trie's, which depends on a
// per-process hash seed).
func keysOf(m *sync.Map) []int {
	var ks []int
	m.Range(func(k, v any) bool {
		if i, ok := k.(int); ok {
			ks = append(ks, i)
		}
		return true
	})
	sort.Ints(ks)
	return ks
}

func count(m *sync.Map) int {
	n := 0
	m.Range(func(k, v any) bool { n++; return true })
	return n
}

func main() {
	var m sync.Map
	v, ok := m.Load("missing")
	fmt.Println("empty:", v, ok, count(&m))

	// keys of several dynamic types; int(1) and int64(1) are different keys
	m.Store("one", 1)
	m.Store(1, "int one")
	m.Store(int64(1), "int64 one")
	m.Store(point{1, 2}, "a point")
	m.Store(2.5, "a float")
	m.Store(nil, "the nil key")
	m.Store([2]string{"a", "b"}, "an array")
	for _, k := range []any{"one", 1, int64(1), point{1, 2}, 2.5, nil, [2]string{"a", "b"}, point{2, 1}, int32(1)} {
		v, ok := m.Load(k)
		fmt.Printf("%v (%T): %v %v\n", k, k, v, ok)
	}
	fmt.Println("count", count(&m))

	// the methods' results
	a, loaded := m.LoadOrStore("one", 100)
	fmt.Println("LoadOrStore present:", a, loaded)
	a, loaded = m.LoadOrStore("two", 2)
	fmt.Println("LoadOrStore absent:", a, loaded)
	p, loaded := m.Swap("two", 22)
	fmt.Println("Swap present:", p, loaded)
	p, loaded = m.Swap("three", 3)
	fmt.Println("Swap absent:", p, loaded)
	fmt.Println("CompareAndSwap:", m.CompareAndSwap("two", 2, 0), m.CompareAndSwap("two", 22, 23), m.CompareAndSwap("nope", nil, 1))
	fmt.Println("CompareAndDelete:", m.CompareAndDelete("two", 22), m.CompareAndDelete("two", 23), m.CompareAndDelete("two", 23))
	d, loaded := m.LoadAndDelete("three")
	fmt.Println("LoadAndDelete:", d, loaded)
	d, loaded = m.LoadAndDelete("three")
	fmt.Println("LoadAndDelete again:", d, loaded)
	m.Delete(nil)
	m.Delete("never there")
	fmt.Println("count", count(&m))

	// a big trie of records that only the Map holds, collections in between
	var big sync.Map
	for i := 0; i < 3000; i++ {
		r := &record{id: i, name: "rec" + strconv.Itoa(i), tags: []string{strconv.Itoa(i % 7)}}
		if i > 0 {
			if prev, ok := big.Load(i - 1); ok {
				r.child = prev.(*record)
			}
		}
		big.Store(i, r)
		if i%1000 == 999 {
			runtime.GC()
		}
	}
	for i := 0; i < 3000; i += 3 {
		big.Store(i, &record{id: -i, name: "replaced", tags: []string{"rr"}})
	}
	for i := 1; i < 3000; i += 3 {
		big.Delete(i)
	}
	runtime.GC()
	sum, names := 0, 0
	for i := 0; i < 3000; i++ {
		if v, ok := big.Load(i); ok {
			r := v.(*record)
			sum += r.id
			names += len(r.name)
			if r.child != nil {
				sum += r.child.id % 10
			}
		}
	}
	ks := keysOf(&big)
	fmt.Println("big:", len(ks), ks[:5], ks[len(ks)-3:], sum, names)

	// Range stops when f returns false; f may delete while the walk goes on
	seen := 0
	big.Range(func(k, v any) bool { seen++; return seen < 10 })
	fmt.Println("stopped after", seen)
	big.Range(func(k, v any) bool {
		if k.(int)%2 == 0 {
			big.Delete(k)
		}
		return true
	})
	runtime.GC()
	ks = keysOf(&big)
	odd := 0
	for _, k := range ks {
		v, _ := big.Load(k)
		odd += len(v.(*record).tags[0])
	}
	fmt.Println("after deleting evens:", len(ks), ks[:4], odd)

	// deleting everything collapses the trie; the Map is still usable, and Clear empties it
	for _, k := range ks {
		big.Delete(k)
	}
	fmt.Println("emptied:", count(&big))
	for i := 0; i < 50; i++ {
		big.Store(strconv.Itoa(i), point{i, -i})
	}
	v, _ = big.Load("42")
	fmt.Println("refilled:", count(&big), v)
	big.Clear()
	_, ok = big.Load("42")
	fmt.Println("cleared:", count(&big), ok)
	runtime.GC()
	big.Store("after", "clear")
	v, _ = big.Load("after")
	fmt.Println(v)
}
