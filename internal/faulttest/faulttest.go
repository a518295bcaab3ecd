// Package faulttest holds what every provider's fault-injection tests
// share (issue 11): a test server that counts what reached it, the
// spellings in which a secret can leak, and the audit that looks for
// them. Only tests import it.
package faulttest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orgsdk/orgsdk"
)

// Handler answers a request whose body has been read already; it returns
// false to leave the request to the server's fallback.
type Handler func(w http.ResponseWriter, r *http.Request, body []byte) bool

// Server counts every request by method and path ("POST /api/v2/orgs/")
// and keeps its body, then lets handle answer it, or fallback when handle
// is nil or returns false.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	bodies map[string][]string
}

// NewServer starts a Server that t closes.
func NewServer(t testing.TB, handle Handler, fallback http.HandlerFunc) *Server {
	t.Helper()
	s := &Server{hits: map[string]int{}, bodies: map[string][]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.hits[key]++
		s.bodies[key] = append(s.bodies[key], string(body))
		s.mu.Unlock()
		if handle != nil && handle(w, r, body) {
			return
		}
		if fallback != nil {
			fallback(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// Count is how many requests reached method and path.
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[method+" "+path]
}

// Total is how many requests reached the server.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.hits {
		n += v
	}
	return n
}

// Bodies are the bodies of the requests to method and path, in order.
func (s *Server) Bodies(method, path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies[method+" "+path]...)
}

// AssertNoWriteTwice fails when a write (anything but GET and HEAD) went to
// the same path more than once: the SDK must never resend a write the
// server may have acted on.
func (s *Server) AssertNoWriteTwice(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, n := range s.hits {
		if !strings.HasPrefix(key, "GET ") && !strings.HasPrefix(key, "HEAD ") {
			assert.LessOrEqual(t, n, 1, "%s was sent %d times", key, n)
		}
	}
}

// SecretForms are the spellings of secret a server, proxy or log may
// echo, by name: literal, query- and path-escaped, JSON-escaped in the
// styles encoders use (Go's HTML-safe one, plain, "\/" and "\u002b"), and
// base64.
func SecretForms(secret string) map[string]string {
	jsonHTML, _ := json.Marshal(secret)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	goJSON := strings.Trim(string(jsonHTML), `"`)
	return map[string]string{
		"literal":                        secret,
		"query-escaped":                  url.QueryEscape(secret),
		"path-escaped":                   url.PathEscape(secret),
		"json-escaped (Go)":              goJSON,
		"json-escaped (plain)":           strings.Trim(strings.TrimSpace(plain.String()), `"`),
		"json-escaped (\\/ style)":       strings.ReplaceAll(goJSON, "/", `\/`),
		"json-escaped (\\u002b)":         strings.ReplaceAll(strings.ReplaceAll(goJSON, "/", `\/`), "+", `\u002b`),
		"base64":                         base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 (raw URL alphabet)":      base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"query-escaped (lower-case hex)": lowerHex(url.QueryEscape(secret)),
	}
}

// lowerHex rewrites the %XX escapes of s in lower case ("%2f"), which
// servers also send.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLower(b[i+1]), toLower(b[i+2])
		}
	}
	return string(b)
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Echo is a body that repeats secret in every form after prefix, with the
// header and query spellings a debug page or proxy would print.
func Echo(secret, prefix string) string {
	forms := SecretForms(secret)
	names := make([]string, 0, len(forms))
	for name := range forms {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(prefix)
	for _, name := range names {
		fmt.Fprintf(&b, " [%s] %s", name, forms[name])
	}
	fmt.Fprintf(&b, " Authorization: Bearer %s ?bearer_token=%s", secret, url.QueryEscape(secret))
	return b.String()
}

// Audit fails when any form of any secret appears in text; where names
// the text in the failure.
func Audit(t testing.TB, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for name, f := range SecretForms(s) {
			if f != "" {
				assert.NotContains(t, text, f, "%s leaks a secret (%s)", where, name)
			}
		}
	}
}

// AuditResponse checks the request a Response hands back, and the
// redirect chain behind it: no body, and no secret in its URL or headers;
// and the answer's own headers and NextCursor. AuditRedirects checks the
// chain's answers.
func AuditResponse(t testing.TB, resp *orgsdk.Response, secrets ...string) {
	t.Helper()
	if resp == nil {
		return
	}
	Audit(t, "Response.NextCursor", resp.NextCursor, secrets...)
	if resp.Response == nil {
		return
	}
	for k, vs := range resp.Header {
		Audit(t, "Response header "+k, strings.Join(vs, " "), secrets...)
	}
	for req, depth := resp.Request, 0; req != nil && depth < 10; depth++ {
		assert.Nil(t, req.GetBody, "Response.Request.GetBody must be nil (issue 11.4)")
		assert.True(t, req.Body == nil || req.Body == http.NoBody, "Response.Request must carry no body")
		Audit(t, "Response.Request.URL", req.URL.String(), secrets...)
		for k, vs := range req.Header {
			Audit(t, "Response.Request header "+k, strings.Join(vs, " "), secrets...)
		}
		if req.Response == nil {
			break
		}
		req = req.Response.Request
	}
}

// LogBuffer is a log sink safe for the SDK's concurrent writes (retries,
// prefetching iterators, session renewal); String returns what it holds.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
