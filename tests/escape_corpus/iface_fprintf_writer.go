package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

type Row struct {
	Name  string
	Score int
}

// Writing a table to any io.Writer.
func render(w io.Writer, rows []Row) {
	for _, r := range rows {
		fmt.Fprintf(w, "%-8s %3d\n", r.Name, r.Score)
	}
}

func main() {
	rows := []Row{{"ann", 91}, {"bob", 78}}
	render(os.Stdout, rows)
	var sb strings.Builder
	render(&sb, rows)
	fmt.Println(sb.Len())
}
