// Conversions: []byte(s), string(b), string(rune), []rune(s), string(runes),
// mutation of the copy, and conversions in loops.
package main

import (
	"fmt"
	"unicode/utf8"
)

func main() {
	s := "héllo, 世界!"
	b := []byte(s)
	fmt.Println(len(s), len(b), b[:4])
	b[0] = 'H'
	fmt.Println(s, string(b))
	r := []rune(s)
	fmt.Println(len(r), string(r[7:9]), r[1])
	r[1] = 'e'
	fmt.Println(string(r))
	for _, c := range []rune{65, 0x4e16, 0x1F600, 955} {
		fmt.Print(string(c), " ", utf8.RuneLen(c), " ")
	}
	fmt.Println()
	fmt.Println(string(rune(0x10FFFF+1)) == "\uFFFD", utf8.ValidString(s))

	// round trips in a loop
	n := 0
	words := []string{"go", "gopher", "garbage collector", "tri-color marking", "write barrier"}
	for i := 0; i < 5000; i++ {
		w := words[i%len(words)]
		bs := []byte(w)
		bs[0] ^= 0x20
		t := string(bs)
		n += len(t)
		if i < 5 {
			fmt.Println(t)
		}
	}
	fmt.Println("bytes", n)
	big := make([]byte, 0, 100)
	for i := 0; i < 100; i++ {
		big = append(big, byte('a'+i%26))
	}
	str := string(big)
	fmt.Println(len(str), str[90:])
	var rs []rune
	for i := 0; i < 300; i++ {
		rs = append(rs, rune(0x3b1+i%25))
	}
	fmt.Println(utf8.RuneCountInString(string(rs)), len(string(rs)), string(rs[:5]))
}
