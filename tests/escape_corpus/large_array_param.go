package main

import "fmt"

// 函数数组传参引发内存泄漏：数组大小为 100 万，64 位机上约 8MB。
func sum(arr [1000000]int) int {
	total := 0
	for _, v := range arr {
		total += v
	}
	return total
}

func main() {
	var arr [1000000]int
	for i := range arr {
		arr[i] = i
	}
	fmt.Println(sum(arr))
}
