package main

import "strings"

type Config struct {
	Name    string
	Retries int
	Tags    []string
}

func defaultConfig(name string) *Config {
	return &Config{Name: name, Retries: 3}
}

func withTags(c *Config, tags ...string) *Config {
	c.Tags = append(c.Tags, tags...)
	return c
}

func main() {
	cfg := withTags(defaultConfig("svc"), "a", "b")
	println(cfg.Name, strings.Join(cfg.Tags, ","))
}
