// A FIFO queue on a slice (append at the back, reslice at the front), a
// ring buffer that grows by doubling, and a stack of structs.
package main

import "fmt"

type Ring struct {
	buf        []int
	head, size int
}

func (r *Ring) Push(v int) {
	if r.size == len(r.buf) {
		n := len(r.buf) * 2
		if n == 0 {
			n = 4
		}
		nb := make([]int, n)
		for i := 0; i < r.size; i++ {
			nb[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *Ring) Pop() int {
	v := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v
}

type frame struct {
	fn   string
	pc   int
	args [3]int
}

func main() {
	var q []string
	caps := []int{}
	for i := 0; i < 2000; i++ {
		q = append(q, fmt.Sprint("job", i))
		if i%3 == 2 {
			q = q[1:]
		}
		if len(caps) == 0 || caps[len(caps)-1] != cap(q) {
			caps = append(caps, cap(q))
		}
	}
	fmt.Println(len(q), q[0], caps)
	var r Ring
	out := 0
	for i := 0; i < 10000; i++ {
		r.Push(i)
		if i%4 == 3 {
			out += r.Pop() + r.Pop()
		}
	}
	fmt.Println(r.size, len(r.buf), out)
	var stack []frame
	depth := 0
	for i := 0; i < 5000; i++ {
		if i%7 < 4 {
			stack = append(stack, frame{fn: "f", pc: i, args: [3]int{i, i, i}})
		} else if len(stack) > 0 {
			stack = stack[:len(stack)-1]
		}
		depth = max(depth, len(stack))
	}
	fmt.Println(len(stack), cap(stack), depth, stack[len(stack)-1].pc)
}
