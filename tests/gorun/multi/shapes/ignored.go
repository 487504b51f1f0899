//go:build ignore

package main

func init() { panic("a //go:build ignore file was compiled") }
