// Maps of many key and element types through every stage of a Swiss table:
// the small group (up to 8 entries), tables doubling to 1024 slots, splits
// and directory doubling, indirect keys and elements (above 128 bytes),
// map literals (constant and computed entries, more than 25), stack maps
// that do not escape, deletes (tombstones), clear, op= and comma-ok reads.
package main

import (
	"fmt"
	"strconv"
)

type Point struct{ X, Y int }

type Big struct {
	Data [40]int
	Name string
}

type Key struct {
	Name string
	ID   int32
	Tag  [2]byte
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

//go:noinline
func countLocal(n int) int {
	seen := make(map[int]bool) // does not escape: header and group on the stack
	for i := 0; i < n; i++ {
		seen[i%13] = true
	}
	return len(seen)
}

//go:noinline
func build(n int) map[int]*Point {
	m := make(map[int]*Point)
	for i := 0; i < n; i++ {
		m[i*7] = &Point{i, -i}
	}
	return m
}

func main() {
	// int keys, pointer elements, through splits
	for _, n := range []int{0, 1, 8, 9, 100, 1000, 5000} {
		m := build(n)
		sx := 0
		for k, p := range m {
			sx += k + p.X - p.Y
		}
		fmt.Println("build", n, len(m), sx)
	}

	// string keys made at run time
	words := make(map[string]int)
	for i := 0; i < 3000; i++ {
		w := "w" + strconv.Itoa(i%1200)
		words[w] += i
	}
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	sortStrings(keys)
	fmt.Println("words", len(words), keys[:5], words["w0"], words["w1199"])

	// struct keys, indirect elements
	bigs := make(map[Key]Big)
	for i := 0; i < 300; i++ {
		k := Key{Name: "k" + strconv.Itoa(i%100), ID: int32(i), Tag: [2]byte{byte(i), 'x'}}
		var b Big
		b.Data[i%40] = i
		b.Name = k.Name
		bigs[k] = b
	}
	b, ok := bigs[Key{"k5", 205, [2]byte{205, 'x'}}]
	_, ok2 := bigs[Key{"k5", 205, [2]byte{205, 'y'}}]
	fmt.Println("bigs", len(bigs), b.Name, b.Data[205%40], ok, ok2)

	// indirect keys
	type Wide [20]int
	wide := map[Wide]string{}
	for i := 0; i < 50; i++ {
		var w Wide
		w[i%20] = i
		wide[w] = strconv.Itoa(i)
	}
	var w7 Wide
	w7[7] = 7
	fmt.Println("wide", len(wide), wide[w7])

	// floats: +0 and -0 are one key, NaN never matches
	fm := map[float64]int{}
	zero := 0.0
	negZero := -zero
	fm[zero] = 1
	fm[negZero] += 10
	nan := zero / zero
	nan = nan * 1
	fm[nan] = 1
	fm[nan] = 2
	_, found := fm[nan]
	fmt.Println("floats", len(fm), fm[0], found)

	// literals: constant entries, computed entries, more than 25 entries
	lit := map[string]int{"a": 1, "b": 2, "c": len(words)}
	big := map[int]string{0: "0", 1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9",
		10: "10", 11: "11", 12: "12", 13: "13", 14: "14", 15: "15", 16: "16", 17: "17", 18: "18", 19: "19",
		20: "20", 21: "21", 22: "22", 23: "23", 24: "24", 25: "25", 26: "26", 27: strconv.Itoa(len(lit))}
	fmt.Println("literals", lit, len(big), big[27], big[13])

	// deletes leave tombstones; reinsertion reuses them; a map emptied by deletes
	churn := make(map[int]int)
	total := 0
	for round := 0; round < 10; round++ {
		for i := 0; i < 2000; i++ {
			churn[round*2000+i] = i
		}
		for i := 0; i < 2000; i++ {
			if i%4 != 0 {
				delete(churn, round*2000+i)
			}
		}
		total += len(churn)
	}
	for k := range churn {
		delete(churn, k)
	}
	fmt.Println("churn", total, len(churn))

	// clear keeps the tables
	for i := 0; i < 700; i++ {
		churn[i] = i
	}
	clear(churn)
	for i := 0; i < 700; i++ {
		churn[i] = -i
	}
	fmt.Println("clear", len(churn), churn[699])

	// maps of slices and maps of maps
	groups := map[int][]string{}
	nested := map[string]map[int]int{}
	for i := 0; i < 200; i++ {
		groups[i%7] = append(groups[i%7], strconv.Itoa(i))
		name := "g" + strconv.Itoa(i%5)
		inner, ok := nested[name]
		if !ok {
			inner = make(map[int]int)
			nested[name] = inner
		}
		inner[i%11]++
	}
	gk := []int{}
	for k := range groups {
		gk = append(gk, k)
	}
	sortInts(gk)
	fmt.Println("groups", gk, len(groups[3]), groups[3][:3], len(nested), nested["g2"])

	// stack maps
	s := 0
	for i := 0; i < 100; i++ {
		s += countLocal(i)
	}
	fmt.Println("local", s)

	// nil maps read as empty
	var nilMap map[string][]int
	v, present := nilMap["x"]
	fmt.Println("nil", len(nilMap), v == nil, present, nilMap)
}
