package main

type Session struct {
	ID    string
	Hits  int
	Attrs map[string]string
}

type Store struct {
	sessions map[string]*Session
}

// getOrCreate returns a pointer that stays reachable from the store.
func (s *Store) getOrCreate(id string) *Session {
	if sess, ok := s.sessions[id]; ok {
		return sess
	}
	sess := &Session{ID: id, Attrs: map[string]string{}}
	s.sessions[id] = sess
	return sess
}

func main() {
	st := Store{sessions: make(map[string]*Session)}
	st.getOrCreate("a").Hits++
	st.getOrCreate("a").Hits++
	println(st.getOrCreate("a").Hits, len(st.sessions))
}
