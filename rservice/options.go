package rservice

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// DefaultBaseURL is the production R-Service API root. The QA and demo
// environments live at https://api.qa.r-service.tech/v1/ and
// https://api.demo.r-service.tech/v1/; pass them with WithBaseURL.
const DefaultBaseURL = "https://api.r-service.tech/v1/"

// DefaultAccountHeader is the header that selects the account a request
// acts in. R-Service runs on the 4me platform, whose header this is; the
// name is inferred rather than documented for R-Service, hence
// WithAccountHeader.
const DefaultAccountHeader = "X-4me-Account"

// SourceHeader names the integration that creates records; the API stores
// it in their source field.
const SourceHeader = "X-4me-Source"

// Option configures a Client. An option given a bad value makes NewClient
// fail rather than be silently ignored.
type Option func(*options) error

type options struct {
	transport.Settings
	account       string
	accountHeader string
	source        string
}

// WithBaseURL sets the API root, e.g. https://api.qa.r-service.tech/v1/ or a
// test server's URL (default: DefaultBaseURL). It must be an absolute http
// or https URL without credentials, query or fragment, and a port, if any,
// in 1..65535.
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient sets the *http.Client requests go through (for proxies,
// custom TLS, instrumentation). It is copied, never modified.
// Default: the SDK's own pooled client: HTTP/1.1, connect and TLS
// handshake timeouts, and a connection that carries nothing for 60 s in
// either direction fails the call (the wait for headers included), so a
// silent server cannot hang a call that has no deadline. c replaces all of
// it: its Transport and Timeout are used as they are, so give it timeouts
// of its own.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger sets the logger for request (Debug) and retry (Warn) lines.
// Nothing is logged by default; tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends suffix (your application's name and version) to the
// SDK's User-Agent (default: none). A suffix net/http would refuse in a
// header (a control character other than tab) is ErrInvalidArgument.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries sets how many times a failed request may be retried (0 to
// 100; default 4). A 429 is retried for every method; a 5xx or a connection
// dropped after sending only for GET, HEAD, PUT, DELETE and OPTIONS, since a
// POST or PATCH may have been acted on (the README's retry table).
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries (default 500ms to 30s).
// A Retry-After longer
// than max is not slept: the call fails with ErrRateLimited at once and the
// error carries the wait.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default
// 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client on its side, so a bulk walk stays under
// the API's limit instead of running into 429 answers. // It is shorthand for
// WithLimiter(rate.NewLimiter(rate.Limit(float64(n)/per.Seconds()), n))
// (golang.org/x/time/rate): a bucket of n requests, full at the start and
// refilled at n per per. Up to n requests go at once, then one every
// per/n; a span of length per holds at most 2n (give n/2 to stay under a
// server that counts n in any such span). Every attempt on the wire
// waits, retries and followed redirects included.
// The documented limit is about 20 requests per 2 seconds (and 3600 per
// hour) per user: WithRateLimit(10, 2*time.Second) never sends more than 20
// in any 2 seconds; WithRateLimit(20, 2*time.Second) averages the same 10 a
// second but may send up to 40 in one 2-second span (the server then
// answers 429, which is retried after its Retry-After). Default: no
// pacing; n == 0 turns it off. n < 0, n > 0 with per <= 0, or WithLimiter
// as well, is ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/#rate-limiting
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
// (default 0: each page is fetched when the walk reaches it). Any n > 0
// fetches the next page while the caller consumes the current one, and no
// more: R-Service pages by the Link header's rel="next", whose URL carries
// an opaque search_after value the SDK must not rebuild, so the page after
// next is only known once the next one has arrived. (The option takes a
// count for the family's sake: the readycloud and jsonapi walks, whose
// pages are addressed by offset or number, fetch up to n at once.)
// Negative is ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/#pagination
func WithPrefetch(pages int) Option {
	return func(o *options) error { return o.SetPrefetch(pages) }
}

// WithAccount selects the account requests act in (sent as X-4me-Account,
// see https://developer.4me.com/v1/#authentication); without it (the
// default) the API uses the token's own account. An empty id, or one
// holding a control character, is ErrInvalidArgument.
func WithAccount(id string) Option {
	return func(o *options) error {
		id = strings.TrimSpace(id)
		if id == "" {
			return errors.New("WithAccount: the account id is empty")
		}
		if err := transport.CheckNoControl("WithAccount", "the account id", id); err != nil {
			return err
		}
		o.account = id
		return nil
	}
}

// WithAccountHeader renames the account header, for a tenant that expects
// something other than X-4me-Account (the default, DefaultAccountHeader).
func WithAccountHeader(name string) Option {
	return func(o *options) error {
		if !transport.ValidHeaderName(name) {
			return fmt.Errorf("WithAccountHeader: %.64q is not a valid header name", name)
		}
		if transport.IsSecretHeader(name) {
			return fmt.Errorf("WithAccountHeader: %q cannot carry the account id", name)
		}
		o.accountHeader = name
		return nil
	}
}

// WithSource sets X-4me-Source, which the API stores as the source of the
// records this client creates (default: none, the API's own). An empty
// name, or one net/http would refuse in a header, is ErrInvalidArgument.
func WithSource(name string) Option {
	return func(o *options) error {
		name = strings.TrimSpace(name)
		if name == "" {
			return errors.New("WithSource: the source is empty")
		}
		if err := transport.CheckHeaderValue("WithSource", "the source", name); err != nil {
			return err
		}
		o.source = name
		return nil
	}
}

// invalidArgument is a bad caller argument, found before any I/O; it reads
// "orgsdk: rservice: invalid argument: …" like every provider's.
func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
