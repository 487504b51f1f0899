package main

// A two-level map: inner maps are created on demand.
type Graph struct {
	edges map[string]map[string]int
}

func NewGraph() *Graph {
	return &Graph{edges: make(map[string]map[string]int)}
}

func (g *Graph) AddEdge(from, to string, w int) {
	inner, ok := g.edges[from]
	if !ok {
		inner = make(map[string]int)
		g.edges[from] = inner
	}
	inner[to] = w
}

func (g *Graph) Weight(from, to string) int {
	return g.edges[from][to]
}

func main() {
	g := NewGraph()
	g.AddEdge("a", "b", 3)
	g.AddEdge("a", "c", 5)
	println(g.Weight("a", "c"))
}
