package main

type Inner struct{ V int }
type Outer struct{ In *Inner }

var sink *Inner

// Leaking only what a pointer points to.
func keepInner(o *Outer) {
	sink = o.In
}

func readInner(o *Outer) int {
	return o.In.V
}

func main() {
	in := Inner{V: 5}
	o := Outer{In: &in}
	println(readInner(&o))
	keepInner(&o)
}
