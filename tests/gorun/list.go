// A linked list and a few scalars: heap nodes, a stack object, a variable
// moved to the heap, integer wrap-around, division, shifts.
package main

import "fmt"

type Item struct {
	value int
	next  *Item
	seen  bool
}

func push(head *Item, v int) *Item {
	return &Item{value: v, next: head}
}

func (it *Item) sum() int {
	total := 0
	for p := it; p != nil; p = p.next {
		total += p.value
		p.seen = true
	}
	return total
}

func counter() *int {
	n := 0
	p := &n
	for i := 0; i < 10; i++ {
		*p += i
	}
	return p
}

func local() int {
	s := &Item{value: 7}
	s.value *= 6
	return s.value
}

func main() {
	var head *Item
	for i := 1; i <= 2000; i++ {
		head = push(head, i*i)
		if i%500 == 0 {
			fmt.Println("pushed", i, head.value)
		}
	}
	fmt.Printf("sum %d\n", head.sum())
	c := counter()
	fmt.Printf("counter %d local %d\n", *c, local())
	big := 9223372036854775807
	big++
	fmt.Println(big, -7/2, -7%2, 1<<10, -8>>1, head.seen)
	n := 0
	for i := 0; i < 100; i++ {
		if i%3 == 0 {
			continue
		}
		if i > 50 {
			break
		}
		n += i
	}
	fmt.Printf("%5d|%-4d|%03d|%x\n", n, 7, 5, 255)
}
