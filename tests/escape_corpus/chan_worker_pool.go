package main

import "sync"

type job struct {
	id    int
	input string
}

type result struct {
	id     int
	length int
}

// A fixed pool of workers reading jobs and writing results.
func pool(inputs []string, workers int) []result {
	jobs := make(chan *job)
	results := make(chan result, len(inputs))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- result{id: j.id, length: len(j.input)}
			}
		}()
	}
	for i, in := range inputs {
		jobs <- &job{id: i, input: in}
	}
	close(jobs)
	wg.Wait()
	close(results)
	out := make([]result, 0, len(inputs))
	for r := range results {
		out = append(out, r)
	}
	return out
}

func main() {
	rs := pool([]string{"a", "bb", "ccc"}, 2)
	println(len(rs))
}
