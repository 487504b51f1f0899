package main

import (
	"io"
	"strings"
)

// A struct embedding an interface, overriding one method.
type countingReader struct {
	io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += n
	return n, err
}

func consume(r io.Reader) int {
	buf := make([]byte, 4)
	total := 0
	for {
		n, err := r.Read(buf)
		total += n
		if err != nil {
			return total
		}
	}
}

func main() {
	cr := &countingReader{Reader: strings.NewReader("hello world")}
	println(consume(cr), cr.n)
}
