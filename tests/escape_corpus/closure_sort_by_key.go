package main

import (
	"slices"
	"sort"
	"strings"
)

type person struct {
	name string
	age  int
}

// Sorting with comparison closures that capture their surroundings.
func sortPeople(ps []person, byName bool) {
	sort.Slice(ps, func(i, j int) bool {
		if byName {
			return ps[i].name < ps[j].name
		}
		return ps[i].age < ps[j].age
	})
}

func sortedNames(ps []person) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(a, b) })
	return names
}

func main() {
	ps := []person{{"bob", 30}, {"al", 25}}
	sortPeople(ps, true)
	println(ps[0].name, sortedNames(ps)[1])
}
