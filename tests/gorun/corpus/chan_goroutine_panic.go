// exit: 2
// A panic in a goroutine other than main ends the program with that goroutine's traceback.
package main

import (
	"fmt"
	"time"
)

func boom(xs []int, i int) int {
	return xs[i]
}

func main() {
	fmt.Println("start")
	go func() {
		boom([]int{1, 2, 3}, 7)
	}()
	time.Sleep(time.Second)
	fmt.Println("not reached")
}
