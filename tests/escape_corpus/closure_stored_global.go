package main

var handlers []func() string

// Registering closures in a global slice makes them (and their captures) escape.
func register(name string, calls *int) {
	handlers = append(handlers, func() string {
		*calls++
		return name
	})
}

func main() {
	calls := 0
	register("a", &calls)
	register("b", &calls)
	for _, h := range handlers {
		println(h())
	}
	println(calls)
}
