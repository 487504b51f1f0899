package main

// A fixed-capacity ring buffer backed by an array field.
type Ring struct {
	buf   [8]int
	start int
	n     int
}

func (r *Ring) Push(v int) {
	r.buf[(r.start+r.n)%len(r.buf)] = v
	if r.n < len(r.buf) {
		r.n++
	} else {
		r.start = (r.start + 1) % len(r.buf)
	}
}

func (r *Ring) Snapshot() []int {
	out := make([]int, 0, r.n)
	for i := 0; i < r.n; i++ {
		out = append(out, r.buf[(r.start+i)%len(r.buf)])
	}
	return out
}

func main() {
	var r Ring
	for i := 0; i < 11; i++ {
		r.Push(i)
	}
	println(len(r.Snapshot()), r.Snapshot()[0])
}
