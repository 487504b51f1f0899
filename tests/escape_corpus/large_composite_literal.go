package main

type Table struct {
	rows [10000]int64
}

// A composite literal larger than 64 KiB whose address is taken.
func build() int64 {
	t := &Table{}
	for i := range t.rows {
		t.rows[i] = int64(i)
	}
	return t.rows[9999]
}

func small() int64 {
	t := &struct{ rows [100]int64 }{}
	t.rows[5] = 5
	return t.rows[5]
}

func main() {
	println(build(), small())
}
