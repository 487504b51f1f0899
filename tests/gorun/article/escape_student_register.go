// From go-gc-and-memory.zh.md, section "内存 / 逃逸分析" (new(Student) escapes
// because its pointer is returned): completed with package main and import "fmt".
package main

import "fmt"

type Student struct {
	Name string
	Age  int
}

func StudentRegister(name string, age int) *Student {
	s := new(Student) //局部变量s逃逸到堆
	s.Name = name
	s.Age = age
	return s
}

func main() {
	fmt.Println(StudentRegister("Jim", 18))
}
