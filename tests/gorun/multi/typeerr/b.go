package main

func f() int {
	return x + y
}
