// args: -n 2000 -tag=run1 -- extra
// flag (Int, Uint64 with a hex default, String, Bool; Parse, Args), math/bits
// and encoding/binary: a stream of 64-bit values is appended to a []byte with
// binary.LittleEndian.AppendUint64 (growslice as it grows), read back with
// both byte orders, and summarised with bits' counting functions.  The
// buffers escape (kept in a global, printed), so every growslice is on the heap.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math/bits"
)

var keep []byte

func main() {
	n := flag.Int("n", 10, "values to encode")
	seed := flag.Uint64("seed", 0x9E3779B97F4A7C15, "the generator's `start`")
	tag := flag.String("tag", "none", "a label")
	verbose := flag.Bool("v", false, "print every value")
	flag.Parse()
	fmt.Println("n", *n, "seed", *seed, "tag", *tag, "v", *verbose, "args", flag.Args(), flag.NArg())

	var buf []byte
	x := *seed
	var lens, lz, tz, ones int
	for i := 0; i < *n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		buf = binary.LittleEndian.AppendUint64(buf, x)
		lens += bits.Len64(x >> uint(i%64))
		lz += bits.LeadingZeros64(x >> uint(i%64))
		tz += bits.TrailingZeros64(x << uint(i%64))
		ones += bits.OnesCount64(x)
		if *verbose {
			fmt.Println(i, x)
		}
	}
	keep = buf
	fmt.Println("bytes", len(buf), "lens", lens, "lz", lz, "tz", tz, "ones", ones)

	var sum uint64
	for i := 0; i+8 <= len(buf); i += 8 {
		sum += binary.LittleEndian.Uint64(buf[i:])
		sum ^= uint64(bits.RotateLeft32(binary.BigEndian.Uint32(buf[i:]), i))
		sum += uint64(binary.LittleEndian.Uint16(buf[i+6:]))
	}
	fmt.Printf("sum %016x\n", sum)

	words := make([]byte, 0, 4)
	for i := 0; i < 300; i++ {
		words = binary.BigEndian.AppendUint32(words, uint32(i*i))
		words = binary.LittleEndian.AppendUint16(words, uint16(i))
	}
	fmt.Println(len(words), cap(words), words[:12])

	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, 0x0102030405060708)
	binary.BigEndian.PutUint16(b[6:], 0xBEEF)
	binary.LittleEndian.PutUint32(b[1:], 0xCAFE)
	fmt.Println(b, binary.BigEndian.Uint64(b))
	fmt.Println(bits.Len(255), bits.Len(0), bits.Len8(1), bits.Len16(256), bits.Len32(1<<31),
		bits.LeadingZeros(1), bits.LeadingZeros8(1), bits.LeadingZeros32(1), bits.TrailingZeros(0),
		bits.TrailingZeros16(0x8000), bits.TrailingZeros8(0), bits.OnesCount(1<<63|7), bits.OnesCount8(255),
		bits.Reverse8(1), bits.Reverse64(1), bits.ReverseBytes32(0x01020304), bits.ReverseBytes16(0x0102),
		bits.RotateLeft64(1, -1), bits.RotateLeft8(0x81, 1), bits.RotateLeft(3, 65))
	hi, lo := bits.Mul64(^uint64(0), 3)
	s, c := bits.Add64(^uint64(0), 1, 0)
	d, bo := bits.Sub64(0, 1, 0)
	q, r := bits.Div64(1, 0, 3)
	h32, l32 := bits.Mul32(1<<31, 6)
	fmt.Println(hi, lo, s, c, d, bo, q, r, bits.Rem64(5, 7, 3), h32, l32, bits.UintSize)
}
