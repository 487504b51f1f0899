// Type switches over any (ints, strings, slices, maps, structs, pointers,
// nil, error, fmt.Stringer) and type assertions with comma-ok.
package main

import (
	"errors"
	"fmt"
)

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Point struct{ X, Y int }

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case int:
		return fmt.Sprintf("int %d", x)
	case int8, int16:
		return fmt.Sprintf("small int %v", x)
	case string:
		return "string of " + fmt.Sprint(len(x))
	case []int:
		return fmt.Sprintf("[]int len %d", len(x))
	case map[string]int:
		return fmt.Sprintf("map with %d", len(x))
	case Point:
		return fmt.Sprintf("point %d,%d", x.X, x.Y)
	case *Point:
		return fmt.Sprintf("*point %d", x.X+x.Y)
	case error:
		return "error " + x.Error()
	case fmt.Stringer:
		return "stringer " + x.String()
	case func() int:
		return fmt.Sprint("func returning ", x())
	default:
		return fmt.Sprintf("other %T", x)
	}
}

func main() {
	vals := []any{nil, 42, int8(-3), int16(300), "hello", []int{1, 2}, map[string]int{"a": 1},
		Point{1, 2}, &Point{3, 4}, errors.New("boom"), Celsius(21.5), func() int { return 7 }, 3.5, []string{}}
	for _, v := range vals {
		fmt.Println(describe(v))
	}
	var x any = "text"
	s, ok := x.(string)
	fmt.Println(s, ok)
	n, ok := x.(int)
	fmt.Println(n, ok)
	_, ok = x.(fmt.Stringer)
	fmt.Println(ok)
	var y any = Celsius(-4)
	if st, ok := y.(fmt.Stringer); ok {
		fmt.Println("is stringer:", st)
	}
	counts := map[string]int{}
	for i := 0; i < 6000; i++ {
		var v any
		switch i % 4 {
		case 0:
			v = i
		case 1:
			v = fmt.Sprint(i)
		case 2:
			v = &Point{i, i}
		case 3:
			v = float64(i)
		}
		switch v.(type) {
		case int:
			counts["int"]++
		case string:
			counts["string"]++
		case *Point:
			counts["point"]++
		default:
			counts["other"]++
		}
	}
	fmt.Println(counts)
}
