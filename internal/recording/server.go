package recording

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Server replays exchanges. A request is answered by the first unused
// exchange with the same method, path and query (secret parameters
// ignored); failing that, by the first unused one with the same method and
// path; failing that, 404. Origin in bodies and headers becomes the server's
// URL.
type Server struct {
	*httptest.Server
	mu        sync.Mutex
	exchanges []*Exchange
	used      []bool
	hits      int
}

// NewServer starts a replay server; Close it when done.
func NewServer(exchanges ...*Exchange) *Server {
	s := &Server{exchanges: exchanges, used: make([]bool, len(exchanges))}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Hits returns how many requests the server answered.
func (s *Server) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits++
	ex := s.match(r)
	s.mu.Unlock()
	if ex == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"recording":"no recorded exchange for %s %s"}`, r.Method, transport.RedactURL(r.URL))
		return
	}
	swap := func(v string) string { return strings.ReplaceAll(v, Origin, s.URL) }
	for k, vs := range ex.Response.Header {
		for _, v := range vs {
			w.Header().Add(k, swap(v))
		}
	}
	w.WriteHeader(ex.Response.Status)
	_, _ = w.Write([]byte(swap(string(ex.Response.Body()))))
}

func (s *Server) match(r *http.Request) *Exchange {
	want := canonicalQuery(r.URL.Query())
	fallback := -1
	for i, ex := range s.exchanges {
		if s.used[i] || ex.Request.Method != r.Method {
			continue
		}
		u, err := url.Parse(strings.ReplaceAll(ex.Request.URL, Origin, ""))
		if err != nil || u.Path != r.URL.Path {
			continue
		}
		if canonicalQuery(u.Query()) == want {
			s.used[i] = true
			return ex
		}
		if fallback < 0 {
			fallback = i
		}
	}
	if fallback >= 0 {
		s.used[fallback] = true
		return s.exchanges[fallback]
	}
	return nil
}

func canonicalQuery(q url.Values) string {
	for k := range q {
		if transport.IsSecretParam(k) {
			q.Del(k)
		}
	}
	return q.Encode()
}
