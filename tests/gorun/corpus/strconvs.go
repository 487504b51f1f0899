// strconv: Itoa, Atoi (and its errors), FormatInt in several bases,
// ParseInt with bit sizes, ParseBool, FormatFloat, Quote, AppendInt.
package main

import (
	"fmt"
	"strconv"
)

func main() {
	for _, n := range []int{0, 7, -42, 1 << 40, -9223372036854775808} {
		fmt.Print(strconv.Itoa(n), " ")
	}
	fmt.Println()
	for _, s := range []string{"123", "-77", "12a", "", "99999999999999999999"} {
		v, err := strconv.Atoi(s)
		fmt.Println(v, err)
	}
	for _, base := range []int{2, 8, 10, 16, 36} {
		fmt.Print(strconv.FormatInt(-255, base), " ", strconv.FormatUint(1<<63, base), " ")
	}
	fmt.Println()
	for _, c := range []struct {
		s    string
		base int
		bits int
	}{{"7f", 16, 8}, {"80", 16, 8}, {"-128", 10, 8}, {"0x1F", 0, 64}, {"0b101", 0, 16}, {"zz", 36, 32}} {
		v, err := strconv.ParseInt(c.s, c.base, c.bits)
		fmt.Println(c.s, v, err)
	}
	b, err := strconv.ParseBool("true")
	fmt.Println(b, err)
	fmt.Println(strconv.FormatFloat(3.14159, 'f', 2, 64), strconv.FormatFloat(1e21, 'g', -1, 64))
	fmt.Println(strconv.Quote("tab\there \"quoted\" é\x01"), strconv.QuoteRune('☺'), strconv.QuoteToASCII("é"))
	u, err := strconv.Unquote(`"a\nb"`)
	fmt.Printf("%q %v\n", u, err)

	// many conversions
	sum := 0
	buf := []byte{}
	for i := 0; i < 5000; i++ {
		s := strconv.Itoa(i * 37)
		v, _ := strconv.Atoi(s)
		sum += v
		buf = strconv.AppendInt(buf[:0], int64(i), 16)
	}
	fmt.Println(sum, string(buf))
}
