package main

func init() { panic("a _windows.go file was compiled") }
