package main

// Lookup tables as local arrays on either side of the 128 KiB limit.
func crcTable() uint32 {
	var table [256]uint32
	for i := range table {
		c := uint32(i)
		for k := 0; k < 8; k++ {
			if c&1 == 1 {
				c = 0xedb88320 ^ (c >> 1)
			} else {
				c >>= 1
			}
		}
		table[i] = c
	}
	return table[255]
}

func squaresTable() uint64 {
	var sq [20000]uint64
	for i := range sq {
		sq[i] = uint64(i) * uint64(i)
	}
	return sq[19999]
}

func bigTable() uint16 {
	var t [70000]uint16
	for i := range t {
		t[i] = uint16(i)
	}
	return t[69999]
}

func main() {
	println(crcTable(), squaresTable(), bigTable())
}
