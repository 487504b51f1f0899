// exit: 3
// os.Exit(3) after printing: the status is the program's, deferred calls
// do not run, output already written stays.
package main

import (
	"fmt"
	"os"
)

func main() {
	defer fmt.Println("never printed")
	total := 0
	words := []string{}
	for i := 0; i < 1000; i++ {
		words = append(words, fmt.Sprint("w", i))
		total += len(words[i])
	}
	fmt.Println("about to exit", total, len(words))
	fmt.Fprintln(os.Stderr, "to stderr before exit")
	os.Exit(3)
}
