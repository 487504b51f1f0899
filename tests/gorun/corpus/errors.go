// Errors: errors.New, fmt.Errorf with %w (wrapping chains), errors.Is,
// errors.As to a custom type, errors.Unwrap, errors.Join, nil errors.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

var ErrNotFound = errors.New("not found")

type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

type Temporary interface{ Temporary() bool }

type netErr struct{ code int }

func (e netErr) Error() string   { return fmt.Sprintf("net error %d", e.code) }
func (e netErr) Temporary() bool { return e.code < 500 }

func find(m map[string]int, k string) (int, error) {
	if v, ok := m[k]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("find %q: %w", k, ErrNotFound)
}

func parse(lines []string) error {
	for i, l := range lines {
		if _, err := strconv.Atoi(l); err != nil {
			return fmt.Errorf("parse: %w", &ParseError{Line: i + 1, Msg: err.Error()})
		}
	}
	return nil
}

func main() {
	m := map[string]int{"a": 1}
	_, err := find(m, "b")
	fmt.Println(err)
	fmt.Println(errors.Is(err, ErrNotFound), errors.Unwrap(err) == ErrNotFound)
	wrapped := fmt.Errorf("layer 2: %w", fmt.Errorf("layer 1: %w", err))
	fmt.Println(wrapped, errors.Is(wrapped, ErrNotFound))
	v, err := find(m, "a")
	fmt.Println(v, err, err == nil)

	err = parse([]string{"1", "2", "x3"})
	var pe *ParseError
	if errors.As(err, &pe) {
		fmt.Println("as:", pe.Line, pe.Msg)
	}
	fmt.Println(err)
	fmt.Println(parse([]string{"5"}) == nil)

	var e error = netErr{404}
	var t Temporary
	fmt.Println(errors.As(fmt.Errorf("ctx: %w", e), &t), t.Temporary())
	joined := errors.Join(ErrNotFound, netErr{503}, nil)
	fmt.Println(joined)
	fmt.Println(errors.Is(joined, ErrNotFound))
	fmt.Printf("%v|%s|%q\n", e, e, e)
	n := 0
	for i := 0; i < 3000; i++ {
		err := fmt.Errorf("attempt %d: %w", i, netErr{i % 600})
		var ne netErr
		if errors.As(err, &ne) && ne.Temporary() {
			n++
		}
	}
	fmt.Println("temporary", n)
}
