// Contexts of the program's own as parents: a struct embedding a Context (its cancelCtx is found
// through Value and the child linked to it), one with its own Done channel (a goroutine watches it),
// a type that implements every method itself, and one that schedules its children's cancellation
// through an AfterFunc method of its own.
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

type traced struct {
	context.Context
	name string
}

type key int

func (t traced) Value(k any) any {
	if k == key(0) {
		return t.name
	}
	return t.Context.Value(k)
}

// gate is done when its channel is closed.
type gate struct {
	context.Context
	ch chan struct{}
}

func (g gate) Done() <-chan struct{} { return g.ch }

func (g gate) Err() error {
	select {
	case <-g.ch:
		return errGate
	default:
		return nil
	}
}

var errGate = errors.New("gate closed")

// manual implements Context from scratch.
type manual struct {
	ch       chan struct{}
	err      error
	deadline time.Time
	has      bool
}

func (m *manual) Deadline() (time.Time, bool) { return m.deadline, m.has }
func (m *manual) Done() <-chan struct{}       { return m.ch }
func (m *manual) Err() error                  { return m.err }
func (m *manual) Value(k any) any             { return nil }
func (m *manual) String() string              { return "manual" }
func (m *manual) stop(err error)              { m.err = err; close(m.ch) }

// hooked hides its cancelCtx from Value and offers AfterFunc instead.
type hooked struct {
	context.Context
	calls *int
}

func (h hooked) Value(k any) any { return "hooked" }

func (h hooked) AfterFunc(f func()) func() bool {
	*h.calls++
	return context.AfterFunc(h.Context, f)
}

func main() {
	base, cancel := context.WithCancel(context.Background())
	tr := traced{base, "req-1"}
	child, ccancel := context.WithCancel(tr)
	defer ccancel()
	fmt.Println("traced value", child.Value(key(0)), child)
	before := runtime.NumGoroutine()
	cancel()
	<-child.Done()
	fmt.Println("traced", child.Err(), context.Cause(child), runtime.NumGoroutine()-before)

	g := gate{context.Background(), make(chan struct{})}
	var kids []context.Context
	var cancels []context.CancelFunc
	for i := 0; i < 50; i++ {
		k, kc := context.WithCancel(g)
		kids = append(kids, k)
		cancels = append(cancels, kc)
	}
	runtime.Gosched()
	fmt.Println("watchers", runtime.NumGoroutine())
	for i := 0; i < 10; i++ {
		cancels[i]()
	}
	time.Sleep(time.Millisecond)
	fmt.Println("after 10 canceled", runtime.NumGoroutine())
	close(g.ch)
	for _, k := range kids {
		<-k.Done()
	}
	time.Sleep(time.Millisecond)
	fmt.Println("gate", kids[0].Err(), kids[10].Err(), context.Cause(kids[10]), runtime.NumGoroutine())
	for _, c := range cancels {
		c()
	}

	m := &manual{ch: make(chan struct{})}
	tctx, tcancel := context.WithTimeout(m, time.Hour)
	defer tcancel()
	v := context.WithValue(tctx, key(1), "v")
	fmt.Println("manual", v.Value(key(1)), v.Value(key(2)))
	m.stop(errors.New("manual stop"))
	<-v.Done()
	fmt.Println("manual done", v.Err(), context.Cause(v))

	m2 := &manual{ch: make(chan struct{}), deadline: time.Now().Add(time.Minute), has: true}
	later, lcancel := context.WithTimeout(m2, time.Hour)
	d, ok := later.Deadline()
	fmt.Println("earlier parent deadline", ok, !d.Before(m2.deadline) && !m2.deadline.Before(d), later)
	lcancel()
	fmt.Println("left", later.Err(), m2.Err())
	time.Sleep(time.Millisecond)
	fmt.Println("goroutines", runtime.NumGoroutine())

	n := 0
	hb, hcancel := context.WithCancel(context.Background())
	h := hooked{hb, &n}
	h1, hc1 := context.WithCancel(h)
	h2, hc2 := context.WithCancel(h)
	fmt.Println("hooked", n, runtime.NumGoroutine(), h1, h1.Value(1))
	hc2()
	fmt.Println("hooked one canceled", h2.Err(), h1.Err())
	hcancel()
	<-h1.Done()
	fmt.Println("hooked done", h1.Err(), context.Cause(h1))
	hc1()
	for i := 0; i < 100; i++ {
		p, pc := context.WithCancel(context.Background())
		c, f := context.WithCancel(hooked{p, &n})
		if i%2 == 0 {
			f()
		}
		pc()
		<-c.Done()
	}
	fmt.Println("hooked calls", n)
}
