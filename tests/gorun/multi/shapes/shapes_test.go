package main

func init() { panic("a _test.go file was compiled") }
