// args: -n 5 hello "two words" 42
// os.Args: the program's arguments as given (os.Args[0] is not printed:
// it is the binary's path), parsed by hand and with strconv.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	args := os.Args[1:]
	fmt.Println(len(args), len(os.Args) > 0)
	for i, a := range args {
		fmt.Printf("%d %q\n", i, a)
	}
	n := 1
	var rest []string
	for i := 0; i < len(args); i++ {
		if args[i] == "-n" && i+1 < len(args) {
			v, err := strconv.Atoi(args[i+1])
			if err == nil {
				n = v
			}
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	for i := 0; i < n; i++ {
		fmt.Println(strings.Repeat("=", i+1), strings.Join(rest, "|"))
	}
}
