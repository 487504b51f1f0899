package main

// 64 KiB and 128 KiB variables still fit under the explicit-variable limit.
func fill64k() int {
	var buf [64 << 10]byte
	for i := range buf {
		buf[i] = byte(i)
	}
	return int(buf[len(buf)-1])
}

func fill128k() int {
	var words [16 << 10]int64
	for i := range words {
		words[i] = int64(i)
	}
	return int(words[100])
}

func main() {
	println(fill64k(), fill128k())
}
