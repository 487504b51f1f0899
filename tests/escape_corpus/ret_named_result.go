package main

import "errors"

type Result struct {
	Value int
	Err   error
}

var errNegative = errors.New("negative input")

// parse returns a pointer through a named result.
func parse(n int) (r *Result) {
	r = &Result{Value: n}
	if n < 0 {
		r.Err = errNegative
	}
	return
}

func check(n int) (ok bool) {
	res := Result{Value: n}
	ok = res.Value >= 0
	return
}

func main() {
	r := parse(-1)
	println(r.Err != nil, check(3))
}
