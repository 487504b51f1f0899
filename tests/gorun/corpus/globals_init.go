// Package-level variables: static initialisers, dynamic ones, init(), os.Args
package main

import (
	"fmt"
	"os"
)

type P struct{ X, Y int }

var count = 3
var name = "globals"
var origin = P{1, 2}
var table = []int{10, 20, 30}
var ptr = &P{5, 6}
var computed = count * 7
var grid [3]int

func init() {
	count++
	grid[1] = 4
}

func bump() { count += 10 }

func main() {
	bump()
	table = append(table, count)
	fmt.Println(count, name, origin, table, *ptr, computed, grid, len(os.Args))
}
