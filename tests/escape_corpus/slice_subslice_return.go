package main

// Returning a subslice of a parameter: the parameter leaks to the result.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

func firstWord(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s
}

func main() {
	buf := []byte("  padded  ")
	println(string(trimSpace(buf)), firstWord("hello world"))
}
