package main

// 切片截取引起子切片内存泄漏
func main() {
	var s0 = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	s1 := s0[:3]
	_ = s1
}
