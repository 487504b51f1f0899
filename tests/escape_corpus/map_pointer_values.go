package main

type User struct {
	Name  string
	Email string
}

// Pointers stored as map values: the users escape.
func index(names []string) map[string]*User {
	m := make(map[string]*User, len(names))
	for _, n := range names {
		u := User{Name: n, Email: n + "@example.com"}
		m[n] = &u
	}
	return m
}

func main() {
	m := index([]string{"ann", "bob"})
	println(m["bob"].Email)
}
