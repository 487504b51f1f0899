// A text report built in a strings.Builder with fmt.Fprintf, from records
// drawn with math/rand: fields split and joined, names upper-cased, lines
// sorted with sort.Strings, the Builder reset and reused between rounds,
// runtime.GC between them and MemStats read.
package main

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"strings"
)

var names = []string{"ada", "grace", "linus", "ken", "rob", "barbara", "edsger", "donald"}

func main() {
	r := rand.New(rand.NewSource(77))
	var sb strings.Builder
	var ms runtime.MemStats
	for round := 0; round < 6; round++ {
		sb.Reset()
		lines := make([]string, 0, 8)
		for i := 0; i < 300; i++ {
			name := names[r.Intn(len(names))]
			score := r.Intn(1000)
			fmt.Fprintf(&sb, "%s,%d,%s\n", name, score, strings.Repeat("*", score%7))
		}
		text := sb.String()
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			f := strings.Split(line, ",")
			if len(f[2]) > 4 {
				lines = append(lines, strings.ToUpper(f[0])+":"+f[1])
			}
		}
		sort.Strings(lines)
		fmt.Println(round, sb.Len(), len(lines), strings.Join(lines[:3], " "), lines[len(lines)-1])
		runtime.GC()
		runtime.ReadMemStats(&ms)
		fmt.Println(ms.NumGC >= uint32(round+1), ms.HeapAlloc > 0)
	}
}
