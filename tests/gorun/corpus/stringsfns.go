// The strings package: Repeat, Split, Join, Fields, Contains, Index,
// ToUpper, ToLower, Replace, ReplaceAll, TrimSpace, Trim, HasPrefix,
// HasSuffix, Count, LastIndex, SplitN, Title-free EqualFold, Cut.
package main

import (
	"fmt"
	"strings"
)

func main() {
	text := "  The quick brown fox jumps over the lazy dog  "
	fmt.Printf("%q\n", strings.TrimSpace(text))
	f := strings.Fields(text)
	fmt.Println(len(f), f)
	fmt.Println(strings.Join(f, "_"))
	fmt.Println(strings.ToUpper(f[1]), strings.ToLower("MiXeD"), strings.Repeat("ab", 5))
	fmt.Println(strings.Contains(text, "fox"), strings.Contains(text, "cat"), strings.Index(text, "o"),
		strings.LastIndex(text, "o"), strings.IndexByte(text, 'z'), strings.Count(text, "o"))
	fmt.Println(strings.Replace(text, "o", "0", 2), "|", strings.ReplaceAll(text, " ", ""))
	fmt.Println(strings.HasPrefix("golang", "go"), strings.HasSuffix("golang", "ng"), strings.HasPrefix("go", "golang"))
	csv := "a,b,,c,d,"
	parts := strings.Split(csv, ",")
	fmt.Println(len(parts), parts, strings.SplitN(csv, ",", 3))
	fmt.Printf("%q\n", strings.Trim("xxhixx", "x"))
	fmt.Printf("%q %q\n", strings.TrimPrefix("prefix-body", "prefix-"), strings.TrimSuffix("body.go", ".go"))
	before, after, found := strings.Cut("key=value=x", "=")
	fmt.Println(before, after, found, strings.EqualFold("Go", "GO"))

	// the same operations many times
	var lines []string
	for i := 0; i < 500; i++ {
		lines = append(lines, strings.Repeat("w", i%7+1)+" "+strings.Repeat("v", i%5+1))
	}
	doc := strings.Join(lines, "\n")
	words := 0
	for _, line := range strings.Split(doc, "\n") {
		words += len(strings.Fields(line))
	}
	up := strings.ToUpper(doc)
	fmt.Println(len(doc), words, strings.Count(up, "W"), strings.Index(up, "VVVVV"))
	fmt.Println(strings.Map(func(r rune) rune {
		if r == 'a' {
			return 'A'
		}
		return r
	}, "banana"), strings.Fields(" \t\n "), len(strings.Split("", ",")))
}
