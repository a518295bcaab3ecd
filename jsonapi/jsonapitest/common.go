package jsonapitest

// This file is the same in the four fakes of orgsdk (readycloudtest,
// rservicetest, commvaulttest, jsonapitest) but for its package clause, so
// a test written against one reads the same against the others; the
// module's TestFakesShareOneAPI keeps it so.

import (
	"net/http"

	"github.com/orgsdk/orgsdk/internal/fake"
)

// Option configures a Server; pass options to NewServer. A nil Option is
// ignored.
type Option func(*Server)

// WithToken makes the server accept token instead of the random one it
// makes up by default; "" keeps the random one.
func WithToken(token string) Option {
	return func(s *Server) {
		if token != "" {
			s.Token = token
		}
	}
}

// WithoutSeed starts the server with no organization, and Reset puts it
// back that way: seed your own with Add. By default the server starts with
// seed data modelled on the API's documentation.
func WithoutSeed() Option { return func(s *Server) { s.noSeed = true } }

// Fault makes the server answer the next Count requests (1 when zero)
// with Status instead of serving them; Method and PathContains narrow
// which requests. Queue one with InjectFault.
type Fault struct {
	// Status is the HTTP status to answer with (e.g. 503, 429).
	Status int
	// Count is how many requests fail; 0 means 1.
	Count int
	// RetryAfter, when set, is sent as the Retry-After header ("2" or an
	// HTTP date).
	RetryAfter string
	// Body and ContentType replace the error body the real server sends
	// with Status, which is what the fake sends when they are empty.
	Body        string
	ContentType string
	// Method and PathContains narrow which requests fail: only those with
	// this method (in any case) and whose path contains this text. Empty,
	// they match every request.
	Method       string
	PathContains string
}

// Request is one request the server received, as it was sent.
type Request struct {
	// Method is the request's method.
	Method string
	// Path is the escaped path; RawQuery the query as sent.
	Path     string
	RawQuery string
	// Header and Body are as sent, credentials included (they are the
	// fake's own, but do not log them).
	Header http.Header
	Body   []byte
}

// InjectFault queues f: the next f.Count requests that match it get
// f.Status (with Retry-After when f.RetryAfter is set) instead of being
// served. Queued faults match in the order they were injected.
func (s *Server) InjectFault(f Fault) { s.faults.Inject(fake.Fault(f)) }

// Hits returns how many requests reached the server, faulted ones
// included: the count a test of retries asserts on.
func (s *Server) Hits() int { return s.faults.Hits() }

// HitsFor returns how many requests had this method and this full,
// unescaped request path (Prefix and all, not the part after it), faulted
// ones included.
func (s *Server) HitsFor(method, path string) int { return s.faults.HitsFor(method, path) }

// Requests returns a copy of every request that reached the server,
// faulted ones included, in arrival order.
func (s *Server) Requests() []Request {
	log := s.faults.Requests()
	out := make([]Request, len(log))
	for i, r := range log {
		out[i] = Request(r)
	}
	return out
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }
