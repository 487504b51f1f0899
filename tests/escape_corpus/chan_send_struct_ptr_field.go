package main

type Event struct {
	Kind string
	Data *[]byte
}

func emit(events chan<- Event, kind string) {
	data := []byte(kind)
	events <- Event{Kind: kind, Data: &data}
}

func main() {
	events := make(chan Event, 3)
	emit(events, "start")
	emit(events, "stop")
	close(events)
	for e := range events {
		println(e.Kind, len(*e.Data))
	}
}
