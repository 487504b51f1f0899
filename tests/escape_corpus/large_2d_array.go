package main

// Two-dimensional arrays as local variables.
func blurSum() int {
	var img [512][512]byte
	for y := range img {
		for x := range img[y] {
			img[y][x] = byte(x ^ y)
		}
	}
	return int(img[100][200])
}

func smallGrid() int {
	var g [100][100]int
	for i := range g {
		g[i][i] = i
	}
	return g[99][99]
}

func main() {
	println(blurSum(), smallGrid())
}
