package main

type Config struct {
	Debug bool
	Level int
}

var current *Config
var lastName string

// Assigning to package-level variables makes values escape.
func install(debug bool) {
	c := Config{Debug: debug, Level: 1}
	current = &c
}

func remember(name string) {
	lastName = name
}

func main() {
	install(true)
	remember("gopher")
	println(current.Debug, lastName)
}
