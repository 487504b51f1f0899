package main

// Map literals: one local lookup table, one returned.
func romanValue(s string) int {
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}

func defaults() map[string]string {
	return map[string]string{"host": "localhost", "port": "8080"}
}

func main() {
	println(romanValue("XIV"), defaults()["port"])
}
