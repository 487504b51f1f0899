package main

type Entry struct {
	Key   string
	Value int
}

// Appending addresses of locals to a slice that is returned.
func entries(m map[string]int) []*Entry {
	out := make([]*Entry, 0, len(m))
	for k, v := range m {
		e := &Entry{Key: k, Value: v}
		out = append(out, e)
	}
	return out
}

func total(es []*Entry) int {
	t := 0
	for _, e := range es {
		t += e.Value
	}
	return t
}

func main() {
	println(total(entries(map[string]int{"a": 1, "b": 2})))
}
