package main

type state int

const (
	idle state = iota
	running
	stopped
)

type Machine struct {
	st      state
	history []state
}

func (m *Machine) transition(to state) bool {
	if m.st == stopped {
		return false
	}
	m.history = append(m.history, m.st)
	m.st = to
	return true
}

func (m *Machine) Start() bool { return m.transition(running) }
func (m *Machine) Stop() bool  { return m.transition(stopped) }

// Driving a state machine through a table of method expressions.
func main() {
	var m Machine
	steps := []func(*Machine) bool{(*Machine).Start, (*Machine).Stop, (*Machine).Start}
	for _, step := range steps {
		println(step(&m))
	}
	println(len(m.history))
}
