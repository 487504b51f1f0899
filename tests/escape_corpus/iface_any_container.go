package main

// A stack of any values: storing into an interface slice.
type Stack struct {
	items []any
}

func (s *Stack) Push(v any) {
	s.items = append(s.items, v)
}

func (s *Stack) Pop() any {
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v
}

func main() {
	var s Stack
	s.Push(1)
	s.Push("two")
	x := 3.0
	s.Push(&x)
	println(s.Pop().(*float64) != nil, len(s.items))
}
