package main

import "os"

// Deferred closures at the top level of a function do not escape.
func process(name string) (err error) {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	buf := make([]byte, 16)
	_, err = f.Read(buf)
	return err
}

func main() {
	if err := process("/etc/hostname"); err != nil {
		println("error")
	}
}
