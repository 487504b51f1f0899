package main

// Preallocating capacity before appending.
func evensUpTo(n int) []int {
	out := make([]int, 0, n/2+1)
	for i := 0; i <= n; i += 2 {
		out = append(out, i)
	}
	return out
}

func countPrimes(n int) int {
	primes := make([]int, 0, 16)
	for i := 2; i <= n; i++ {
		isPrime := true
		for _, p := range primes {
			if i%p == 0 {
				isPrime = false
				break
			}
		}
		if isPrime {
			primes = append(primes, i)
		}
	}
	return len(primes)
}

func main() {
	println(len(evensUpTo(10)), countPrimes(50))
}
