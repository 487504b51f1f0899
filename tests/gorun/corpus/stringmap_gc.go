// A map[string]*Record rebuilt generation after generation: string keys made
// with strconv and concatenation, records with slices, old generations
// dropped; lookups carry scores from one generation to the next, deletes.
package main

import (
	"fmt"
	"strconv"
)

type Record struct {
	Key    string
	Fields []string
	Score  int
}

func main() {
	var prev map[string]*Record
	total, carried := 0, 0
	for gen := 0; gen < 20; gen++ {
		m := make(map[string]*Record)
		for i := 0; i < 1500; i++ {
			k := "user-" + strconv.Itoa(gen/2%3) + "-" + strconv.Itoa(i)
			r := &Record{Key: k, Score: i * gen}
			for j := 0; j < 3; j++ {
				r.Fields = append(r.Fields, k+"/"+strconv.Itoa(j))
			}
			if old, ok := prev[k]; ok && i%5 == 0 {
				r.Score += old.Score
				carried++
			}
			m[k] = r
		}
		for i := 0; i < 1500; i += 7 {
			delete(m, "user-"+strconv.Itoa(gen/2%3)+"-"+strconv.Itoa(i))
		}
		total += len(m)
		prev = m
	}
	best := ""
	bestScore := -1
	for k, r := range prev {
		if r.Score > bestScore || r.Score == bestScore && k < best {
			best, bestScore = k, r.Score
		}
	}
	fmt.Println("total", total, "carried", carried, "best", best, bestScore, len(prev[best].Fields))
}
