package main

type Logger struct {
	prefix string
	lines  int
}

func (l *Logger) Log(msg string) {
	l.lines++
	println(l.prefix + msg)
}

func run(step func(string)) {
	step("start")
	step("end")
}

var hook func(string)

// Method values bind their receiver.
func main() {
	l := Logger{prefix: "[app] "}
	run(l.Log)
	g := Logger{prefix: "[hook] "}
	hook = g.Log
	hook("installed")
	println(l.lines)
}
