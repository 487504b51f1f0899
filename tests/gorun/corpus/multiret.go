// Multiple return values, named results, blank identifiers, variadic
// functions (with and without spreading a slice), functions as values.
package main

import (
	"fmt"
	"strings"
)

func divmod(a, b int) (q, r int) {
	q = a / b
	r = a % b
	return
}

func minmax(xs ...int) (lo, hi int, ok bool) {
	if len(xs) == 0 {
		return 0, 0, false
	}
	lo, hi = xs[0], xs[0]
	for _, x := range xs[1:] {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	return lo, hi, true
}

func join(sep string, parts ...string) string { return strings.Join(parts, sep) }

func swap(a, b string) (string, string) { return b, a }

func stats(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	variance /= float64(len(xs))
	return
}

func apply(f func(int, int) (int, int), a, b int) string {
	x, y := f(a, b)
	return fmt.Sprint(x, ":", y)
}

func main() {
	q, r := divmod(17, 5)
	fmt.Println(q, r)
	_, r = divmod(-17, 5)
	fmt.Println(r)
	fmt.Println(minmax(3, 9, -2, 7))
	fmt.Println(minmax())
	nums := []int{5, 1, 8}
	lo, hi, _ := minmax(nums...)
	fmt.Println(lo, hi)
	fmt.Println(join("-", "a", "b", "c"), join(","), join("+", []string{"x", "y"}...))
	a, b := swap("hello", "world")
	fmt.Println(a, b)
	m, v := stats([]float64{1, 2, 3, 4, 10})
	fmt.Printf("%.2f %.2f\n", m, v)
	fmt.Println(apply(divmod, 100, 7))
	total := 0
	for i := 1; i < 3000; i++ {
		args := make([]int, i%20+1)
		for j := range args {
			args[j] = (i * j) % 97
		}
		l, h, _ := minmax(args...)
		total += h - l
		s := join("/", fmt.Sprint(i), "x")
		total += len(s)
	}
	fmt.Println(total)
}
