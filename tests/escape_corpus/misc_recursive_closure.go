package main

// A recursive closure needs a variable declared before the literal.
func countPaths(grid [][]bool) int {
	rows, cols := len(grid), len(grid[0])
	memo := map[[2]int]int{}
	var walk func(r, c int) int
	walk = func(r, c int) int {
		if r >= rows || c >= cols || grid[r][c] {
			return 0
		}
		if r == rows-1 && c == cols-1 {
			return 1
		}
		key := [2]int{r, c}
		if v, ok := memo[key]; ok {
			return v
		}
		v := walk(r+1, c) + walk(r, c+1)
		memo[key] = v
		return v
	}
	return walk(0, 0)
}

func main() {
	g := [][]bool{{false, false, false}, {false, true, false}, {false, false, false}}
	println(countPaths(g))
}
