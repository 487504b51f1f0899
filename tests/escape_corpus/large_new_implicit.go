package main

type Page struct {
	data [8192]byte
}

type Chunk struct {
	data [100 << 10]byte
}

// new() and &T{} are limited to 64 KiB on the stack.
func firstByte() byte {
	p := new(Page)
	p.data[0] = 1
	c := new(Chunk)
	c.data[0] = 2
	return p.data[0] + c.data[0]
}

func lastByte() byte {
	c := &Chunk{}
	c.data[len(c.data)-1] = 7
	return c.data[len(c.data)-1]
}

func main() {
	println(firstByte(), lastByte())
}
