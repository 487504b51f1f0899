package main

type Table struct {
	rows []string
}

//go:noinline
func (t *Table) Set(i int, s string) {
	for len(t.rows) <= i {
		t.rows = append(t.rows, "")
	}
	t.rows[i] = s
}

//go:noinline
func (t *Table) Get(i int) string {
	return t.rows[i]
}

//go:noinline
func lookup(t *Table, i int) string {
	return t.Get(i)
}
