// Package fake holds what every provider's fake server shares: fault
// injection for users' tests, a request counter, and JSON helpers. Each
// fake package shows users its own Fault and Request (in its common.go, the
// same file in all four), convertible to these, so go doc of the fake
// lists their fields.
package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Fault makes a fake server answer the next Count requests (1 when zero)
// with Status instead of serving them, optionally only for requests whose
// method is Method and whose path contains PathContains. A fake's own
// Fault converts to it, so the two keep the same fields.
type Fault struct {
	// Status is the HTTP status to answer with (e.g. 503, 429).
	Status int
	// Count is how many requests fail; 0 means 1.
	Count int
	// RetryAfter, when set, is sent as the Retry-After header ("2" or an
	// HTTP date).
	RetryAfter string
	// Body and ContentType override the provider's usual error body.
	Body        string
	ContentType string
	// Method and PathContains narrow which requests fail ("" matches all).
	Method       string
	PathContains string
}

// Request is one request a fake server received, as sent; every fake's
// Requests method returns them converted to its own Request, so tests read
// them the same way whatever the provider.
type Request struct {
	Method string
	// Path is the escaped path; RawQuery the query as sent.
	Path     string
	RawQuery string
	// Header and Body are as sent, credentials included: they are the
	// fake's own.
	Header http.Header
	Body   []byte
}

// maxRecordedBody bounds what is kept of one request body.
const maxRecordedBody = 1 << 20

// Faults is a queue of injected faults plus a hit counter and a request
// log; wrap a fake's handler with Middleware. Safe for concurrent use.
type Faults struct {
	// DefaultBody renders the provider's error body for a status when a
	// fault has no Body of its own.
	DefaultBody func(status int) (contentType, body string)

	mu     sync.Mutex
	queue  []Fault
	hits   int
	counts map[string]int
	log    []Request
}

// Inject queues a fault.
func (f *Faults) Inject(fault Fault) {
	if fault.Count <= 0 {
		fault.Count = 1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, fault)
}

// Reset drops queued faults and zeroes the counters.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = nil
	f.hits = 0
	f.counts = nil
	f.log = nil
}

// Requests returns a copy of every request that reached the server, faulted
// ones included, in arrival order.
func (f *Faults) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Request, len(f.log))
	for i, r := range f.log {
		out[i] = r
		out[i].Header = r.Header.Clone()
		out[i].Body = bytes.Clone(r.Body)
	}
	return out
}

// Hits returns how many requests reached the server.
func (f *Faults) Hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

// HitsFor returns how many requests had this method and path.
func (f *Faults) HitsFor(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[method+" "+path]
}

// Middleware counts requests and answers them with queued faults.
func (f *Faults) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fault, ok := f.take(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		ct, body := "application/json", fault.Body
		if body == "" && f.DefaultBody != nil {
			ct, body = f.DefaultBody(fault.Status)
		}
		if fault.ContentType != "" {
			ct = fault.ContentType
		}
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(fault.Status)
		_, _ = w.Write([]byte(body))
	})
}

func (f *Faults) take(r *http.Request) (Fault, bool) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, maxRecordedBody))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, Request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	f.hits++
	if f.counts == nil {
		f.counts = map[string]int{}
	}
	f.counts[r.Method+" "+r.URL.Path]++
	for i := range f.queue {
		q := &f.queue[i]
		if q.Method != "" && !strings.EqualFold(q.Method, r.Method) {
			continue
		}
		if q.PathContains != "" && !strings.Contains(r.URL.Path, q.PathContains) {
			continue
		}
		fault := *q
		q.Count--
		if q.Count == 0 {
			f.queue = append(f.queue[:i], f.queue[i+1:]...)
		}
		return fault, true
	}
	return Fault{}, false
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	if contentType == "" {
		contentType = "application/json"
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
