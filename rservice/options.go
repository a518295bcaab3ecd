package rservice

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

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
// test server's URL. It must be an absolute http or https URL without
// credentials, query or fragment.
func WithBaseURL(u string) Option {
	return func(o *options) error { return o.SetBaseURL(u) }
}

// WithHTTPClient sets the *http.Client requests go through (for proxies,
// custom TLS, instrumentation). It is copied, never modified.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(c) }
}

// WithLogger sets the logger for request (Debug) and retry (Warn) lines.
// Nothing is logged by default; tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return o.SetLogger(l) }
}

// WithUserAgent appends a product token to orgsdk's User-Agent.
func WithUserAgent(ua string) Option {
	return func(o *options) error { return o.SetUserAgent(ua) }
}

// WithMaxRetries sets how many times a failed request may be resent (429
// always; 5xx and network errors only for GET).
func WithMaxRetries(n int) Option {
	return func(o *options) error { return o.SetMaxRetries(n) }
}

// WithRetryWait bounds the backoff between retries. A Retry-After longer
// than max is not slept: the call fails with ErrRateLimited at once and the
// error carries the wait.
func WithRetryWait(lo, hi time.Duration) Option {
	return func(o *options) error { return o.SetRetryWait(lo, hi) }
}

// WithMaxBodyBytes caps how much of a response body is read.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxBodyBytes(n) }
}

// WithRateLimit paces the client on its side to at most n requests
// (retries included) in any window of length per, so a bulk walk stays
// under the API's limit instead of running into 429 answers. The documented
// limit is about 20 requests per 2 seconds (and 3600 per hour) per user:
// WithRateLimit(20, 2*time.Second) suits a bulk walk. n == 0 turns pacing
// off (the default); n < 0, or n > 0 with per <= 0, is ErrInvalidArgument.
//
// API docs: https://developer.4me.com/v1/#rate-limiting
func WithRateLimit(n int, per time.Duration) Option {
	return func(o *options) error { return o.SetRateLimit(n, per) }
}

// WithPrefetch makes All fetch the next page while the caller is still
// consuming the current one.
func WithPrefetch(on bool) Option {
	return func(o *options) error { o.Prefetch = on; return nil }
}

// WithAccount selects the account requests act in (sent as X-4me-Account,
// see https://developer.4me.com/v1/#authentication); without it the API
// uses the token's own account.
func WithAccount(id string) Option {
	return func(o *options) error {
		id = strings.TrimSpace(id)
		if id == "" {
			return errors.New("account id is empty")
		}
		if !validHeaderValue(id) {
			return errors.New("account id contains control characters")
		}
		o.account = id
		return nil
	}
}

// WithAccountHeader renames the account header, for a tenant that expects
// something other than X-4me-Account.
func WithAccountHeader(name string) Option {
	return func(o *options) error {
		if !validHeaderName(name) {
			return fmt.Errorf("%q is not a valid header name", name)
		}
		if transport.IsSecretHeader(name) {
			return fmt.Errorf("%q cannot carry the account id", name)
		}
		o.accountHeader = name
		return nil
	}
}

// WithSource sets X-4me-Source, which the API stores as the source of the
// records this client creates.
func WithSource(name string) Option {
	return func(o *options) error {
		name = strings.TrimSpace(name)
		if name == "" {
			return errors.New("source is empty")
		}
		if !validHeaderValue(name) {
			return errors.New("source contains control characters")
		}
		o.source = name
		return nil
	}
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		// RFC 9110 token characters.
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", r) {
			return false
		}
	}
	return true
}

func validHeaderValue(v string) bool {
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// invalidArgument is a bad caller argument, found before any I/O; it reads
// "orgsdk: rservice: invalid argument: …" like every provider's.
func invalidArgument(format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}
