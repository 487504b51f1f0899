// context.AfterFunc: f runs in its own goroutine once the context is done; stop unregisters it;
// an AfterFunc on a context already done starts at once; one on a context that is never done waits.
package main

import (
	"context"
	"fmt"
	"sync"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan string, 4)
	stop1 := context.AfterFunc(ctx, func() { ran <- "first" })
	stop2 := context.AfterFunc(ctx, func() { ran <- "second" })
	fmt.Println("stop2", stop2(), stop2())
	cancel()
	fmt.Println("ran", <-ran)
	fmt.Println("stop1 after run", stop1())

	done, dcancel := context.WithCancel(context.Background())
	dcancel()
	context.AfterFunc(done, func() { ran <- "already done" })
	fmt.Println("ran", <-ran)

	never := context.AfterFunc(context.Background(), func() { panic("never runs") })
	fmt.Println("background stop", never())
	wc, wcancel := context.WithCancel(context.Background())
	without := context.WithoutCancel(wc)
	s := context.AfterFunc(without, func() { panic("never runs either") })
	wcancel()
	fmt.Println("without stop", s())

	// a child of an AfterFunc'd context still gets canceled with it
	parent, pcancel := context.WithCancel(context.Background())
	child, ccancel := context.WithCancel(parent)
	defer ccancel()
	var wg sync.WaitGroup
	wg.Add(1)
	context.AfterFunc(child, func() {
		defer wg.Done()
		fmt.Println("child done", child.Err())
	})
	pcancel()
	wg.Wait()

	// many: every other one stopped before the cancel
	root, rcancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	count := 0
	var stops []func() bool
	for i := 0; i < 300; i++ {
		wg.Add(1)
		stops = append(stops, context.AfterFunc(root, func() {
			mu.Lock()
			count++
			mu.Unlock()
			wg.Done()
		}))
	}
	stopped := 0
	for i := 0; i < len(stops); i += 2 {
		if stops[i]() {
			stopped++
			wg.Done()
		}
	}
	rcancel()
	wg.Wait()
	fmt.Println("stopped", stopped, "ran", count)
}
