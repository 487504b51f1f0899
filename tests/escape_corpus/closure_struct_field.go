package main

type Button struct {
	Label   string
	OnClick func()
}

// A closure stored in a struct that is returned escapes with it.
func newButton(label string, clicks *int) *Button {
	b := &Button{Label: label}
	b.OnClick = func() {
		*clicks++
	}
	return b
}

func main() {
	clicks := 0
	b := newButton("ok", &clicks)
	b.OnClick()
	b.OnClick()
	println(b.Label, clicks)
}
