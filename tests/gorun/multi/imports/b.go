package main

func g() string {
	return strings.ToLower("B")
}
