package main

// A reusable buffer: copy and append into a byte slice.
type Buffer struct {
	buf []byte
}

func (b *Buffer) WriteString(s string) {
	b.buf = append(b.buf, s...)
}

func (b *Buffer) Bytes() []byte {
	out := make([]byte, len(b.buf))
	copy(out, b.buf)
	return out
}

func main() {
	var b Buffer
	b.WriteString("hello, ")
	b.WriteString("world")
	println(len(b.Bytes()))
}
