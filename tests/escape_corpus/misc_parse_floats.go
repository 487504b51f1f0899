package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Parsing a comma-separated list of numbers.
func parseFloats(s string) ([]float64, error) {
	fields := strings.Split(s, ",")
	out := make([]float64, 0, len(fields))
	for _, f := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q: %w", f, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func main() {
	vs, err := parseFloats("1.5, 2.5, 3")
	total := 0.0
	for _, v := range vs {
		total += v
	}
	println(total, err == nil)
}
