// sort.Slice, sort.SliceStable, sort.Strings, sort.Ints, sort.Sort with a
// custom Less, slices.Sort / slices.SortFunc / slices.BinarySearch,
// sort.Search, reversing.
package main

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

type Person struct {
	Name string
	Age  int
}

type byAge []Person

func (a byAge) Len() int           { return len(a) }
func (a byAge) Less(i, j int) bool { return a[i].Age < a[j].Age }
func (a byAge) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }

func main() {
	people := []Person{{"Alice", 30}, {"Bob", 25}, {"Carol", 35}, {"Dan", 25}, {"Eve", 30}, {"Fay", 22}}
	sort.SliceStable(people, func(i, j int) bool { return people[i].Age < people[j].Age })
	fmt.Println(people)
	sort.Slice(people, func(i, j int) bool { return people[i].Name > people[j].Name })
	fmt.Println(people)
	sort.Stable(byAge(people))
	fmt.Println(people)
	words := strings.Fields("pear apple fig banana cherry date elderberry grape")
	sort.Strings(words)
	fmt.Println(words, sort.SearchStrings(words, "date"), sort.StringsAreSorted(words))
	nums := []int{5, 2, 8, 1, 9, 3, 7, 3}
	sort.Ints(nums)
	fmt.Println(nums, sort.SearchInts(nums, 7))
	sort.Sort(sort.Reverse(sort.IntSlice(nums)))
	fmt.Println(nums)
	fs := []float64{2.5, -1, 3.25, 0}
	slices.Sort(fs)
	fmt.Println(fs)
	slices.SortFunc(people, func(a, b Person) int {
		if c := cmp.Compare(b.Age, a.Age); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	fmt.Println(people)
	i, found := slices.BinarySearch(words, "fig")
	fmt.Println(i, found, sort.Search(100, func(i int) bool { return i*i >= 50 }))
	big := make([]int, 20000)
	x := uint64(88172645463325252)
	for i := range big {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		big[i] = int(x % 100000)
	}
	strs := make([]string, 0, 3000)
	for _, v := range big[:3000] {
		strs = append(strs, fmt.Sprint(v))
	}
	sort.Ints(big)
	sort.Strings(strs)
	fmt.Println(big[:5], big[19995:], sort.IntsAreSorted(big), strs[:3], slices.IsSorted(strs))
	slices.Reverse(words)
	fmt.Println(words)
}
