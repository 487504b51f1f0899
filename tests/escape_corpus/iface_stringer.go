package main

import (
	"fmt"
	"strconv"
)

type Celsius float64

func (c Celsius) String() string {
	return strconv.FormatFloat(float64(c), 'f', 1, 64) + "C"
}

func describe(s fmt.Stringer) string {
	return "value: " + s.String()
}

func main() {
	c := Celsius(21.5)
	println(describe(c))
	var s fmt.Stringer = c
	println(s.String())
}
