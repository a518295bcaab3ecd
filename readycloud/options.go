package readycloud

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// DefaultBaseURL is the production API root of ReadyCloud API v2.
const DefaultBaseURL = "https://www.readycloud.com/api/v2/"

// Option configures a Client. An option given a bad value makes NewClient
// fail rather than silently falling back to a default.
type Option func(*options) error

type options struct {
	transport.Settings
	queryToken bool
}

// WithBaseURL points the client at another API root, such as a staging
// server or readycloudtest.Server.URL (default: DefaultBaseURL). It must be
// an absolute http(s) URL without credentials, query or fragment, and a
// port, if any, in 1..65535.
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient makes the client send requests through c (proxies, custom
// TLS, a recording transport). c is copied, never modified.
// Default: the SDK's own pooled client: HTTP/1.1, connect and TLS
// handshake timeouts, and a connection that carries nothing for 60 s in
// either direction fails the call (the wait for headers included), so a
// silent server cannot hang a call that has no deadline. c replaces all of
// it: its Transport and Timeout are used as they are, so give it timeouts
// of its own.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger sets the logger for per-attempt Debug lines and per-retry Warn
// lines. Nothing logged ever contains the token. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends suffix (your application's name and version) to the
// SDK's User-Agent (default: none). A suffix net/http would refuse in a
// header (a control character other than tab) is ErrInvalidArgument.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries sets how many times a failed request may be retried
// (0 to 100; default 4). Writes are never resent once they may have reached
// the server.
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries (default 500ms to 30s).
// A Retry-After longer than max is not slept: the call fails at once with
// the wait on the error.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client on its side, so a bulk walk stays under
// the server's throttle instead of running into 429 answers. // It is shorthand for
// WithLimiter(rate.NewLimiter(rate.Limit(float64(n)/per.Seconds()), n))
// (golang.org/x/time/rate): a bucket of n requests, full at the start and
// refilled at n per per. Up to n requests go at once, then one every
// per/n; a span of length per holds at most 2n (give n/2 to stay under a
// server that counts n in any such span). Every attempt on the wire
// waits, retries and followed redirects included.
// ReadyCloud documents no figure; its Django REST framework throttle
// answers 429 with Retry-After when it is hit. Default: no pacing; n == 0
// turns it off. n < 0, n > 0 with per <= 0, or WithLimiter as well, is
// ErrInvalidArgument.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func WithRateLimit(n int, per time.Duration) Option {
	return func(o *options) error { return o.SetRateLimit(n, per) }
}

// Limiter paces requests on the client's side (see [orgsdk.Limiter]);
// a *rate.Limiter from golang.org/x/time/rate is one.
type Limiter = orgsdk.Limiter

// WithLimiter paces the client with l: a *rate.Limiter from
// golang.org/x/time/rate, one shared with other clients so that they share
// one quota, or a limiter shared between processes (one backed by Redis,
// say). The client calls l.Wait once per attempt on the wire, retries and
// followed redirects included. Default: no pacing. A nil l, or
// WithRateLimit as well, is ErrInvalidArgument.
func WithLimiter(l Limiter) Option {
	return func(o *options) error { return o.SetLimiter(l) }
}

// WithPrefetch sets how many pages All may fetch ahead of the caller
// (default 0: each page is fetched when the walk reaches it). 1 fetches the
// next page while the caller consumes the current one. n > 1 fetches up to
// n pages at once: ReadyCloud addresses pages by offset, so once the first
// page has said how many organizations there are (count) and how many it
// holds (the limit of its next link), the pages after it are requested at
// offset base + k·limit, n at a time, and still yielded in server order.
// At most n+1 pages are held at once. Every request still goes through the
// client's limiter (WithRateLimit, WithLimiter) and is retried on 429 as
// any call is, so n multiplies the speed of a walk, never the rate. A walk
// the first page does not count (no count, or a next link without limit
// and offset) follows the server's next links, one page ahead at most: a
// next link is only known once the page before it has arrived.
// Negative is ErrInvalidArgument.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func WithPrefetch(pages int) Option {
	return func(o *options) error { return o.SetPrefetch(pages) }
}

// WithQueryToken sends the token as the bearer_token query parameter, the
// form the ReadyCloud docs' examples use, instead of the default
// "Authorization: Bearer" header. Use it only for deployments that need it:
// query strings end up in proxy and server logs. The SDK itself still keeps
// the token out of its logs and errors. Default: the header.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func WithQueryToken() Option {
	return func(o *options) error { o.queryToken = true; return nil }
}

func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
