package main

type Node struct {
	Name     string
	Parent   *Node
	Children []*Node
}

// AddChild stores its argument inside the receiver's slice.
func (n *Node) AddChild(c *Node) {
	c.Parent = n
	n.Children = append(n.Children, c)
}

func (n *Node) Depth() int {
	d := 0
	for p := n.Parent; p != nil; p = p.Parent {
		d++
	}
	return d
}

func main() {
	root := &Node{Name: "root"}
	kid := &Node{Name: "kid"}
	root.AddChild(kid)
	println(kid.Depth())
}
