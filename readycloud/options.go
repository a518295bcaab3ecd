package readycloud

import (
	"log/slog"
	"net/http"
	"time"

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
// server or readycloudtest.Server.URL. It must be an absolute http(s) URL
// without credentials, query or fragment.
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient makes the client send requests through c (proxies, custom
// TLS, a recording transport). c is copied, never modified.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger sets the logger for per-attempt Debug lines and per-retry Warn
// lines. Nothing logged ever contains the token. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends suffix (your application's name and version) to the
// SDK's User-Agent.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries sets how many times a failed request may be retried
// (0 to 100; default 4). Writes are never resent once they may have reached
// the server.
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries. A Retry-After longer
// than max is not slept: the call fails at once with the wait on the error.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client on its side to at most n requests
// (retries included) in any window of length per, so a bulk walk stays
// under the server's throttle instead of running into 429 answers.
// ReadyCloud documents no figure; its Django REST framework throttle
// answers 429 with Retry-After when it is hit. n == 0 turns pacing off (the
// default); n < 0, or n > 0 with per <= 0, is ErrInvalidArgument.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func WithRateLimit(n int, per time.Duration) Option {
	return func(o *options) error { return o.SetRateLimit(n, per) }
}

// WithPrefetch makes All fetch the next page while the caller is still
// consuming the current one.
func WithPrefetch(on bool) Option {
	return func(o *options) error { o.Prefetch = on; return nil }
}

// WithQueryToken sends the token as the bearer_token query parameter, the
// form the ReadyCloud docs' examples use, instead of the default
// "Authorization: Bearer" header. Use it only for deployments that need it:
// query strings end up in proxy and server logs. The SDK itself still keeps
// the token out of its logs and errors.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func WithQueryToken() Option {
	return func(o *options) error { o.queryToken = true; return nil }
}

func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
