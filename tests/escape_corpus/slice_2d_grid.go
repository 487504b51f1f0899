package main

// A 2D grid built from a slice of slices.
func newGrid(w, h int) [][]byte {
	g := make([][]byte, h)
	for y := range g {
		g[y] = make([]byte, w)
		for x := range g[y] {
			g[y][x] = '.'
		}
	}
	return g
}

func countMarks(g [][]byte) int {
	n := 0
	for _, row := range g {
		for _, c := range row {
			if c == '#' {
				n++
			}
		}
	}
	return n
}

func main() {
	g := newGrid(4, 3)
	g[1][2] = '#'
	println(countMarks(g))
}
