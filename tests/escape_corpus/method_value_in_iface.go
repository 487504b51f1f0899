package main

type Animal interface {
	Sound() string
}

type Dog struct{ name string }
type Cat struct{ name string }

func (d Dog) Sound() string  { return d.name + ": woof" }
func (c *Cat) Sound() string { return c.name + ": meow" }

// Value and pointer receivers stored in an interface slice.
func chorus(as []Animal) int {
	n := 0
	for _, a := range as {
		n += len(a.Sound())
	}
	return n
}

func main() {
	d := Dog{"rex"}
	c := Cat{"tom"}
	println(chorus([]Animal{d, &c}))
}
