// strings.Builder: WriteString / WriteByte / WriteRune / Fprintf into it,
// Len and Cap as it grows, Grow, Reset, and many builders.
package main

import (
	"fmt"
	"strings"
)

func main() {
	var sb strings.Builder
	last := -1
	for i := 0; i < 3000; i++ {
		sb.WriteString("ab")
		if sb.Cap() != last {
			fmt.Print(sb.Len(), "/", sb.Cap(), " ")
			last = sb.Cap()
		}
	}
	fmt.Println()
	out := sb.String()
	fmt.Println(len(out), out[:10])

	var b2 strings.Builder
	b2.Grow(64)
	fmt.Println(b2.Len(), b2.Cap())
	for i := 0; i < 10; i++ {
		b2.WriteByte('0' + byte(i))
		b2.WriteRune('→')
		fmt.Fprintf(&b2, "[%d]", i*i)
	}
	fmt.Println(b2.String(), b2.Len())
	b2.Reset()
	fmt.Println(b2.Len(), b2.Cap(), b2.String() == "")

	total := 0
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for j := 0; j < i%40; j++ {
			b.WriteString("xyz")
		}
		total += len(b.String())
	}
	fmt.Println("total", total)
	lines := make([]string, 0)
	for i := 0; i < 5; i++ {
		var b strings.Builder
		b.WriteString(strings.Repeat("-", i))
		b.WriteString("|")
		lines = append(lines, b.String())
	}
	fmt.Println(strings.Join(lines, " "))
}
