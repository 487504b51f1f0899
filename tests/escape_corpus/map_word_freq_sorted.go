package main

import (
	"fmt"
	"sort"
	"strings"
)

type wordCount struct {
	word  string
	count int
}

// Counting words, then sorting the counts.
func topWords(text string, n int) []wordCount {
	freq := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		freq[w]++
	}
	list := make([]wordCount, 0, len(freq))
	for w, c := range freq {
		list = append(list, wordCount{w, c})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].count > list[j].count })
	if len(list) > n {
		list = list[:n]
	}
	return list
}

func main() {
	for _, wc := range topWords("the cat and the hat and the bat", 2) {
		fmt.Printf("%s=%d\n", wc.word, wc.count)
	}
}
