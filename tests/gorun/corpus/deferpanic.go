// defer / panic / recover: defer order (LIFO), deferred closures changing
// named results, recovering a nil map write, an index out of range, a
// divide by zero, a custom panic value and an error value; re-panics.
package main

import (
	"errors"
	"fmt"
)

type MyPanic struct{ Code int }

func order() {
	for i := 0; i < 4; i++ {
		defer fmt.Print(i, " ")
	}
	fmt.Print("body ")
}

func safe(name string, f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("%s recovered: %v", name, r)
			if e, ok := r.(error); ok {
				msg += " (error " + e.Error() + ")"
			}
		}
	}()
	f()
	return name + " ok"
}

func double(x int) (result int) {
	defer func() { result *= 2 }()
	return x + 1
}

func nested() (s string) {
	defer func() {
		r := recover()
		s = fmt.Sprint("outer got ", r)
	}()
	defer func() {
		r := recover()
		panic(fmt.Sprint("re-panic of ", r))
	}()
	panic("first")
}

func main() {
	order()
	fmt.Println()
	var m map[string]int
	fmt.Println(safe("nil map", func() { m["a"] = 1 }))
	xs := []int{1, 2, 3}
	i := 5
	fmt.Println(safe("index", func() { fmt.Println(xs[i]) }))
	zero := 0
	fmt.Println(safe("divide", func() { fmt.Println(10 / zero) }))
	fmt.Println(safe("custom", func() { panic(MyPanic{42}) }))
	fmt.Println(safe("error", func() { panic(errors.New("bad thing")) }))
	fmt.Println(safe("string", func() { panic("just a string") }))
	var p *MyPanic
	fmt.Println(safe("nil deref", func() { fmt.Println(p.Code) }))
	fmt.Println(safe("slice bounds", func() { j := 4; fmt.Println(xs[1:j]) }))
	var sh fmt.Stringer
	fmt.Println(safe("nil interface", func() { fmt.Println(sh.String()) }))
	var a any = "str"
	fmt.Println(safe("assert", func() { fmt.Println(a.(int)) }))
	fmt.Println(safe("fine", func() {}))
	fmt.Println(double(4), nested())
	fmt.Println(recover())
	n := 0
	for k := 0; k < 2000; k++ {
		func() {
			defer func() {
				if r := recover(); r != nil {
					n++
				}
			}()
			if k%3 == 0 {
				panic(MyPanic{k})
			}
		}()
	}
	fmt.Println("recovered", n)
}
