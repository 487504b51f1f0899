// The strings package on many inputs: Split/SplitN/Fields/Join round trips,
// Replace, Repeat (constant prefixes and built), ToUpper/ToLower (ASCII and
// Unicode via Map), Trim*, Index/Count/EqualFold, strings.Builder growth,
// unicode predicates and utf8 decoding over mixed text.
package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

func classify(s string) (int, int, int, int, int) {
	up, lo, dg, sp, pu := 0, 0, 0, 0, 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			up++
		}
		if unicode.IsLower(r) {
			lo++
		}
		if unicode.IsDigit(r) {
			dg++
		}
		if unicode.IsSpace(r) {
			sp++
		}
		if unicode.IsPunct(r) {
			pu++
		}
	}
	return up, lo, dg, sp, pu
}

func main() {
	words := []string{"alpha", "Beta", "GAMMA", "délta", "Ωmega", "straße", "ǅemal", "x", "", "42"}
	var sb strings.Builder
	for i := 0; i < 400; i++ {
		w := words[i%len(words)]
		sb.WriteString(w)
		if i%7 == 0 {
			sb.WriteString(",\t")
		} else {
			sb.WriteByte(' ')
		}
		if i%13 == 0 {
			sb.WriteRune('→')
		}
	}
	text := sb.String()
	fmt.Println(len(text), sb.Len(), sb.Cap(), utf8.RuneCountInString(text))
	fields := strings.Fields(text)
	fmt.Println(len(fields), fields[:6])
	parts := strings.Split(text, ",")
	fmt.Println(len(parts), len(strings.SplitN(text, " ", 10)), strings.SplitN(text, ",", 3)[0])
	joined := strings.Join(fields, "|")
	fmt.Println(len(joined), strings.Count(joined, "|"), strings.Count(joined, "a"), strings.Count("", ""))
	up := strings.ToUpper(text)
	low := strings.ToLower(text)
	fmt.Println(len(up), len(low), strings.EqualFold(up, low), strings.Index(up, "STRASSE"), strings.Index(up, "Ω"))
	fmt.Println(strings.ToUpper("straße ǆ ǅ ﬃ"), strings.ToLower("İSTANBUL ΣΑΣ"), strings.ToUpper("plain ascii"), strings.ToLower("already lower"))
	a1, a2, a3, a4, a5 := classify(text)
	fmt.Println(a1, a2, a3, a4, a5)
	a1, a2, a3, a4, a5 = classify("Hello, World! 123 ٣٤ ¿Qué? «ok»")
	fmt.Println(a1, a2, a3, a4, a5)
	total := 0
	for i := 0; i < 300; i++ {
		r := strings.Repeat(words[i%len(words)], i%9)
		total += len(r)
		d := strings.Repeat("-", i%150)
		total += len(d)
	}
	fmt.Println(total, strings.Repeat("ab", 3), strings.Repeat("=", 5), strings.Repeat("0", 70) == strings.Repeat("00", 35))
	s := "  \t  padded text with spaces  \n "
	fmt.Printf("%q %q %q %q\n", strings.TrimSpace(s), strings.Trim(s, " \t\n"), strings.TrimLeft(s, " "), strings.TrimRight(s, " \n"))
	fmt.Printf("%q %q %q\n", strings.Trim("¡¡Hola!!", "!¡"), strings.TrimPrefix("prefix-body", "prefix-"), strings.TrimSuffix("file.tar.gz", ".gz"))
	fmt.Println(strings.Replace(text[:60], "a", "A", 3), strings.ReplaceAll("banana", "a", "o"), strings.ReplaceAll("abc", "", "-"))
	fmt.Println(strings.Replace("aaaa", "a", "", -1) == "", strings.Replace("x", "y", "z", -1), strings.ReplaceAll("ééé", "é", "e"))
	fmt.Println(strings.Contains(text, "Ωmega"), strings.ContainsRune(text, 'ß'), strings.ContainsRune(text, 'Q'), strings.LastIndex(text, "alpha"), strings.IndexByte(text, 'G'), strings.IndexRune(text, 'Ω'))
	fmt.Println(strings.HasPrefix(text, "alpha"), strings.HasSuffix(text, "42 "), strings.Compare("a", "b"), strings.Compare("b", "a"), strings.Compare("x", "x"))
	fmt.Println(strings.EqualFold("Straße", "STRASSE"), strings.EqualFold("Kelvin", "\u212Aelvin"), strings.EqualFold("ǅ", "ǆ"), strings.EqualFold("σ", "ς"))
	n := 0
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		b.Grow(i % 50)
		for j := 0; j < i%23; j++ {
			b.WriteString(words[j%len(words)])
			b.WriteRune(rune(0x3B1 + j))
		}
		n += b.Len() + b.Cap()
		if i%500 == 0 {
			b.Reset()
			n += b.Cap()
		}
	}
	fmt.Println(n)
	bad := "a\xffb\xe4\xb8z\xf0\x9f\x99\x82"
	for i := 0; i < len(bad); {
		r, size := utf8.DecodeRuneInString(bad[i:])
		fmt.Print(r, "/", size, " ")
		i += size
	}
	r, size := utf8.DecodeLastRuneInString(bad)
	fmt.Println(r, size, utf8.ValidString(bad), utf8.ValidString("ok ✓"), utf8.RuneLen('🙂'), utf8.RuneLen(-1), utf8.RuneLen(0xD800))
	buf := make([]byte, 0, 4)
	for _, c := range "hé世🙂" {
		buf = utf8.AppendRune(buf, c)
	}
	fmt.Println(buf, len(buf), cap(buf), utf8.RuneCount(buf), utf8.FullRune(buf[:2]), utf8.FullRune([]byte{0xe4, 0xb8}))
	p := make([]byte, 4)
	fmt.Println(utf8.EncodeRune(p, '世'), p, utf8.EncodeRune(p, 0x110000), p)
	fmt.Println(string(unicode.ToUpper('ß')), string(unicode.ToLower('Ω')), string(unicode.ToUpper('ǆ')), unicode.IsLetter('ª'), unicode.IsLetter('٣'), unicode.IsDigit('٣'))
	before, after, found := strings.Cut("key=value=x", "=")
	fmt.Println(before, after, found)
}
