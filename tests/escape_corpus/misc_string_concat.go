package main

import "strconv"

// String concatenation allocates only when the result escapes.
func greeting(name string) string {
	return "hello, " + name + "!"
}

func keyLen(prefix string, id int) int {
	k := prefix + ":" + strconv.Itoa(id)
	return len(k)
}

func main() {
	println(greeting("gopher"), keyLen("user", 42))
}
