package main

import (
	"fmt"
	"strings"
)

type Order struct {
	ID    int
	Items []string
	Total float64
}

func summary(o *Order) string {
	return fmt.Sprintf("order %d: %s (%.2f)", o.ID, strings.Join(o.Items, ", "), o.Total)
}

func main() {
	o := Order{ID: 7, Items: []string{"tea", "cake"}, Total: 6.5}
	s := summary(&o)
	fmt.Println(s)
}
