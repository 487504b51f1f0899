package main

// Appending to a parameter slice: the caller's elements may flow into the result.
func addUnique(set []string, s string) []string {
	for _, x := range set {
		if x == s {
			return set
		}
	}
	return append(set, s)
}

func main() {
	var set []string
	for _, w := range []string{"a", "b", "a", "c"} {
		set = addUnique(set, w)
	}
	println(len(set))
}
