// Cancellation causes: WithCancelCause, WithTimeoutCause, WithDeadlineCause and Cause down a context
// tree; WithoutCancel; the String of each kind of context as fmt prints it.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type reqKey string

type user struct{ name string }

func (u user) String() string { return "user:" + u.name }

var errShutdown = errors.New("shutdown")

func tree(n int) (sum int) {
	root, stop := context.WithCancelCause(context.Background())
	var leaves []context.Context
	for i := 0; i < n; i++ {
		mid := context.WithValue(root, reqKey("id"), i)
		leaf, cancel := context.WithCancelCause(mid)
		if i%3 == 0 {
			cancel(fmt.Errorf("leaf %d done", i))
		}
		leaves = append(leaves, leaf)
	}
	stop(errShutdown)
	for i, l := range leaves {
		c := context.Cause(l)
		if errors.Is(c, errShutdown) {
			sum += i
		}
		if l.Err() != context.Canceled {
			panic("not canceled")
		}
	}
	return sum
}

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	fmt.Println("before", ctx.Err(), context.Cause(ctx))
	cancel(errShutdown)
	cancel(errors.New("ignored"))
	fmt.Println("after", ctx.Err(), context.Cause(ctx), errors.Is(context.Cause(ctx), errShutdown))

	plain, pcancel := context.WithCancelCause(context.Background())
	pcancel(nil)
	fmt.Println("nil cause", context.Cause(plain))

	child, ccancel := context.WithCancel(context.WithValue(ctx, reqKey("r"), "x"))
	defer ccancel()
	fmt.Println("inherited", child.Err(), context.Cause(child))

	slow := errors.New("too slow")
	tctx, tcancel := context.WithTimeoutCause(context.Background(), 5*time.Millisecond, slow)
	defer tcancel()
	<-tctx.Done()
	fmt.Println("timeout", tctx.Err(), context.Cause(tctx))

	past, dcancel := context.WithDeadlineCause(context.Background(), time.Now().Add(-time.Second), slow)
	defer dcancel()
	fmt.Println("past deadline", past.Err(), context.Cause(past))

	early, ecancel := context.WithTimeoutCause(context.Background(), time.Hour, slow)
	ecancel()
	fmt.Println("canceled first", early.Err(), context.Cause(early))

	vctx := context.WithValue(context.Background(), reqKey("user"), user{"ann"})
	wc := context.WithoutCancel(vctx)
	_, has := wc.Deadline()
	fmt.Println("without", wc.Value(reqKey("user")), wc.Done() == nil, wc.Err(), has, context.Cause(wc))
	under, ucancel := context.WithCancel(wc)
	ucancel()
	fmt.Println("under without", under.Err(), context.Cause(under))

	fmt.Println(context.Background(), context.TODO())
	fmt.Println(ctx)
	fmt.Println(vctx)
	fmt.Println(wc)
	fmt.Println(context.WithValue(ctx, 7, errShutdown))
	fmt.Printf("%v|%s\n", under, context.WithValue(context.TODO(), "k", nil))

	total := 0
	for r := 0; r < 20; r++ {
		total += tree(30)
	}
	fmt.Println("tree", total)
}
