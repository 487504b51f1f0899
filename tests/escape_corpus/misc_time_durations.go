package main

import (
	"fmt"
	"time"
)

type span struct {
	start, end time.Time
}

// Durations and time values are plain structs passed by value.
func longest(spans []span) time.Duration {
	var best time.Duration
	for _, s := range spans {
		if d := s.end.Sub(s.start); d > best {
			best = d
		}
	}
	return best
}

func main() {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	spans := []span{{t0, t0.Add(time.Hour)}, {t0, t0.Add(90 * time.Minute)}}
	fmt.Println(longest(spans))
}
