package main

import (
	"errors"
	"fmt"
	"strconv"
)

var ErrEmpty = errors.New("empty input")

// parsePort wraps lower-level errors with context.
func parsePort(s string) (int, error) {
	if s == "" {
		return 0, ErrEmpty
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse port %q: %w", s, err)
	}
	if n <= 0 || n > 65535 {
		return 0, fmt.Errorf("port %d out of range", n)
	}
	return n, nil
}

func main() {
	for _, in := range []string{"", "http", "70000", "8080"} {
		p, err := parsePort(in)
		println(p, errors.Is(err, ErrEmpty), err != nil)
	}
}
