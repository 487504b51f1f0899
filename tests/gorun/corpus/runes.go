// range over a string yields runes and byte offsets; utf8 decoding,
// invalid bytes, rune counts, reversing a string by runes.
package main

import (
	"fmt"
	"unicode/utf8"
)

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func main() {
	s := "aé世🙂z"
	for i, r := range s {
		fmt.Println(i, r, string(r), utf8.RuneLen(r))
	}
	bad := "a\xffb\xe4\xb8"
	for i, r := range bad {
		fmt.Print(i, ":", r, " ")
	}
	fmt.Println()
	fmt.Println(utf8.RuneCountInString(s), len(s), utf8.ValidString(bad))
	r, size := utf8.DecodeRuneInString(s[1:])
	fmt.Println(r, size)
	r, size = utf8.DecodeLastRuneInString(s)
	fmt.Println(r, size)
	buf := make([]byte, 0, 8)
	buf = utf8.AppendRune(buf, '世')
	fmt.Println(buf, utf8.FullRune(buf[:2]))
	fmt.Println(reverse(s), reverse("Hello, 世界"))
	counts := [4]int{}
	text := ""
	for i := 0; i < 300; i++ {
		text += string(rune('a'+i%3)) + "é" + "世"
	}
	for _, r := range text {
		counts[utf8.RuneLen(r)]++
	}
	fmt.Println(counts, len(text))
	n := 0
	for i := 0; i < 200; i++ {
		n += len(reverse(text[:i*3]))
	}
	fmt.Println(n)
}
