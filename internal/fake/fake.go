// Package fake holds what every provider's fake server shares: fault
// injection for users' tests, a request counter, and JSON helpers.
package fake

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Fault makes a fake server answer the next Count requests (1 when zero)
// with Status instead of serving them, optionally only for requests whose
// method is Method and whose path contains PathContains.
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

// Faults is a queue of injected faults plus a hit counter; wrap a fake's
// handler with Middleware. Safe for concurrent use.
type Faults struct {
	// DefaultBody renders the provider's error body for a status when a
	// fault has no Body of its own.
	DefaultBody func(status int) (contentType, body string)

	mu     sync.Mutex
	queue  []Fault
	hits   int
	counts map[string]int
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
	f.mu.Lock()
	defer f.mu.Unlock()
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
