// A word-frequency counter over text generated with a seeded generator
// (math/rand: rand.New(rand.NewSource(1)), Go's exact sequence), words
// built from random letters, lowercased and trimmed of punctuation; top 10.
package main

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
)

func main() {
	r := rand.New(rand.NewSource(1))
	syll := []string{"ka", "lo", "mi", "ne", "su", "ta", "ri", "po"}
	var sb strings.Builder
	for i := 0; i < 30000; i++ {
		n := 1 + r.Intn(3)
		for j := 0; j < n; j++ {
			s := syll[r.Intn(len(syll))]
			if j == 0 && r.Intn(10) == 0 {
				s = strings.ToUpper(s)
			}
			sb.WriteString(s)
		}
		switch r.Intn(12) {
		case 0:
			sb.WriteString(", ")
		case 1:
			sb.WriteString(". ")
		default:
			sb.WriteByte(' ')
		}
	}
	text := sb.String()
	freq := map[string]int{}
	for _, w := range strings.Fields(text) {
		w = strings.ToLower(strings.Trim(w, ".,"))
		freq[w]++
	}
	type wc struct {
		w string
		n int
	}
	var list []wc
	for w, n := range freq {
		list = append(list, wc{w, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].w < list[j].w
	})
	fmt.Println("bytes", len(text), "distinct", len(freq))
	for _, e := range list[:10] {
		fmt.Printf("%-8s %5d\n", e.w, e.n)
	}
	fmt.Println(r.Int63(), r.Float64() < 1)
}
