package main

func init() { panic("an _arm64.go file was compiled") }
