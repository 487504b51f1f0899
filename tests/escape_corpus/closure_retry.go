package main

import "errors"

var errTransient = errors.New("transient")

// retry calls fn until it succeeds or attempts run out.
func retry(attempts int, fn func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(); err == nil {
			return nil
		}
	}
	return err
}

func main() {
	calls := 0
	err := retry(5, func() error {
		calls++
		if calls < 3 {
			return errTransient
		}
		return nil
	})
	println(calls, err == nil)
}
