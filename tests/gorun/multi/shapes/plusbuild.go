// +build windows

package main

func init() { panic("a // +build windows file was compiled") }
