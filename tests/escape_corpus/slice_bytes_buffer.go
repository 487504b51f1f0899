package main

import (
	"bytes"
	"strconv"
)

// A bytes.Buffer used as a local scratch space.
func csvLine(fields []int) string {
	var buf bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(strconv.Itoa(f))
	}
	return buf.String()
}

func main() {
	println(csvLine([]int{1, 22, 333}))
}
