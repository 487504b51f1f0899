// strconv's parse functions and their *strconv.NumError values: Atoi,
// ParseInt/ParseUint with bases and bit sizes, ParseFloat, ParseBool, the
// error texts (Quote of the input), errors.As to *strconv.NumError,
// errors.Unwrap, fmt.Errorf wrapping them, errors.Join of several.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

func main() {
	inputs := []string{"42", "-7", "x3", "", "12a", "99999999999999999999", "+5", "0x1f", "3.25", "1e400",
		"true", "F", "yes", "\t\"q\"\n", "é", "-9223372036854775809", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}
	for _, s := range inputs {
		v, err := strconv.Atoi(s)
		fmt.Println(v, err)
		i, err2 := strconv.ParseInt(s, 0, 16)
		u, err3 := strconv.ParseUint(s, 16, 64)
		f, err4 := strconv.ParseFloat(s, 64)
		b, err5 := strconv.ParseBool(s)
		fmt.Println(i, err2, u, err3, f, err4, b, err5)
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			fmt.Println("as:", ne.Func, len(ne.Num), ne.Err, errors.Unwrap(err) == ne.Err)
		}
	}
	_, e1 := strconv.ParseInt("7", 1, 64)
	_, e2 := strconv.ParseInt("7", 10, 65)
	fmt.Println(e1)
	fmt.Println(e2)
	var errs []error
	n := 0
	for i := 0; i < 4000; i++ {
		s := strconv.Itoa(i)
		if i%3 == 0 {
			s += "z"
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			if i%500 == 0 {
				errs = append(errs, fmt.Errorf("item %d: %w", i, err))
			}
			n += len(err.Error())
			continue
		}
		n += v % 7
	}
	joined := errors.Join(errs...)
	fmt.Println(n, len(errs))
	fmt.Println(joined)
	var ne *strconv.NumError
	fmt.Println(errors.As(joined, &ne), ne.Num, strconv.Quote(ne.Num), strconv.FormatBool(ne.Num == "0z"))
	multi := fmt.Errorf("two: %w and %w", errs[0], errs[1])
	fmt.Println(multi, errors.Is(multi, errs[1]), errors.Is(multi, ne))
}
