// A small LRU cache: a map from key to node of a doubly linked list;
// hits move to the front, misses insert and evict the least recently used.
package main

import "fmt"

type entry struct {
	key        int
	value      string
	prev, next *entry
}

type LRU struct {
	cap        int
	items      map[int]*entry
	head, tail *entry // head: most recent
	hits, miss int
	evicted    int
}

func NewLRU(n int) *LRU { return &LRU{cap: n, items: make(map[int]*entry)} }

func (c *LRU) unlink(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (c *LRU) pushFront(e *entry) {
	e.next = c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
}

func (c *LRU) Get(k int) (string, bool) {
	if e, ok := c.items[k]; ok {
		c.unlink(e)
		c.pushFront(e)
		c.hits++
		return e.value, true
	}
	c.miss++
	return "", false
}

func (c *LRU) Put(k int, v string) {
	if e, ok := c.items[k]; ok {
		e.value = v
		c.unlink(e)
		c.pushFront(e)
		return
	}
	if len(c.items) >= c.cap {
		old := c.tail
		c.unlink(old)
		delete(c.items, old.key)
		c.evicted++
	}
	e := &entry{key: k, value: v}
	c.items[k] = e
	c.pushFront(e)
}

func (c *LRU) Keys() []int {
	var ks []int
	for e := c.head; e != nil; e = e.next {
		ks = append(ks, e.key)
	}
	return ks
}

func main() {
	c := NewLRU(3)
	c.Put(1, "one")
	c.Put(2, "two")
	c.Put(3, "three")
	c.Get(1)
	c.Put(4, "four")
	v, ok := c.Get(2)
	fmt.Printf("%q %v %v\n", v, ok, c.Keys())
	big := NewLRU(1000)
	x := uint32(7)
	for i := 0; i < 60000; i++ {
		x = x*1664525 + 1013904223
		k := int(x>>16) % 3000
		if _, ok := big.Get(k); !ok {
			big.Put(k, fmt.Sprint("v", k))
		}
	}
	fmt.Println("hits", big.hits, "misses", big.miss, "evicted", big.evicted, "len", len(big.items))
	fmt.Println(big.Keys()[:8])
}
