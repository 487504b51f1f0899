package main

import (
	"errors"
	"fmt"
)

type ValidationError struct {
	Field string
	Issue string
}

func (e ValidationError) Error() string {
	return e.Field + ": " + e.Issue
}

type User struct {
	Name string
	Age  int
}

// validate returns a value-typed error, converted to the error interface.
func validate(u *User) error {
	if u.Name == "" {
		return ValidationError{Field: "name", Issue: "required"}
	}
	if u.Age < 0 {
		return ValidationError{Field: "age", Issue: fmt.Sprint("negative: ", u.Age)}
	}
	return nil
}

func main() {
	u := User{Age: -1}
	err := validate(&u)
	var ve ValidationError
	if errors.As(err, &ve) {
		println(ve.Field)
	}
}
