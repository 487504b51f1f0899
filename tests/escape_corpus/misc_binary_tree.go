package main

type Tree struct {
	Left, Right *Tree
	Key         int
}

// Insert returns the (possibly new) root: nodes escape through the result.
func Insert(t *Tree, k int) *Tree {
	if t == nil {
		return &Tree{Key: k}
	}
	if k < t.Key {
		t.Left = Insert(t.Left, k)
	} else {
		t.Right = Insert(t.Right, k)
	}
	return t
}

func Height(t *Tree) int {
	if t == nil {
		return 0
	}
	l, r := Height(t.Left), Height(t.Right)
	if l > r {
		return l + 1
	}
	return r + 1
}

func main() {
	var root *Tree
	for _, k := range []int{5, 3, 8, 1, 4} {
		root = Insert(root, k)
	}
	println(Height(root))
}
