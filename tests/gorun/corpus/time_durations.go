// Durations as Go prints them, and their arithmetic: every unit, fractions, negatives, extremes.
package main

import (
	"fmt"
	"math"
	"time"
)

func main() {
	ds := []time.Duration{0, 1, 999, 1000, 1001, 1500, 999999, time.Millisecond, 1234567, time.Second - 1,
		time.Second, 1500 * time.Millisecond, 59 * time.Second, time.Minute, 61 * time.Second,
		90*time.Minute + 30*time.Second + 5*time.Millisecond, 25 * time.Hour, -time.Nanosecond, -1500 * time.Microsecond,
		-3 * time.Hour, math.MaxInt64, math.MinInt64, 100 * time.Hour}
	for _, d := range ds {
		fmt.Println(d, d.Seconds(), d.Milliseconds(), d.Microseconds(), d.Nanoseconds(), int64(d))
	}
	var total time.Duration
	for i := 1; i <= 10; i++ {
		total += time.Duration(i) * 333 * time.Millisecond
	}
	fmt.Printf("%v %s %d %.3f\n", total, total, total, total.Seconds())
	fmt.Println(total.String() + "!")
	t0 := time.Now()
	t1 := t0.Add(90 * time.Minute)
	fmt.Println(t1.Sub(t0), t0.Sub(t1), t1.After(t0), t1.Before(t0), t0.Add(-time.Second).Before(t0))
	fmt.Println(t1.Unix()-t0.Unix(), t1.UnixNano()-t0.UnixNano(), t1.UnixMilli()-t0.UnixMilli())
}
