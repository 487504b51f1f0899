package main

type node struct {
	val  int
	next *node
}

type list struct {
	head *node
	size int
}

// Nodes allocated in one method and linked into the receiver escape.
func (l *list) push(v int) {
	l.head = &node{val: v, next: l.head}
	l.size++
}

func (l *list) sum() int {
	s := 0
	for n := l.head; n != nil; n = n.next {
		s += n.val
	}
	return s
}

func main() {
	var l list
	for i := 1; i <= 5; i++ {
		l.push(i)
	}
	println(l.sum(), l.size)
}
