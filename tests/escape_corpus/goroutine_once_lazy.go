package main

import (
	"strings"
	"sync"
)

type Dictionary struct {
	words map[string]bool
}

var (
	dictOnce sync.Once
	dict     *Dictionary
)

// Lazily building a shared value exactly once.
func loadDict() *Dictionary {
	dictOnce.Do(func() {
		d := &Dictionary{words: make(map[string]bool)}
		for _, w := range strings.Fields("alpha beta gamma") {
			d.words[w] = true
		}
		dict = d
	})
	return dict
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = loadDict().words["beta"]
		}()
	}
	wg.Wait()
	println(len(loadDict().words))
}
