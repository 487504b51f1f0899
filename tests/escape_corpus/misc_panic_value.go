package main

import "fmt"

type ParseError struct {
	Line int
	Msg  string
}

// panic takes an interface value: what it is given escapes.
func mustPositive(n int) int {
	if n < 0 {
		panic(&ParseError{Line: n, Msg: "negative"})
	}
	return n
}

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

func main() {
	println(mustPositive(3))
	_, err := safeDiv(1, 0)
	println(err != nil)
}
