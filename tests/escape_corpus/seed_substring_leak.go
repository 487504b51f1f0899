package main

// 字符串的截取引发临时性的内存泄漏
func main() {
	var str0 = "12345678901234567890"
	str1 := str0[:10]
	_ = str1
}
