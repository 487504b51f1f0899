// sort.Slice and sort.SliceStable over every kind of element reflectlite.Swapper
// special-cases (pointers, strings, 1/2/4/8-byte scalars) and the generic
// path (structs with and without pointers), sort.Sort/Stable through an
// interface, sort.Reverse, slices.SortFunc/SortStableFunc/IndexFunc, and the
// order of equal elements, on data made by a xorshift generator.
package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

type item struct {
	name  string
	score int
	tags  []string
}

type rec struct {
	a, b int32
	c    float64
}

type byScore []*item

func (s byScore) Len() int           { return len(s) }
func (s byScore) Less(i, j int) bool { return s[i].score < s[j].score }
func (s byScore) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

var x uint64 = 88172645463325252

func next() int {
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	return int(x % 1000)
}

func main() {
	ints := make([]int, 3000)
	for i := range ints {
		ints[i] = next()
	}
	sort.Slice(ints, func(i, j int) bool { return ints[i]%97 < ints[j]%97 })
	fmt.Println(ints[:8], ints[2992:])
	small := make([]int8, 500)
	for i := range small {
		small[i] = int8(next())
	}
	sort.SliceStable(small, func(i, j int) bool { return small[i]/10 < small[j]/10 })
	fmt.Println(small[:10])
	u16 := []uint16{9, 3, 7, 1, 3}
	sort.Slice(u16, func(i, j int) bool { return u16[i] < u16[j] })
	f32 := []float32{2.5, -1, 3, 0}
	sort.Slice(f32, func(i, j int) bool { return f32[i] > f32[j] })
	fmt.Println(u16, f32)

	words := strings.Fields("pear fig apple kiwi banana cherry date elderberry grape lime lemon mango")
	for r := 0; r < 50; r++ {
		sort.Slice(words, func(i, j int) bool { return len(words[i]) < len(words[j]) })
		sort.SliceStable(words, func(i, j int) bool { return words[i][0] < words[j][0] })
	}
	fmt.Println(words)

	items := make([]*item, 0, 400)
	for i := 0; i < 400; i++ {
		items = append(items, &item{name: fmt.Sprint("it", i), score: next() % 50, tags: []string{"t"}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].score < items[j].score })
	fmt.Println(items[0].name, items[1].name, items[399].name, items[399].score)
	sort.Sort(sort.Reverse(byScore(items)))
	fmt.Println(items[0].score, items[399].score)
	sort.Stable(byScore(items))
	fmt.Println(items[0].name, items[1].name, sort.IsSorted(byScore(items)))

	vals := make([]item, 300)
	for i := range vals {
		vals[i] = item{name: fmt.Sprint("v", next()), score: next() % 20}
	}
	for r := 0; r < 20; r++ {
		sort.Slice(vals, func(i, j int) bool { return vals[i].score < vals[j].score })
		sort.SliceStable(vals, func(i, j int) bool { return vals[i].name < vals[j].name })
	}
	fmt.Println(vals[0].name, vals[1].name, vals[299].name)

	recs := make([]rec, 1000)
	for i := range recs {
		recs[i] = rec{int32(next()), int32(next() % 10), float64(next()) / 7}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].b < recs[j].b })
	fmt.Println(recs[0].b, recs[999].b, sort.SliceIsSorted(recs, func(i, j int) bool { return recs[i].b < recs[j].b }))
	slices.SortStableFunc(recs, func(p, q rec) int { return int(p.a) - int(q.a) })
	slices.SortFunc(vals, func(p, q item) int { return strings.Compare(q.name, p.name) })
	fmt.Println(recs[0], recs[999], vals[0].name, slices.IndexFunc(recs, func(r rec) bool { return r.a > 990 }))
	fmt.Println(slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, "ki") }))
	fmt.Println(sort.Search(len(ints), func(i int) bool { return ints[i]%97 >= 50 }))
	var one []string = []string{"x"}
	sort.Slice(one, func(i, j int) bool { panic("never") })
	fmt.Println(one)
}
