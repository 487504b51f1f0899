// map[int]*T: insert, update through the pointer, comma-ok lookups,
// delete while the map grows and shrinks, len, a nil map read.
package main

import "fmt"

type Account struct {
	ID      int
	Owner   string
	Balance int64
	History []int64
}

func main() {
	accounts := make(map[int]*Account)
	for i := 0; i < 5000; i++ {
		accounts[i*3] = &Account{ID: i * 3, Owner: fmt.Sprintf("owner%04d", i)}
	}
	fmt.Println("len", len(accounts))
	for i := 0; i < 20000; i++ {
		id := (i * 7919) % 15000
		if a, ok := accounts[id]; ok {
			a.Balance += int64(i % 100)
			a.History = append(a.History, int64(i))
		}
	}
	a, ok := accounts[3]
	fmt.Println(a.Owner, a.Balance, len(a.History), ok)
	_, ok = accounts[4]
	fmt.Println("4 present:", ok, accounts[4] == nil)
	for i := 0; i < 15000; i += 2 {
		delete(accounts, i)
	}
	fmt.Println("after delete", len(accounts))
	delete(accounts, -1) // deleting a missing key is fine
	var total int64
	maxID := -1
	for id, acc := range accounts {
		total += acc.Balance
		if id > maxID {
			maxID = id
		}
	}
	fmt.Println("total", total, "max id", maxID)
	var nilmap map[string]int
	v, ok := nilmap["x"]
	fmt.Println(v, ok, len(nilmap))
	// maps of structs by value: must copy out and back in
	type pt struct{ X, Y int }
	pts := map[string]pt{"a": {1, 2}}
	p := pts["a"]
	p.X = 10
	pts["a"] = p
	fmt.Println(pts)
	// a map rebuilt many times
	for round := 0; round < 20; round++ {
		m := map[int]*Account{}
		for i := 0; i < 500; i++ {
			m[i] = &Account{ID: i}
		}
		if round == 19 {
			fmt.Println(len(m), m[499].ID)
		}
	}
}
