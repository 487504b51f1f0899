//go:build linux && (amd64 || arm64) && !windows && go1.21

package main

func init() { log = append(log, "init tagged.go") }
