// Integer overflow wraps around for int8, int16, int32, int64, uint8,
// uint16, uint32, uint64; conversions truncate; shifts; signed division.
package main

import (
	"fmt"
	"math"
)

func main() {
	var i8 int8 = 127
	i8++
	var i16 int16 = -32768
	i16--
	var i32 int32 = math.MaxInt32
	i32 += 10
	var i64 int64 = math.MaxInt64
	i64++
	fmt.Println(i8, i16, i32, i64)
	var u8 uint8 = 0
	u8--
	var u16 uint16 = 65535
	u16 += 2
	var u32 uint32 = 1 << 31
	u32 *= 2
	var u64 uint64 = 0
	u64 -= 1
	fmt.Println(u8, u16, u32, u64)
	x := 300
	y, w := 70000, int64(1)<<40+5
	fmt.Println(int8(x), uint8(x), int16(y), uint16(y), int32(w), uint32(w+1<<33))
	neg := -1
	fmt.Println(uint8(neg), uint16(neg), uint32(neg), uint64(neg))
	var m8 int8 = -128
	fmt.Println(-m8, m8/-1, m8*m8, m8*2)
	mn, m1 := int64(math.MinInt64), int64(-1)
	fmt.Println(-7/2, -7%2, 7/-2, 7%-2, mn/m1, mn%m1)
	var s uint8 = 1
	one := int8(1)
	fmt.Println(s<<7, s<<8, uint16(s)<<15, one<<7)
	h := uint32(2166136261)
	for _, c := range []byte("overflowing hash") {
		h ^= uint32(c)
		h *= 16777619
	}
	fmt.Println("fnv32", h)
	var acc int16
	var mul uint64 = 1
	for i := 1; i <= 25; i++ {
		acc += int16(i * 1000)
		mul *= uint64(i)
	}
	fmt.Println(acc, mul)
	var total int32
	for i := 0; i < 100000; i++ {
		total += int32(i * i)
	}
	fmt.Println(total)
}
