// Large objects (> 32 KB, allocated directly from the heap) beside small
// ones: make of big slices, growing a big slice by append, big arrays via
// new, and a sieve of Eratosthenes over a large []bool.
package main

import "fmt"

func sieve(n int) []int {
	composite := make([]bool, n+1)
	var primes []int
	for i := 2; i <= n; i++ {
		if !composite[i] {
			primes = append(primes, i)
			for j := i * i; j <= n; j += i {
				composite[j] = true
			}
		}
	}
	return primes
}

func main() {
	p := sieve(200000)
	fmt.Println(len(p), p[len(p)-1], cap(p))
	var big [][]byte
	for i := 0; i < 40; i++ {
		b := make([]byte, 40000+i*1000)
		b[len(b)-1] = byte(i)
		big = append(big, b)
	}
	total := 0
	for _, b := range big {
		total += len(b) + int(b[len(b)-1])
	}
	fmt.Println(total)
	var ints []int64
	last := 0
	for i := 0; i < 100000; i++ {
		ints = append(ints, int64(i))
		if cap(ints) != last && cap(ints) > 4096 {
			fmt.Print(cap(ints), " ")
		}
		last = cap(ints)
	}
	fmt.Println()
	arrs := make([]*[10000]int32, 0)
	for i := 0; i < 30; i++ {
		a := new([10000]int32)
		a[i] = int32(i)
		arrs = append(arrs, a)
	}
	s := int32(0)
	for i, a := range arrs {
		s += a[i]
	}
	fmt.Println(len(arrs), s)
	for round := 0; round < 20; round++ {
		m := make([]float64, 1<<16)
		m[round] = float64(round)
		if round == 19 {
			fmt.Println(len(m), m[19])
		}
	}
}
