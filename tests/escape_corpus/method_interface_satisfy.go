package main

import "io"

type countingWriter struct {
	n int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// A pointer to a local passed where an io.Writer is expected.
func writeAll(w io.Writer, chunks [][]byte) error {
	for _, c := range chunks {
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	cw := countingWriter{}
	writeAll(&cw, [][]byte{[]byte("ab"), []byte("cde")})
	println(cw.n)
}
