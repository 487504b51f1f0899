package main

// A memoizing wrapper: the cache map is captured by the returned closure.
func memoize(f func(int) int) func(int) int {
	cache := make(map[int]int)
	return func(n int) int {
		if v, ok := cache[n]; ok {
			return v
		}
		v := f(n)
		cache[n] = v
		return v
	}
}

func square(n int) int { return n * n }

func main() {
	sq := memoize(square)
	println(sq(4), sq(4), sq(5))
}
