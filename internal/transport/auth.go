package transport

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// AuthFunc adds credentials to an outgoing request. It is called on every
// attempt (so a renewed token is picked up) and only for requests to the
// base URL's scheme and host. The request it is given is a private copy
// with its own header map and URL; it may set or delete headers and
// replace URL fields, but must not write into a header's value slice in
// place (Header.Set and Del are fine): those slices are shared with the
// caller's request.
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
	if t.auth == nil || !SameOrigin(r.URL, t.base) || r.Context().Value(noAuthKey{}) != nil {
		return t.next.RoundTrip(r)
	}
	signed := signable(r)
	t.auth(signed)
	resp, err := t.next.RoundTrip(signed)
	if resp != nil {
		// Hand back the request as it was given, without the credential:
		// it ends up on the caller's Response.
		resp.Request = r
	}
	return resp, err
}

// signedRequest is a request and its URL in one allocation.
type signedRequest struct {
	req http.Request
	url url.URL
}

// signable returns the copy of r the auth function may change: a new
// request, URL and header map, sharing everything else (body, value
// slices, trailers) with r. http.Request.Clone would also deep-copy the
// header values and every other map for five allocations per call; the
// auth function only replaces entries, so three suffice.
func signable(r *http.Request) *http.Request {
	s := &signedRequest{req: *r}
	if r.URL != nil {
		s.url = *r.URL
		if r.URL.User != nil {
			u := *r.URL.User
			s.url.User = &u
		}
		s.req.URL = &s.url
	}
	h := make(http.Header, len(r.Header)+1)
	for k, v := range r.Header {
		h[k] = v
	}
	s.req.Header = h
	return &s.req
}

// SameOrigin reports whether a and b share scheme, host and port (a missing
// port counts as the scheme's default).
func SameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

// effectivePort is the URL's port, or its scheme's default.
func effectivePort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	switch {
	case strings.EqualFold(u.Scheme, "http"):
		return "80"
	case strings.EqualFold(u.Scheme, "https"):
		return "443"
	}
	return ""
}

// maxRedirects is how many redirects one attempt follows: 10 hops, 11
// requests, as net/http's own limit reads.
const maxRedirects = 10

// errTooManyRedirects ends an attempt whose redirects go on past
// maxRedirects. It is not retried: the server would send the same chain.
var errTooManyRedirects = fmt.Errorf("orgsdk: stopped after %d redirects", maxRedirects)

// checkRedirect follows a redirect only for GET and HEAD and only to the
// base origin, then defers to the caller's own policy. Its errors name the
// target with every secret removed: net/http keeps them as the cause of
// the call's error, where a token in the Location's path would survive a
// cleaning of the top-level text alone.
func checkRedirect(base *url.URL, callerPolicy func(*http.Request, []*http.Request) error, secrets *Secrets) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		target := func() string { return secrets.Bound(RedactURL(req.URL), bound.Field) }
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return fmt.Errorf("%w: %s was answered with %d to %s", ErrRedirectedWrite, first.Method, status, target())
		}
		if !SameOrigin(req.URL, base) {
			return fmt.Errorf("%w: redirect to %s", ErrForeignHost, target())
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("%w (%d requests)", errTooManyRedirects, len(via))
		}
		if callerPolicy != nil {
			return callerPolicy(req, via)
		}
		return nil
	}
}
