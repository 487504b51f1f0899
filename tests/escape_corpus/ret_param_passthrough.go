package main

type Node struct {
	Val  int
	Next *Node
}

// last returns one of the nodes it was given: the parameter leaks to the result.
func last(n *Node) *Node {
	for n.Next != nil {
		n = n.Next
	}
	return n
}

func first(a, b *Node) *Node {
	if a != nil {
		return a
	}
	return b
}

func main() {
	c := Node{Val: 3}
	b := Node{Val: 2, Next: &c}
	a := Node{Val: 1, Next: &b}
	println(last(&a).Val, first(nil, &b).Val)
}
