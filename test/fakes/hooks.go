package fakes

import (
	"bytes"
	"io"
	"net/http"
)

// Hook intercepts the requests a fake receives, for tests that need to
// act at a precise point of a multi-request operation (cancel the caller's
// context while its k-th request is at the server, lose that request, let
// it take effect) without timing windows. It runs in the request's handler
// goroutine with n, the request's number since [Server.SetHook] (from 1),
// and must call exactly one of handle (the fake processes the request as
// usual: faults, authentication, the operation, the answer) or drop (the
// connection is closed without an answer and nothing changes). It may block,
// e.g. until another request has been handled.
type Hook func(n int, r *http.Request, handle, drop func())

// SetHook installs h for the requests that arrive from now on, restarting
// the count; nil removes it. The request body has been read when h runs.
func (s *Server) SetHook(h Hook) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.hook, s.hookN = h, 0
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hookMu.Lock()
	h := s.hook
	s.hookN++
	n := s.hookN
	s.hookMu.Unlock()
	if h == nil {
		s.serveHTTP(w, r)
		return
	}
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		_ = r.Body.Close()
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	h(n, r, func() { s.serveHTTP(w, r) }, func() {
		s.count(func(st *Stats) { st.Requests++ })
		s.drop(w, r, "hook-drop")
	})
}
