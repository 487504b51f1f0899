package main

import (
	"errors"
	"fmt"
)

type NotFoundError struct {
	Key string
}

func (e *NotFoundError) Error() string { return "not found: " + e.Key }

func lookup(m map[string]int, key string) (int, error) {
	if v, ok := m[key]; ok {
		return v, nil
	}
	return 0, &NotFoundError{Key: key}
}

func validate(n int) error {
	if n < 0 {
		return fmt.Errorf("negative value %d", n)
	}
	return nil
}

func main() {
	_, err := lookup(map[string]int{"a": 1}, "b")
	var nf *NotFoundError
	println(errors.As(err, &nf), validate(-1) != nil)
}
