package main

import (
	"bufio"
	"strings"
)

// Collecting lines from a scanner into a growing slice.
func readLines(text string) ([]string, error) {
	sc := bufio.NewScanner(strings.NewReader(text))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

func main() {
	lines, err := readLines("one\ntwo\nthree\n")
	println(len(lines), err == nil)
}
