package recording

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Recorder is an http.RoundTripper that writes every exchange it carries to
// Dir, scrubbed, one file per exchange. Put it in the *http.Client given to
// a provider's WithHTTPClient: it then sits below the SDK's retries, so each
// attempt is recorded.
type Recorder struct {
	// Dir receives the files.
	Dir string
	// Next carries the requests (http.DefaultTransport when nil).
	Next http.RoundTripper
	// Secrets are literal values to scrub besides the generic rules.
	Secrets *transport.Secrets
	// Redact, when set, is the recorded client's own Redact method: the
	// recording then loses every secret the client knows, including
	// session tokens it obtained itself. Set it before the first request.
	Redact func(string) string
	// Prefix starts every file name (the provider), so runs of several
	// providers can share one directory.
	Prefix string

	mu sync.Mutex
	n  int
}

// RoundTrip sends r and records the exchange.
func (rec *Recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	next := rec.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var reqBody []byte
	if r.Body != nil && r.Body != http.NoBody {
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = data
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(data))
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if readErr != nil {
		return resp, readErr
	}
	origin := r.URL.Scheme + "://" + r.URL.Host
	ex := &Exchange{}
	ex.Request.Method = r.Method
	ex.Request.URL = r.URL.String()
	ex.Request.SetBody(reqBody)
	ex.Response.Status = resp.StatusCode
	ex.Response.Header = resp.Header.Clone()
	ex.Response.SetBody(body)
	clean := Scrub(ex, rec.Secrets, origin, rec.Redact)

	rec.mu.Lock()
	rec.n++
	n := rec.n
	rec.mu.Unlock()
	name := FileName(n, r.Method, cleanPath(clean.Request.URL))
	if rec.Prefix != "" {
		name = rec.Prefix + "-" + name
	}
	if err := Write(filepath.Join(rec.Dir, name), clean); err != nil {
		return resp, fmt.Errorf("recording: %w", err)
	}
	return resp, nil
}

// cleanPath is the path of a scrubbed recorded URL, for the file name: a
// token in the request's path must not reach the name either (issue 19.3).
func cleanPath(recorded string) string {
	u, err := url.Parse(strings.TrimPrefix(recorded, Origin))
	if err != nil {
		return "redacted"
	}
	return u.Path
}
