package main

import "encoding/binary"

type header struct {
	magic   uint32
	version uint16
	length  uint16
}

// Encoding a fixed header into a stack array and back.
func encode(h header) [8]byte {
	var b [8]byte
	binary.BigEndian.PutUint32(b[0:4], h.magic)
	binary.BigEndian.PutUint16(b[4:6], h.version)
	binary.BigEndian.PutUint16(b[6:8], h.length)
	return b
}

func decode(b []byte) header {
	return header{
		magic:   binary.BigEndian.Uint32(b[0:4]),
		version: binary.BigEndian.Uint16(b[4:6]),
		length:  binary.BigEndian.Uint16(b[6:8]),
	}
}

func main() {
	b := encode(header{magic: 0xcafebabe, version: 1, length: 42})
	h := decode(b[:])
	println(h.magic == 0xcafebabe, h.length)
}
