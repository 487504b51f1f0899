// sync.Map shared by goroutines: a LoadOrStore cache that many workers fill at once (each key's value
// made once), writers that Swap and CompareAndSwap counters, deleters racing Range, and collections
// while they run.  The output is what every interleaving gives.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

type item struct {
	key   string
	parts []string
}

var built atomic.Int64

func lookup(cache *sync.Map, key string) *item {
	if v, ok := cache.Load(key); ok {
		return v.(*item)
	}
	fresh := &item{key: key, parts: strings.Split(key, "-")}
	v, loaded := cache.LoadOrStore(key, fresh)
	if !loaded {
		built.Add(1)
	}
	return v.(*item)
}

func main() {
	var cache sync.Map
	var wg sync.WaitGroup
	total := make([]int, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 400; i++ {
				k := fmt.Sprintf("k-%d-%d", (i*7+w)%150, i%3)
				it := lookup(&cache, k)
				total[w] += len(it.parts)
				if i%40 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Wait()
	n := 0
	cache.Range(func(k, v any) bool {
		if v.(*item).key != k.(string) {
			panic("wrong item")
		}
		n++
		return true
	})
	fmt.Println("cache entries", n, "built", built.Load(), "parts", total)

	// counters: CompareAndSwap loops from several goroutines
	var counters sync.Map
	for c := 0; c < 10; c++ {
		counters.Store(c, 0)
	}
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				c := (i + w) % 10
				for {
					old, _ := counters.Load(c)
					if counters.CompareAndSwap(c, old, old.(int)+1) {
						break
					}
					runtime.Gosched()
				}
				if i%25 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Wait()
	sum := 0
	var cs []string
	for c := 0; c < 10; c++ {
		v, _ := counters.Load(c)
		sum += v.(int)
		cs = append(cs, fmt.Sprint(v))
	}
	fmt.Println("counters", sum, strings.Join(cs, ","))

	// deleters, swappers and a ranger at once; a GC in the middle
	var shared sync.Map
	for i := 0; i < 2000; i++ {
		shared.Store(i, &item{key: fmt.Sprint(i)})
	}
	var deleted, swapped atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 2000; i += 4 {
				switch {
				case i%5 == 0:
					if _, ok := shared.LoadAndDelete(i); ok {
						deleted.Add(1)
					}
				case i%5 == 1:
					if _, ok := shared.Swap(i, &item{key: "s" + fmt.Sprint(i)}); ok {
						swapped.Add(1)
					}
				}
				if i%100 == w {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for r := 0; r < 3; r++ {
			shared.Range(func(k, v any) bool {
				if v.(*item).key == "" {
					panic("empty item")
				}
				return true
			})
			runtime.GC()
			runtime.Gosched()
		}
	}()
	wg.Wait()
	var keys []int
	prefixed := 0
	shared.Range(func(k, v any) bool {
		keys = append(keys, k.(int))
		if strings.HasPrefix(v.(*item).key, "s") {
			prefixed++
		}
		return true
	})
	sort.Ints(keys)
	fmt.Println("shared", len(keys), keys[:6], "deleted", deleted.Load(), "swapped", swapped.Load(), "prefixed", prefixed)
}
