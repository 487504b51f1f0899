// An inverted index rebuilt under the collector: documents with their own
// term-count maps, a map[string][]int of postings grown with append, an
// LRU-ish map[int]*entry pruned while it is ranged over, maps of struct
// values holding strings and slices; many collections run while the maps
// grow, split and are dropped.
package main

import (
	"fmt"
	"strconv"
)

type Doc struct {
	ID    int
	Terms map[string]int
	Title string
}

type entry struct {
	key  int
	val  []byte
	hits int
}

type stat struct {
	Name  string
	Count int
	IDs   []int
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func term(i, j int) string {
	return "t" + strconv.Itoa((i*31+j*17)%97)
}

func main() {
	checksum := 0
	var keep map[string][]int
	for gen := 0; gen < 48; gen++ {
		docs := make(map[int]*Doc)
		postings := make(map[string][]int)
		for i := 0; i < 400; i++ {
			d := &Doc{ID: gen*1000 + i, Terms: make(map[string]int), Title: "doc-" + strconv.Itoa(i)}
			for j := 0; j < 12; j++ {
				t := term(i, j)
				d.Terms[t]++
				if d.Terms[t] == 1 {
					postings[t] = append(postings[t], d.ID)
				}
			}
			docs[d.ID] = d
		}
		for id, d := range docs {
			if id%3 == 0 {
				delete(docs, id)
				continue
			}
			checksum += len(d.Terms)
		}
		checksum += len(docs) + len(postings)
		keep = postings
	}
	names := make([]string, 0, len(keep))
	for t := range keep {
		names = append(names, t)
	}
	sortStrings(names)
	fmt.Println("terms", len(keep), names[:4], len(keep["t0"]), keep["t0"][:3])

	cache := make(map[int]*entry)
	evicted := 0
	for i := 0; i < 20000; i++ {
		k := (i * 7919) % 3001
		e, ok := cache[k]
		if !ok {
			e = &entry{key: k, val: make([]byte, 64+k%200)}
			cache[k] = e
		}
		e.hits++
		if len(cache) > 1500 {
			for ck, ce := range cache {
				if ce.hits < 2 {
					delete(cache, ck)
					evicted++
				}
			}
		}
	}
	fmt.Println("cache", len(cache), evicted)

	stats := map[string]stat{}
	for i := 0; i < 3000; i++ {
		n := "s" + strconv.Itoa(i%50)
		s := stats[n]
		s.Name = n
		s.Count++
		if len(s.IDs) < 10 {
			s.IDs = append(s.IDs, i)
		}
		stats[n] = s
	}
	fmt.Println("stats", len(stats), stats["s7"].Count, stats["s7"].IDs[:3], stats["s49"].Name)
	fmt.Println("checksum", checksum)
}
