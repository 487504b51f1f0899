// exit: 2
// The main goroutine waits for a value nobody sends: Go's deadlock report.
package main

import "fmt"

func main() {
	c := make(chan int)
	go func() {
		fmt.Println("sender forgot to send")
	}()
	fmt.Println(<-c)
}
