package main

// An explicit variable larger than 128 KiB does not fit on the stack.
func checksum(seed byte) byte {
	var buf [256 << 10]byte
	for i := range buf {
		buf[i] = seed + byte(i)
	}
	var x byte
	for _, b := range buf {
		x ^= b
	}
	return x
}

// One byte over the limit.
func justOver() byte {
	var buf [128<<10 + 1]byte
	buf[len(buf)-1] = 9
	return buf[len(buf)-1]
}

func main() {
	println(checksum(3), justOver())
}
