// copy: between slices, overlapping ranges, from a string into []byte,
// into a shorter destination; clone by copy versus sharing.
package main

import "fmt"

func main() {
	src := []int{1, 2, 3, 4, 5, 6, 7, 8}
	dst := make([]int, 5)
	n := copy(dst, src)
	fmt.Println(n, dst)
	n = copy(src[2:], src) // overlapping, forwards
	fmt.Println(n, src)
	src = []int{1, 2, 3, 4, 5, 6, 7, 8}
	n = copy(src, src[3:]) // overlapping, backwards
	fmt.Println(n, src)

	b := make([]byte, 8)
	n = copy(b, "hello, world")
	fmt.Println(n, string(b), b)

	// clone vs share
	orig := []string{"a", "b", "c"}
	shared := orig
	clone := make([]string, len(orig))
	copy(clone, orig)
	orig[0] = "z"
	fmt.Println(shared, clone)

	// growing a buffer by copying into bigger ones
	buf := make([]int, 0, 1)
	for i := 0; i < 5000; i++ {
		if len(buf) == cap(buf) {
			bigger := make([]int, len(buf), 2*cap(buf)+1)
			copy(bigger, buf)
			buf = bigger
		}
		buf = buf[:len(buf)+1]
		buf[len(buf)-1] = i
	}
	fmt.Println(len(buf), cap(buf), buf[4999])

	// many small copies
	total := 0
	for i := 0; i < 4000; i++ {
		part := make([]byte, i%64+1)
		total += copy(part, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?")
	}
	fmt.Println("copied", total)
	var empty []int
	fmt.Println(copy(empty, src), copy(src, empty), src)
}
