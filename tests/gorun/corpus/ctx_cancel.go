// Workers stopped by context cancellation and by a deadline; values carried down a context tree;
// errors.Is against context.Canceled and context.DeadlineExceeded.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

type ctxKey string

func worker(ctx context.Context, id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			results <- j * j
		}
	}
}

func slow(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	root := context.WithValue(context.Background(), ctxKey("request"), "r-42")
	ctx, cancel := context.WithCancel(root)
	jobs := make(chan int)
	results := make(chan int, 100)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(ctx, i, jobs, results, &wg)
	}
	for i := 1; i <= 20; i++ {
		jobs <- i
	}
	cancel()
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println("sum", sum, ctx.Err(), errors.Is(ctx.Err(), context.Canceled))
	fmt.Println("value", ctx.Value(ctxKey("request")), ctx.Value(ctxKey("missing")))

	tctx, tcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer tcancel()
	fmt.Println("fast", slow(tctx, 5*time.Millisecond))
	err := slow(tctx, time.Hour)
	fmt.Println("slow", err, errors.Is(err, context.DeadlineExceeded), err == context.DeadlineExceeded)
	_, has := tctx.Deadline()
	bg := context.Background()
	_, none := bg.Deadline()
	fmt.Println("deadline", has, none)

	parent, pcancel := context.WithCancel(context.Background())
	child, ccancel := context.WithTimeout(parent, time.Hour)
	defer ccancel()
	grand := context.WithValue(child, ctxKey("k"), 7)
	pcancel()
	<-grand.Done()
	fmt.Println("propagated", child.Err(), grand.Err(), grand.Value(ctxKey("k")), context.Cause(grand))
	fmt.Println(context.Background(), context.TODO())
}
