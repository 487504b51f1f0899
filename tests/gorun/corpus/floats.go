// Float math: math.Sqrt, Floor, Ceil, Trunc, Round, Pow, Abs, Mod, Inf,
// NaN, float32 rounding, %.3f / %g / %e / %v printing, integer conversions.
package main

import (
	"fmt"
	"math"
)

func newton(x float64) float64 {
	z := 1.0
	for i := 0; i < 20; i++ {
		z -= (z*z - x) / (2 * z)
	}
	return z
}

func main() {
	for _, x := range []float64{2, 9, 0.5, 1e10} {
		fmt.Printf("%.3f %.6f %g\n", math.Sqrt(x), newton(x), math.Sqrt(x))
	}
	vals := []float64{-2.5, -1.5, -0.4, 0.5, 1.5, 2.675}
	for _, v := range vals {
		fmt.Println(v, math.Floor(v), math.Ceil(v), math.Trunc(v), math.Round(v), math.Abs(v))
	}
	fmt.Println(math.Pow(2, 10), math.Pow(2, 0.5), math.Mod(7.5, 2), math.Hypot(3, 4))
	fmt.Println(math.Inf(1), -math.Inf(1), math.NaN(), math.IsNaN(math.NaN()), math.MaxFloat64)
	var f32 float32 = 0.1
	fmt.Println(f32, float64(f32), 0.1+0.2, float32(0.1)+float32(0.2))
	fmt.Printf("%e %E %.2e %8.2f|%-8.2f|%+.1f\n", 123456.789, 0.000123, 6.02e23, 3.14159, 2.71828, 1.0)
	p, q := 3.99, -3.99
	fmt.Println(int(p), int(q), int64(1e18), uint8(int(300)%256), float64(7)/2)
	fmt.Println(1e6, 1e21, 123456789.0, 1.0, 100.5, 1e-7)
	sum := 0.0
	var pts []float64
	for i := 1; i <= 5000; i++ {
		x := float64(i)
		sum += 1 / (x * x)
		if i%500 == 0 {
			pts = append(pts, math.Sqrt(sum*6))
		}
	}
	for _, p := range pts {
		fmt.Printf("%.6f ", p)
	}
	fmt.Println()
	fmt.Printf("%v %.4f %.0f %v\n", math.Pi, math.E, 2.5, math.Exp(1) == math.E)
}
