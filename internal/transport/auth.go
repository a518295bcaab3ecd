package transport

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// AuthFunc adds credentials to an outgoing request. It is called on every
// attempt (so a renewed token is picked up) and only for requests to the
// base URL's scheme and host. It may set headers or query parameters on the
// request it is given, which is a private clone.
type AuthFunc func(*http.Request)

// authTransport applies credentials below the retry loop and below redirects,
// so each attempt and each followed redirect is checked against the base
// origin on its own.
type authTransport struct {
	next http.RoundTripper
	base *url.URL
	auth AuthFunc
}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.auth != nil && SameOrigin(r.URL, t.base) && r.Context().Value(noAuthKey{}) == nil {
		r = r.Clone(r.Context())
		t.auth(r)
	}
	return t.next.RoundTrip(r)
}

// SameOrigin reports whether a and b share scheme, host and port (a missing
// port counts as the scheme's default).
func SameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && hostPort(a) == hostPort(b)
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

// checkRedirect follows a redirect only for GET and HEAD and only to the
// base origin, then defers to the caller's own policy.
func checkRedirect(base *url.URL, callerPolicy func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return fmt.Errorf("%w: %s was answered with %d to %s", ErrRedirectedWrite, first.Method, status, RedactURL(req.URL))
		}
		if !SameOrigin(req.URL, base) {
			return fmt.Errorf("%w: redirect to %s", ErrForeignHost, RedactURL(req.URL))
		}
		if len(via) >= 10 {
			return fmt.Errorf("orgsdk: stopped after %d redirects", len(via))
		}
		if callerPolicy != nil {
			return callerPolicy(req, via)
		}
		return nil
	}
}
