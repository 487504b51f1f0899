package main

import "strings"

type Handler func(req string) string

// Middleware wraps a handler in another closure.
func logging(prefix string, next Handler) Handler {
	return func(req string) string {
		println(prefix + req)
		return next(req)
	}
}

func upper(req string) string { return strings.ToUpper(req) }

func chain(h Handler, ms ...func(Handler) Handler) Handler {
	for i := len(ms) - 1; i >= 0; i-- {
		h = ms[i](h)
	}
	return h
}

func main() {
	h := chain(upper, func(next Handler) Handler { return logging("> ", next) })
	println(h("hello"))
}
