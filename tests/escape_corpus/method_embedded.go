package main

type Base struct {
	ID   int
	Tags []string
}

func (b *Base) Tag(t string) { b.Tags = append(b.Tags, t) }
func (b Base) Key() int      { return b.ID * 31 }

type Document struct {
	Base
	Title string
}

// Promoted methods from an embedded struct.
func main() {
	d := Document{Base: Base{ID: 4}, Title: "notes"}
	d.Tag("draft")
	d.Tag("todo")
	println(d.Key(), len(d.Tags), d.Title)
}
