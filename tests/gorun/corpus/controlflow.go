// Control flow: labelled break and continue out of nested loops, goto,
// switch with fallthrough, switch without a condition, range over int.
package main

import "fmt"

func classify(n int) string {
	s := ""
	switch {
	case n < 0:
		s = "negative"
	case n == 0:
		s = "zero"
	case n%2 == 0:
		s = "even"
		fallthrough
	case n > 100:
		s += "+big-or-even"
	default:
		s = "odd"
	}
	return s
}

func grade(score int) string {
	switch score / 10 {
	case 10, 9:
		return "A"
	case 8:
		return "B"
	case 7:
		return "C"
	}
	return "F"
}

func main() {
	primes := []int{}
outer:
	for n := 2; len(primes) < 15; n++ {
		for _, p := range primes {
			if p*p > n {
				break
			}
			if n%p == 0 {
				continue outer
			}
		}
		primes = append(primes, n)
	}
	fmt.Println(primes)

	found := [2]int{-1, -1}
search:
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			if i*j == 42 {
				found = [2]int{i, j}
				break search
			}
		}
	}
	fmt.Println(found)

	i := 0
loop:
	if i < 5 {
		fmt.Print(i, " ")
		i++
		goto loop
	}
	fmt.Println()

	for _, n := range []int{-5, 0, 4, 7, 101, 200} {
		fmt.Print(classify(n), " ")
	}
	fmt.Println()
	for _, s := range []int{100, 95, 85, 72, 10} {
		fmt.Print(grade(s))
	}
	fmt.Println()
	sum := 0
	for i := range 10 {
		sum += i
	}
	fmt.Println(sum)
	switch x := 5; x {
	case 1, 2, 3:
		fmt.Println("small")
	case 4, 5, 6:
		fmt.Println("medium")
		fallthrough
	case 7:
		fmt.Println("fell into 7")
	}
	count := 0
	var keep []string
	for a := 0; a < 60; a++ {
	inner:
		for b := 0; b < 60; b++ {
			switch {
			case b > a:
				break inner
			case (a+b)%7 == 0:
				continue
			}
			count++
			if count%100 == 0 {
				keep = append(keep, fmt.Sprint(a, "-", b))
			}
		}
	}
	fmt.Println(count, keep[:5])
}
