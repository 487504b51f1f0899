package main

// A tiny publish/subscribe bus holding handler closures.
type Bus struct {
	subs map[string][]func(string)
}

func (b *Bus) Subscribe(topic string, h func(string)) {
	if b.subs == nil {
		b.subs = make(map[string][]func(string))
	}
	b.subs[topic] = append(b.subs[topic], h)
}

func (b *Bus) Publish(topic, msg string) int {
	n := 0
	for _, h := range b.subs[topic] {
		h(msg)
		n++
	}
	return n
}

func main() {
	var bus Bus
	received := []string{}
	bus.Subscribe("news", func(m string) { received = append(received, m) })
	bus.Subscribe("news", func(m string) { println("got", m) })
	println(bus.Publish("news", "hello"), len(received))
}
