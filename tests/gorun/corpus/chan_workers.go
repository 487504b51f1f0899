// A worker pool: jobs on a buffered channel, results counted in a mutex-protected map,
// a WaitGroup to wait for the workers, a sync.Once for the set-up, select with default to drain.
package main

import (
	"fmt"
	"sort"
	"sync"
)

type job struct {
	id   int
	data []int
}

type stats struct {
	mu     sync.Mutex
	byKind map[string]int
	total  int
}

var once sync.Once
var table []string

func setup() { table = []string{"even", "odd", "big"} }

func worker(jobs <-chan *job, st *stats, wg *sync.WaitGroup, done chan<- int) {
	defer wg.Done()
	n := 0
	for j := range jobs {
		once.Do(setup)
		s := 0
		for _, v := range j.data {
			s += v
		}
		kind := table[j.id%2]
		if s > 5000 {
			kind = table[2]
		}
		st.mu.Lock()
		st.byKind[kind]++
		st.total += s
		st.mu.Unlock()
		n++
	}
	done <- n
}

func main() {
	jobs := make(chan *job, 16)
	done := make(chan int, 4)
	st := &stats{byKind: map[string]int{}}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go worker(jobs, st, &wg, done)
	}
	for i := 0; i < 2000; i++ {
		d := make([]int, i%50+1)
		for k := range d {
			d[k] = i + k
		}
		jobs <- &job{id: i, data: d}
	}
	close(jobs)
	wg.Wait()
	handled := 0
	for {
		select {
		case n := <-done:
			handled += n
			continue
		default:
		}
		break
	}
	keys := make([]string, 0, len(st.byKind))
	for k := range st.byKind {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, st.byKind[k])
	}
	fmt.Println("handled", handled, "total", st.total)
}
