package main

func init() { panic("a file whose name starts with _ was compiled") }
