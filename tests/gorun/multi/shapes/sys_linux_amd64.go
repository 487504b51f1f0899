package main

func init() { log = append(log, "init sys_linux_amd64.go") }
