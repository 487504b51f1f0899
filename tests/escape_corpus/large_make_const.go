package main

// make() with a constant size: small stays, over 64 KiB escapes.
func smallBuf() int {
	b := make([]byte, 1024)
	b[0] = 1
	return len(b)
}

func bigBuf() int {
	b := make([]byte, 1<<20)
	b[0] = 1
	return len(b)
}

func exactlyLimit() int {
	b := make([]int64, 8192)
	c := make([]int64, 8193)
	return len(b) + len(c)
}

func main() {
	println(smallBuf(), bigBuf(), exactlyLimit())
}
