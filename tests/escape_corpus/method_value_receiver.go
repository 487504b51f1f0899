package main

type Vec struct{ X, Y, Z float64 }

func (v Vec) Add(o Vec) Vec       { return Vec{v.X + o.X, v.Y + o.Y, v.Z + o.Z} }
func (v Vec) Scale(k float64) Vec { return Vec{v.X * k, v.Y * k, v.Z * k} }
func (v Vec) Dot(o Vec) float64   { return v.X*o.X + v.Y*o.Y + v.Z*o.Z }

// Value receivers on a small struct: no escapes at all.
func main() {
	a := Vec{1, 2, 3}
	b := Vec{4, 5, 6}
	c := a.Add(b).Scale(0.5)
	println(c.Dot(a))
}
