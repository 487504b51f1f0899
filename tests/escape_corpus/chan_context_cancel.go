package main

import (
	"context"
	"time"
)

// A generator goroutine stopped through context cancellation.
func counter(ctx context.Context) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	sum := 0
	for v := range counter(ctx) {
		if v == 5 {
			cancel()
			break
		}
		sum += v
	}
	println(sum)
}
