package main

type Reading struct {
	Sensor string
	Value  float64
}

// Values sent by copy: the struct itself does not escape.
func publish(out chan<- Reading, name string, v float64) {
	r := Reading{Sensor: name, Value: v}
	out <- r
}

func main() {
	ch := make(chan Reading, 2)
	publish(ch, "temp", 21.5)
	publish(ch, "hum", 40)
	close(ch)
	total := 0.0
	for r := range ch {
		total += r.Value
	}
	println(total)
}
