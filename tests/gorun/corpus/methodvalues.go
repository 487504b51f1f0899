// Method values (bound receivers: a copy for value receivers, the pointer
// for pointer receivers) and method expressions, passed as funcs.
package main

import "fmt"

type Counter struct {
	name string
	n    int
}

func (c *Counter) Inc()          { c.n++ }
func (c *Counter) Add(k int)     { c.n += k }
func (c Counter) Get() int       { return c.n }
func (c Counter) Label() string  { return fmt.Sprintf("%s=%d", c.name, c.n) }
func apply(f func(int), n int)   { for i := 0; i < n; i++ { f(i) } }
func call(fs ...func()) {
	for _, f := range fs {
		f()
	}
}

var kept []func() int

func main() {
	c := &Counter{name: "c"}
	inc := c.Inc
	inc()
	inc()
	fmt.Println(c.n)
	get := c.Get // binds a copy of *c now
	c.Inc()
	fmt.Println(get(), c.Get())
	add := c.Add
	apply(add, 10)
	fmt.Println(c.Label())
	label := (*c).Label
	c.n = 0
	fmt.Println(label(), c.Label())

	getE := Counter.Get
	incE := (*Counter).Inc
	v := Counter{name: "v", n: 5}
	incE(&v)
	fmt.Println(getE(v))

	cs := make([]*Counter, 3)
	var fs []func()
	for i := range cs {
		cs[i] = &Counter{name: fmt.Sprint("k", i)}
		fs = append(fs, cs[i].Inc, cs[i].Inc)
	}
	call(fs...)
	for _, k := range cs {
		fmt.Print(k.Label(), " ")
	}
	fmt.Println()
	total := 0
	for i := 0; i < 4000; i++ {
		k := Counter{n: i}
		f := k.Get
		g := (&k).Add
		g(1)
		total += f() + k.n
		if i%4 == 0 {
			kept = append(kept, k.Get, (&k).Get) // method values that outlive the loop: on the heap
		}
	}
	fmt.Println(total, len(kept))
	sum := 0
	for _, f := range kept {
		sum += f()
	}
	fmt.Println(sum)
}
