// map[string]int word counts over a generated text; keys sorted with
// sort.Strings, top words by sort.Slice, the map printed by fmt (sorted).
package main

import (
	"fmt"
	"sort"
	"strings"
)

var vocab = []string{"the", "go", "gc", "heap", "stack", "span", "mark", "sweep", "barrier", "pointer",
	"object", "arena", "page", "cache", "central", "tiny", "large", "small", "write", "scan"}

func main() {
	var sb strings.Builder
	x := uint32(12345)
	for i := 0; i < 20000; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		sb.WriteString(vocab[x%uint32(len(vocab))])
		if x%7 == 0 {
			sb.WriteString(vocab[(x>>8)%uint32(len(vocab))])
		}
		sb.WriteByte(' ')
	}
	words := strings.Fields(sb.String())
	counts := map[string]int{}
	for _, w := range words {
		counts[w]++
	}
	fmt.Println("words", len(words), "distinct", len(counts))
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys[:10] {
		fmt.Printf("%-12s %d\n", k, counts[k])
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Println("top 3:", keys[:3])
	bigrams := make(map[string]int)
	for i := 1; i < len(words); i++ {
		bigrams[words[i-1]+" "+words[i]]++
	}
	best, bestN := "", 0
	for k, n := range bigrams {
		if n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	fmt.Println("bigrams", len(bigrams), "most common", best, bestN)
	small := map[string]int{"zeta": 1, "alpha": 2, "mu": 3}
	fmt.Println(small)
	fmt.Printf("%v %d\n", small, len(small))
}
