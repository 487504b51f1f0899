// Ranging over maps while they change, checking what the spec promises
// whatever the (random) order: every entry present throughout is produced
// exactly once, an entry deleted before it is reached is not produced,
// entries added meanwhile at most once; small maps that grow into tables
// and tables that grow and split during the loop; clear during the loop;
// NaN keys.
package main

import "fmt"

func check(name string, cond bool) {
	if !cond {
		fmt.Println("FAIL", name)
	}
}

func rangeWhileGrowing(n, extra int) {
	m := make(map[int]int)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	seen := make(map[int]int)
	added := 0
	for k, v := range m {
		check("value", k == v)
		seen[k]++
		if added < extra {
			m[n+added] = n + added
			added++
		}
	}
	for i := 0; i < n; i++ {
		check("original once", seen[i] == 1)
	}
	for k, c := range seen {
		check("at most once", c == 1 && k < n+extra)
	}
	check("len", len(m) == n+added)
	fmt.Println("grow", n, extra, len(seen) >= n)
}

func rangeWhileDeleting(n int) {
	m := make(map[int]bool)
	for i := 0; i < n; i++ {
		m[i] = true
	}
	deleted := make(map[int]bool)
	done := make(map[int]bool)
	produced := 0
	for k := range m {
		check("not deleted before", !deleted[k] && !done[k])
		produced++
		done[k] = true
		for _, d := range []int{k + 1, k * 3 % n, n - 1 - k} {
			if !done[d] && m[d] {
				delete(m, d)
				deleted[d] = true
			}
		}
	}
	check("sum", produced+len(deleted) == n)
	check("left", len(m) == produced)
	fmt.Println("delete", n, produced > 0, len(m) == produced)
}

func rangeClear() {
	m := map[string]int{}
	for i := 0; i < 1000; i++ {
		m[fmt.Sprint("k", i)] = i
	}
	n := 0
	for range m {
		n++
		clear(m)
	}
	fmt.Println("clear", n, len(m))
	m["again"] = 1
	fmt.Println(m)
}

func nanKeys() {
	zero := 0.0
	nan := zero / zero
	m := map[float64]int{}
	for i := 0; i < 20; i++ {
		m[nan] = i
		m[float64(i)] = i
	}
	nans, total := 0, 0
	for k, v := range m {
		if k != k {
			nans++
			total += v
		}
	}
	delete(m, nan)
	fmt.Println("nan", len(m), nans, total)
	clear(m)
	fmt.Println("nan cleared", len(m))
}

func main() {
	rangeWhileGrowing(5, 3)
	rangeWhileGrowing(8, 20)
	rangeWhileGrowing(100, 1000)
	rangeWhileGrowing(900, 4000)
	rangeWhileDeleting(7)
	rangeWhileDeleting(500)
	rangeWhileDeleting(3000)
	rangeClear()
	nanKeys()
}
