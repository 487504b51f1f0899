// math/rand with fixed seeds (rand.New(rand.NewSource(seed))): Intn, Int63,
// Int31n, Int63n, Float64, Uint32, Perm; sorting what it produces with
// sort.Ints/Strings/Float64s and slices.Sort (pdqsort's patterns: random,
// sorted, reversed, many duplicates, NaN and signed zeros), then binary
// searches, slices.Contains/Index/Max/Min/Reverse.
package main

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strconv"
)

func main() {
	r := rand.New(rand.NewSource(2024))
	sum := 0
	for i := 0; i < 5000; i++ {
		sum += r.Intn(1000)
	}
	fmt.Println("intn", sum, r.Int63(), r.Int31n(77), r.Int63n(1<<40), r.Int63n(1000003), r.Uint32(), r.Int31(), r.Int())
	fmt.Println("float", r.Float64(), r.Float64(), r.Intn(1<<31-1), r.Intn(1<<40))
	p := r.Perm(20)
	fmt.Println("perm", p)

	nums := make([]int, 3000)
	for i := range nums {
		nums[i] = r.Intn(500) - 250
	}
	sort.Ints(nums)
	fmt.Println(nums[:8], nums[len(nums)-8:], sort.IntsAreSorted(nums), sort.SearchInts(nums, 0), sort.SearchInts(nums, 1000))
	desc := make([]int, 1000)
	for i := range desc {
		desc[i] = 1000 - i
	}
	slices.Sort(desc)
	fmt.Println(desc[:5], slices.IsSorted(desc))
	saw := make([]int, 2000)
	for i := range saw {
		saw[i] = i % 17
	}
	slices.Sort(saw)
	fmt.Println(saw[:3], saw[1990:], slices.Contains(saw, 16), slices.Contains(saw, 17), slices.Index(saw, 5))

	fl := make([]float64, 0, 600)
	for i := 0; i < 600; i++ {
		x := r.Float64()*200 - 100
		switch i % 50 {
		case 7:
			x = math.NaN()
		case 11:
			x = math.Copysign(0, -1)
		case 13:
			x = 0
		}
		fl = append(fl, x)
	}
	sort.Float64s(fl)
	fmt.Println(fl[:14], fl[len(fl)-3:], math.Signbit(fl[12]), math.Signbit(fl[13]))
	f2 := []float64{3.5, -1, 2, 10, -7.25}
	fmt.Println(slices.Max(f2), slices.Min(f2), slices.Max(nums), slices.Min(nums))

	strs := make([]string, 0, 800)
	for i := 0; i < 800; i++ {
		strs = append(strs, "k"+strconv.Itoa(r.Intn(300)))
	}
	sort.Strings(strs)
	fmt.Println(strs[:5], strs[795:], sort.StringsAreSorted(strs), sort.SearchStrings(strs, "k150"), slices.Index(strs, "k42"))
	fmt.Println(slices.Max(strs), slices.Min(strs))
	slices.Reverse(strs)
	slices.Reverse(nums)
	fmt.Println(strs[:3], nums[:3])

	r2 := rand.New(rand.NewSource(-5))
	r3 := rand.New(rand.NewSource(0))
	fmt.Println(r2.Intn(100), r2.Intn(100), r3.Intn(100), r3.Int63())
	for seed := int64(1); seed <= 4; seed++ {
		rs := rand.New(rand.NewSource(seed * 1000003))
		fmt.Print(rs.Intn(10), rs.Perm(5), " ")
	}
	fmt.Println()
	fmt.Println(math.Round(2.5), math.Round(-2.5), math.RoundToEven(2.5), math.RoundToEven(3.5), math.Round(0.49999999999999994))
	fmt.Println(math.Mod(7.5, 2), math.Mod(-7.5, 2), math.Hypot(3, 4), math.Log2(8), math.Log2(10), math.Log10(1000), math.Log10(2))
	fmt.Println(math.Sin(1), math.Cos(1), math.Sin(1e10), math.Cos(-3), math.Sin(100), math.Cbrt(27), math.Cbrt(-10))
	fmt.Println(math.Float64bits(1.5), math.Float64frombits(0x4009_21FB_5444_2D18), math.IsInf(math.Inf(-1), -1), math.IsInf(1, 0), math.Copysign(3, -1))
	ip, fp := math.Modf(-3.75)
	fmt.Println(ip, fp, math.IsNaN(math.NaN()))
}
