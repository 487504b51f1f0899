// Struct embedding: promoted fields and methods, shadowing, embedded
// pointers, interfaces satisfied through an embedded type, embedded interfaces.
package main

import (
	"fmt"
	"strings"
)

type Animal struct {
	Name string
	Legs int
}

func (a Animal) Describe() string { return fmt.Sprintf("%s has %d legs", a.Name, a.Legs) }
func (a *Animal) Rename(n string)  { a.Name = n }
func (a Animal) Sound() string     { return "..." }

type Dog struct {
	Animal
	Breed string
}

func (d Dog) Sound() string { return "woof" }

type Logger struct {
	prefix string
	lines  []string
}

func (l *Logger) Log(s string) { l.lines = append(l.lines, l.prefix+s) }

type Service struct {
	*Logger
	Name string
}

type Sounder interface{ Sound() string }

type Loud struct{ Sounder }

func (l Loud) Sound() string { return strings.ToUpper(l.Sounder.Sound()) + "!" }

type Base struct{ ID int }
type Mid struct {
	Base
	ID string // shadows Base.ID
}
type Top struct{ Mid }

func main() {
	d := Dog{Animal{"Rex", 4}, "lab"}
	fmt.Println(d.Describe(), d.Name, d.Legs, d.Sound(), d.Animal.Sound())
	d.Rename("Max")
	fmt.Println(d.Name, d.Animal.Name)
	fmt.Printf("%+v\n", d)
	s := Service{&Logger{prefix: "[svc] "}, "api"}
	for i := 0; i < 3; i++ {
		s.Log(fmt.Sprint("event ", i))
	}
	fmt.Println(s.lines, s.prefix)
	var snds []Sounder = []Sounder{d, d.Animal, Loud{d}, Loud{Loud{d}}}
	for _, x := range snds {
		fmt.Print(x.Sound(), " ")
	}
	fmt.Println()
	t := Top{Mid{Base{7}, "mid"}}
	fmt.Println(t.ID, t.Base.ID, t.Mid.Base.ID)
	pack := make([]Dog, 0)
	for i := 0; i < 3000; i++ {
		pack = append(pack, Dog{Animal{fmt.Sprint("dog", i), 4 - i%2}, "mutt"})
	}
	legs := 0
	for _, p := range pack {
		legs += p.Legs
	}
	fmt.Println(len(pack), legs, pack[2999].Describe())
}
