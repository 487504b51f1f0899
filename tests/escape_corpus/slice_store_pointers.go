package main

type Item struct {
	Name  string
	Price int
}

// Storing pointers to locals in a slice that outlives the loop.
func collect(names []string) []*Item {
	var items []*Item
	for i, n := range names {
		it := Item{Name: n, Price: i * 10}
		items = append(items, &it)
	}
	return items
}

func main() {
	for _, it := range collect([]string{"pen", "ink"}) {
		println(it.Name, it.Price)
	}
}
