package main

import "strings"

type Builder struct {
	parts []string
}

// Fluent API: each method returns its receiver.
func (b *Builder) Add(s string) *Builder {
	b.parts = append(b.parts, s)
	return b
}

func (b *Builder) String() string {
	return strings.Join(b.parts, " ")
}

func main() {
	var b Builder
	s := b.Add("hello").Add("escape").Add("analysis").String()
	println(s)
}
