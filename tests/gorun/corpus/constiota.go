// Constants and iota: typed and untyped constants, skipped values, bit
// flags, expressions with iota, big untyped constants, constant arithmetic.
package main

import "fmt"

type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
	_
	Thursday
)

type Flags uint8

const (
	FlagRead Flags = 1 << iota
	FlagWrite
	FlagExec
	FlagAll = FlagRead | FlagWrite | FlagExec
)

const (
	KB = 1 << (10 * (iota + 1))
	MB
	GB
	TB
)

const (
	a, b = iota, iota * 10
	c, d
	e, f
)

const big = 1 << 100
const pi = 3.14159265358979323846
const greeting = "hello" + ", " + "world"

func (f Flags) Has(g Flags) bool { return f&g == g }

func main() {
	fmt.Println(Sunday, Monday, Tuesday, Thursday)
	fmt.Println(FlagRead, FlagWrite, FlagExec, FlagAll)
	perm := FlagRead | FlagExec
	fmt.Println(perm.Has(FlagRead), perm.Has(FlagWrite), perm&^FlagRead, perm^FlagAll)
	fmt.Println(KB, MB, GB, TB)
	fmt.Println(a, b, c, d, e, f)
	fmt.Println(big>>98, big/(1<<99))
	fmt.Printf("%.5f %T %v\n", pi, pi, pi*2)
	fmt.Println(greeting, len(greeting))
	const typed int8 = 100
	fmt.Println(typed/3, typed%7, -typed)
	var x uint8 = 255
	fmt.Println(x+1 == 0, ^x, ^0)
	days := []Weekday{}
	for i := 0; i < 2000; i++ {
		days = append(days, Weekday(i%7))
	}
	counts := map[Weekday]int{}
	for _, d := range days {
		counts[d]++
	}
	fmt.Println(counts)
}
