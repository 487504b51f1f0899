package main

import "strings"

// strings.Builder as a local: its methods take a pointer receiver.
func repeatJoin(word string, n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(word)
	}
	return sb.String()
}

func main() {
	println(repeatJoin("go", 3))
}
