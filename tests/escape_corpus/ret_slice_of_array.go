package main

// Slicing a local array and returning the slice moves the array to the heap.
func digits(n int) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return buf[i:]
}

func digitCount(n int) int {
	var buf [20]byte
	s := buf[:0]
	for ; n > 0; n /= 10 {
		s = append(s, byte('0'+n%10))
	}
	return len(s)
}

func main() {
	println(string(digits(12345)), digitCount(987))
}
