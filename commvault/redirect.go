package commvault

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Servers since 2024E answer the older web-service root /webconsole/api/
// with a redirect to /commandcenter/api/, POST Login included. The shared
// transport refuses every redirected write, rightly for 301/302/303
// (net/http would resend a POST as a GET). A 307 or 308 is different: by
// definition the client resends the same method and body, and the server
// has not acted on the request. So the client notes such an answer below
// the transport and sends the write once more, to the new location, when
// it is on the base origin.

// redirectNote records the last 307/308 answer to a write of one call.
type redirectNote struct {
	status   int
	location *url.URL
}

type redirectKey struct{}

// redirectRecorder is the HTTP transport under the shared one: it records
// the target of a 307/308 answer to a write in the call's redirectNote.
type redirectRecorder struct {
	next http.RoundTripper
}

func (t *redirectRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return resp, err
	}
	if resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect {
		return resp, err
	}
	note, ok := r.Context().Value(redirectKey{}).(*redirectNote)
	if !ok {
		return resp, err
	}
	if loc, lerr := r.URL.Parse(resp.Header.Get("Location")); lerr == nil && resp.Header.Get("Location") != "" {
		note.status, note.location = resp.StatusCode, loc
	}
	return resp, err
}

// httpClient returns the caller's HTTP client (or the SDK's default) with
// the redirect recorder under its transport; the caller's client is
// copied, not modified.
func httpClient(hc *http.Client) *http.Client {
	if hc == nil {
		hc = transport.DefaultHTTPClient()
	}
	cp := *hc
	next := cp.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cp.Transport = &redirectRecorder{next: next}
	return &cp
}

// send is tc.Do that follows a 307/308 to a write once, on the base origin.
func (c *Client) send(ctx context.Context, r *transport.Request, decode transport.Decoder) (*Response, error) {
	return c.follow(ctx, r.Method, func(ctx context.Context, loc string) (*Response, error) {
		if loc == "" {
			return c.tc.Do(ctx, r, decode)
		}
		again := *r
		again.Path, again.URL = nil, loc
		return c.tc.Do(ctx, &again, decode)
	})
}

// follow runs call(ctx, "") and, when a write was answered with a 307 or
// 308, runs call once more with the location, if it is on the base origin.
func (c *Client) follow(ctx context.Context, method string, call func(ctx context.Context, loc string) (*Response, error)) (*Response, error) {
	if method == http.MethodGet || method == http.MethodHead {
		return stripBody(call(ctx, ""))
	}
	note := &redirectNote{}
	resp, err := stripBody(call(context.WithValue(ctx, redirectKey{}, note), ""))
	if err == nil || note.location == nil || !errors.Is(err, ErrRedirectedWrite) {
		return resp, err
	}
	// The Location may carry anything, Login's base64 password included:
	// it is shown only as SafeURL has it, and the error is cleaned like
	// every error of the transport.
	location := c.tc.SafeURL(note.location)
	if !transport.SameOrigin(note.location, c.tc.BaseURL()) {
		return resp, c.tc.CleanError(&TransportError{
			Provider: provider,
			Method:   method,
			URL:      location,
			Message:  fmt.Sprintf("%s was answered with %d to another origin", method, note.status),
			Err:      fmt.Errorf("%w: %d redirect of %s to %s", orgsdk.ErrForeignHost, note.status, method, location),
		})
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "commvault: following a write's redirect once",
		slog.String("method", method), slog.Int("status", note.status),
		slog.String("location", location))
	return stripBody(call(ctx, note.location.String()))
}

// stripBody drops the body of the requests a Response hands back (and of
// the redirect chain behind them): the transport removes credentials from
// their headers and URL, but its copy keeps Body and GetBody, and Login's
// body is the password (issue 11.4; to be fixed in the transport too).
func stripBody(resp *Response, err error) (*Response, error) {
	if resp == nil || resp.Response == nil {
		return resp, err
	}
	for req, depth := resp.Request, 0; req != nil && depth < 10; depth++ {
		req.Body, req.GetBody = nil, nil
		if req.Response == nil {
			break
		}
		req = req.Response.Request
	}
	return resp, err
}
