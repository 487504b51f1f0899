// A pointer graph: vertices with adjacency slices of pointers, BFS
// distances, DFS reachability, cycles through pointers.
package main

import "fmt"

type Vertex struct {
	ID    int
	Edges []*Vertex
	Dist  int
	Seen  bool
}

func grid(w, h int) []*Vertex {
	vs := make([]*Vertex, w*h)
	for i := range vs {
		vs[i] = &Vertex{ID: i, Dist: -1}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := vs[y*w+x]
			if x+1 < w && (x*7+y*3)%5 != 1 {
				v.Edges = append(v.Edges, vs[y*w+x+1])
				vs[y*w+x+1].Edges = append(vs[y*w+x+1].Edges, v)
			}
			if y+1 < h && (x*3+y*11)%7 != 2 {
				v.Edges = append(v.Edges, vs[(y+1)*w+x])
				vs[(y+1)*w+x].Edges = append(vs[(y+1)*w+x].Edges, v)
			}
		}
	}
	return vs
}

func bfs(start *Vertex) int {
	start.Dist = 0
	queue := []*Vertex{start}
	far := 0
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range v.Edges {
			if e.Dist < 0 {
				e.Dist = v.Dist + 1
				if e.Dist > far {
					far = e.Dist
				}
				queue = append(queue, e)
			}
		}
	}
	return far
}

func dfs(v *Vertex) int {
	if v.Seen {
		return 0
	}
	v.Seen = true
	n := 1
	for _, e := range v.Edges {
		n += dfs(e)
	}
	return n
}

func main() {
	for _, size := range []int{5, 20, 60, 120} {
		vs := grid(size, size)
		far := bfs(vs[0])
		reach := dfs(vs[0])
		unreached := 0
		for _, v := range vs {
			if v.Dist < 0 {
				unreached++
			}
		}
		edges := 0
		for _, v := range vs {
			edges += len(v.Edges)
		}
		fmt.Printf("grid %dx%d: edges %d farthest %d reachable %d unreached %d last dist %d\n",
			size, size, edges/2, far, reach, unreached, vs[len(vs)-1].Dist)
	}
	// a ring of vertices pointing at each other
	ring := make([]*Vertex, 1000)
	for i := range ring {
		ring[i] = &Vertex{ID: i, Dist: -1}
	}
	for i, v := range ring {
		v.Edges = []*Vertex{ring[(i+1)%len(ring)]}
	}
	p := ring[0]
	for i := 0; i < 2500; i++ {
		p = p.Edges[0]
	}
	fmt.Println("ring walk ends at", p.ID, "dfs", dfs(ring[3]))
}
