package main

type point struct{ x, y int }

// Struct keys and values are copied into the map.
func visitAll(moves string) int {
	seen := map[point]bool{{0, 0}: true}
	p := point{}
	for _, m := range moves {
		switch m {
		case 'U':
			p.y++
		case 'D':
			p.y--
		case 'L':
			p.x--
		case 'R':
			p.x++
		}
		seen[p] = true
	}
	return len(seen)
}

func main() {
	println(visitAll("URDLUURR"))
}
