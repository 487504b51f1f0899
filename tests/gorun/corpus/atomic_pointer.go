// sync/atomic's generic Pointer[T]: a configuration swapped by a writer while readers load it, a
// lock-free (Treiber) stack pushed and popped by goroutines with CompareAndSwap, Pointers as struct
// fields, in a slice and as a global, with collections while only the Pointers hold their targets;
// the typed atomics beside them (Int32 ... Uintptr, Bool, Value) as fields and standalone.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

type config struct {
	version int
	hosts   []string
}

type node struct {
	val  int
	next *node
}

// stack is a Treiber stack: push and pop retry their CompareAndSwap until no other goroutine got between.
type stack struct {
	head  atomic.Pointer[node]
	size  atomic.Int64
	pops  atomic.Uint64
	tries atomic.Uint32
}

func (s *stack) push(v int) {
	n := &node{val: v}
	for {
		old := s.head.Load()
		n.next = old
		s.tries.Add(1)
		if s.head.CompareAndSwap(old, n) {
			s.size.Add(1)
			return
		}
		runtime.Gosched()
	}
}

func (s *stack) pop() (int, bool) {
	for {
		old := s.head.Load()
		if old == nil {
			return 0, false
		}
		if s.head.CompareAndSwap(old, old.next) {
			s.size.Add(-1)
			s.pops.Add(1)
			return old.val, true
		}
		runtime.Gosched()
	}
}

var current atomic.Pointer[config]

type counters struct {
	i32   atomic.Int32
	u32   atomic.Uint32
	i64   atomic.Int64
	u64   atomic.Uint64
	uptr  atomic.Uintptr
	flag  atomic.Bool
	label atomic.Value
	last  atomic.Pointer[string]
}

func main() {
	// a configuration published through a global Pointer; readers never see a torn one
	current.Store(&config{version: 0, hosts: []string{"h0"}})
	var wg sync.WaitGroup
	good := make([]int, 4)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				c := current.Load()
				if len(c.hosts) == c.version+1 {
					good[r]++
				}
				runtime.Gosched()
			}
		}(r)
	}
	for v := 1; v <= 30; v++ {
		old := current.Load()
		hosts := append(append([]string{}, old.hosts...), fmt.Sprint("h", v))
		next := &config{version: v, hosts: hosts}
		if !current.CompareAndSwap(old, next) {
			panic("lost an update")
		}
		if v%10 == 0 {
			runtime.GC()
		}
		runtime.Gosched()
	}
	wg.Wait()
	c := current.Swap(&config{version: -1})
	fmt.Println("config", c.version, len(c.hosts), c.hosts[30], good, current.Load().version)

	// a lock-free stack shared by pushers and poppers
	var s stack
	var popped [4][]int
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s.push(w*1000 + i)
				if i%3 == 2 {
					if v, ok := s.pop(); ok {
						popped[w] = append(popped[w], v)
					}
				}
				if i%20 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Wait()
	runtime.GC()
	var rest []int
	for {
		v, ok := s.pop()
		if !ok {
			break
		}
		rest = append(rest, v)
	}
	all := append([]int{}, rest...)
	for _, p := range popped {
		all = append(all, p...)
	}
	sort.Ints(all)
	dups := 0
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			dups++
		}
	}
	fmt.Println("stack", len(all), dups, all[0], all[len(all)-1], s.size.Load(), s.pops.Load(), s.tries.Load() >= 800)

	// Pointers in a slice of structs, the only references to their strings while collections run
	ptrs := make([]struct {
		name atomic.Pointer[string]
		hits atomic.Int32
	}, 64)
	for i := range ptrs {
		name := strings.Repeat(string(rune('a'+i%26)), i%9+1)
		ptrs[i].name.Store(&name)
	}
	runtime.GC()
	for i := range ptrs {
		if i%2 == 0 {
			other := strings.ToUpper(*ptrs[i].name.Load())
			ptrs[i].name.Swap(&other)
		}
		ptrs[i].hits.Add(int32(i))
	}
	runtime.GC()
	var sb strings.Builder
	total := int32(0)
	for i := range ptrs {
		sb.WriteString(*ptrs[i].name.Load())
		total += ptrs[i].hits.Load()
	}
	fmt.Println("slice", sb.Len(), sb.String()[:20], total)

	// the typed atomics as fields of a heap struct and standalone
	ct := &counters{}
	ct.i32.Store(-5)
	ct.u32.Store(7)
	ct.i64.Store(1 << 40)
	ct.u64.Store(1<<64 - 1)
	ct.uptr.Store(12)
	ct.label.Store("start")
	first := "first"
	ct.last.Store(&first)
	for w := 0; w < 5; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				ct.i32.Add(1)
				ct.u32.Or(1 << (w + 4))
				ct.i64.Add(-1)
				ct.u64.Add(1)
				ct.uptr.Add(2)
				if i == 50 {
					ct.flag.CompareAndSwap(false, true)
					s := fmt.Sprint("worker", w)
					ct.last.Store(&s)
					ct.label.Store(s)
				}
				if i%30 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Wait()
	runtime.GC()
	last := *ct.last.Load()
	label := ct.label.Load().(string)
	fmt.Println("counters", ct.i32.Load(), ct.u32.Load(), ct.i64.Load(), ct.u64.Load(), ct.uptr.Load(), ct.flag.Load(),
		strings.HasPrefix(last, "worker"), strings.HasPrefix(label, "worker"))
	var n atomic.Int64
	var b atomic.Bool
	var up atomic.Uintptr
	var p atomic.Pointer[int]
	x := 41
	fmt.Println(n.Add(3), n.Swap(9), n.CompareAndSwap(9, 10), n.Load(), b.Swap(true), b.Load(), up.Add(^uintptr(0)))
	fmt.Println(p.Load() == nil, p.Swap(&x) == nil, p.CompareAndSwap(nil, nil), *p.Load()+1)
}
