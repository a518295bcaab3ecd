package jsonapi

import (
	"log/slog"
	"net/http"
	"time"

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
// staging host; the path is the API root (".../api/v2/").
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient makes requests go through hc (copied, never mutated), for
// proxies, custom TLS or recording transports.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithLogger logs each attempt (Debug) and each retry (Warn); tokens are
// never logged. The default logger discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends suffix to the SDK's User-Agent.
func WithUserAgent(suffix string) Option {
	return func(o *options) error { return o.SetUserAgent(suffix) }
}

// WithMaxRetries bounds how often a failed request is retried (default 4).
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries. A Retry-After longer
// than max is not slept: the call returns a rate-limit error at once.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read (default 32 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client to at most n requests (retries included)
// in any window of length per, so a long All walk stays under the server's
// limit instead of collecting 429 answers. n == 0 turns pacing off.
func WithRateLimit(n int, per time.Duration) Option {
	return func(o *options) error { return o.SetRateLimit(n, per) }
}

// WithPrefetch makes All fetch the next page while the caller is still
// consuming the current one.
func WithPrefetch(on bool) Option {
	return func(o *options) error {
		o.Prefetch = on
		return nil
	}
}

// invalidArgument is a bad caller argument, found before any I/O; it reads
// "orgsdk: jsonapi: invalid argument: …" like every provider's.
func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
