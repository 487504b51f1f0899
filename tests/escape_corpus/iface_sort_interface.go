package main

import "sort"

type byLen []string

func (b byLen) Len() int           { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// Passing a value to sort.Sort converts it to sort.Interface.
func main() {
	words := []string{"banana", "kiwi", "apple", "fig"}
	sort.Sort(byLen(words))
	sort.Slice(words, func(i, j int) bool { return words[i] < words[j] })
	println(words[0], words[3])
}
