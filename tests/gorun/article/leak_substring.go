// From go-gc-and-memory.zh.md, section "内存 / 内存泄露" (a substring keeps
// its whole backing string alive): completed with package main and a print of
// str1 (the snippet as written does not compile: str1 declared and not used).
package main

import "fmt"

func main() {
	var str0 = "12345678901234567890"
	str1 := str0[:10]
	fmt.Println(str1)
}
