package jsonapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Option configures a Client. An option given a bad value makes NewClient
// fail rather than being silently ignored.
type Option func(*options) error

type options struct {
	transport.Settings
}

func newOptions() (*options, error) {
	s, err := transport.NewSettings(DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	return &options{Settings: s}, nil
}

// WithBaseURL points the client at another JSON:API server or an MPDX
// staging host; the path is the API root (".../api/v2/"). Default:
// DefaultBaseURL. It must be an absolute http(s) URL without credentials,
// query or fragment, and a port, if any, in 1..65535.
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient makes requests go through c (copied, never mutated), for
// proxies, custom TLS or recording transports.
// Default: the SDK's own pooled client: HTTP/1.1, connect and TLS
// handshake timeouts, and a connection that carries nothing for 60 s in
// either direction fails the call (the wait for headers included), so a
// silent server cannot hang a call that has no deadline. c replaces all of
// it: its Transport and Timeout are used as they are, so give it timeouts
// of its own.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger logs each attempt (Debug) and each retry (Warn); tokens are
// never logged. The default logger discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends suffix to the SDK's User-Agent (default: none). A
// suffix net/http would refuse in a header (a control character other than
// tab) is ErrInvalidArgument.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries bounds how often a failed request is retried (default 4).
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries (default 500ms to 30s).
// A Retry-After longer than max is not slept: the call returns a
// rate-limit error at once.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client on its side, so a long All walk stays
// under the server's limit instead of collecting 429 answers. // It is shorthand for
// WithLimiter(rate.NewLimiter(rate.Limit(float64(n)/per.Seconds()), n))
// (golang.org/x/time/rate): a bucket of n requests, full at the start and
// refilled at n per per. Up to n requests go at once, then one every
// per/n; a span of length per holds at most 2n (give n/2 to stay under a
// server that counts n in any such span). Every attempt on the wire
// waits, retries and followed redirects included.
// Default: no pacing; n == 0 turns it off. n < 0, n > 0 with per <= 0, or
// WithLimiter as well, is ErrInvalidArgument.
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

// WithPrefetch sets how many pages a walk (Organizations.All) may fetch
// ahead of the caller (default 0: each page is fetched when the walk
// reaches it). 1 fetches the
// next page while the caller consumes the current one. n > 1 fetches up to
// n pages at once where the pages are numbered: when the first page says
// meta.pagination.total_pages and sends no links.next of its own (MPDX),
// the pages after it are requested by page number, n at a time, and still
// yielded in server order. At most n+1 pages are held at once. Every
// request still goes through the client's limiter (WithRateLimit,
// WithLimiter) and is retried on 429 as any call is, so n multiplies the
// speed of a walk, never the rate. A server that sends links.next is
// followed link by link, one page ahead at most: its next link is only
// known once the page before it has arrived, and it may be a cursor no
// page number can stand for. OrganizationAccounts.All walks the same way.
// Negative is ErrInvalidArgument.
//
// API doc: MPDX API documentation, Organization [LIST]; https://jsonapi.org/format/#fetching-pagination
func WithPrefetch(pages int) Option {
	return func(o *options) error { return o.SetPrefetch(pages) }
}

// invalidArgument is a bad caller argument, found before any I/O; it reads
// "orgsdk: jsonapi: invalid argument: …" like every provider's.
func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
