// Maps of slices (grouping), map[string][]string appends, map[[2]int]bool
// keys, maps printed with fmt (sorted keys), clear.
package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

func main() {
	words := strings.Fields("apple avocado banana blueberry cherry cranberry date fig grape guava kiwi " +
		"lemon lime mango melon nectarine orange papaya peach pear plum quince raspberry strawberry")
	byLetter := map[byte][]string{}
	for _, w := range words {
		byLetter[w[0]] = append(byLetter[w[0]], w)
	}
	letters := make([]int, 0)
	for k := range byLetter {
		letters = append(letters, int(k))
	}
	sort.Ints(letters)
	for _, l := range letters {
		fmt.Printf("%c: %v\n", l, byLetter[byte(l)])
	}
	byLen := make(map[int][]string)
	for _, w := range words {
		byLen[len(w)] = append(byLen[len(w)], strings.ToUpper(w))
	}
	fmt.Println(byLen)
	seen := map[[2]int]bool{}
	for i := 0; i < 100; i++ {
		seen[[2]int{i % 7, i % 5}] = true
	}
	fmt.Println(len(seen), seen[[2]int{3, 4}], seen[[2]int{9, 9}])
	nums := map[string][]int{}
	for i := 0; i < 3000; i++ {
		k := fmt.Sprint("k", i%13)
		nums[k] = append(nums[k], i)
	}
	keys := make([]string, 0, len(nums))
	for k := range nums {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys[:4] {
		fmt.Println(k, len(nums[k]), cap(nums[k]), nums[k][len(nums[k])-1])
	}
	nested := map[string]map[string]int{"x": {"b": 2, "a": 1}, "w": {"z": 26}}
	fmt.Println(nested)
	clear(nested)
	fmt.Println(len(nested), nested)
}
