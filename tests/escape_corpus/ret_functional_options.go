package main

import "time"

type Server struct {
	host    string
	port    int
	timeout time.Duration
}

type Option func(*Server)

func WithPort(p int) Option {
	return func(s *Server) { s.port = p }
}

func WithTimeout(d time.Duration) Option {
	return func(s *Server) { s.timeout = d }
}

// NewServer applies functional options to a freshly allocated server.
func NewServer(host string, opts ...Option) *Server {
	s := &Server{host: host, port: 80, timeout: time.Second}
	for _, o := range opts {
		o(s)
	}
	return s
}

func main() {
	s := NewServer("localhost", WithPort(8080), WithTimeout(5*time.Second))
	println(s.host, s.port, int64(s.timeout))
}
