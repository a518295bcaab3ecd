package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// Defaults shared by every provider.
const (
	DefaultMaxRetries   = 4
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	DefaultMaxBodyBytes = 32 << 20 // 32 MiB
	// DefaultBodyIdleTimeout ends a call whose server sent headers and then
	// stopped sending: without it a call with no context deadline hangs.
	DefaultBodyIdleTimeout = 60 * time.Second
	// maxRetriesLimit keeps a typo (1000 instead of 10) from turning one call
	// into an hour of retries.
	maxRetriesLimit = 100
)

// Settings are the options every provider accepts. Providers embed it in
// their own option state and expose one With... function per setter, so the
// validation lives here once.
type Settings struct {
	BaseURL         *url.URL
	HTTPClient      *http.Client
	Logger          *slog.Logger
	UserAgentSuffix string
	MaxRetries      int
	RetryWaitMin    time.Duration
	RetryWaitMax    time.Duration
	MaxBodyBytes    int64
	// Prefetch is how many pages a walk may have in flight while the
	// caller consumes the current one (0: none; see SetPrefetch).
	Prefetch int
	// RateLimit and RatePer pace requests on the client side with
	// NewRateLimiter(RateLimit, RatePer); every attempt on the wire waits
	// (retries and followed redirects included). Zero: no pacing.
	RateLimit int
	RatePer   time.Duration
	// Limiter paces requests with the caller's limiter instead (see
	// orgsdk.Limiter); it cannot be combined with RateLimit.
	Limiter Limiter
	// BodyIdleTimeout is how long the default HTTP client waits for the
	// next byte of a connection before giving up. A caller's own client
	// keeps its own policy.
	BodyIdleTimeout time.Duration
}

// NewSettings returns the defaults for a provider whose production API lives
// at defaultBaseURL ("" for self-hosted providers, which must be given one).
func NewSettings(defaultBaseURL string) (Settings, error) {
	s := Settings{
		MaxRetries:   DefaultMaxRetries,
		RetryWaitMin: DefaultRetryWaitMin,
		RetryWaitMax: DefaultRetryWaitMax,
		MaxBodyBytes: DefaultMaxBodyBytes,

		BodyIdleTimeout: DefaultBodyIdleTimeout,
	}
	if defaultBaseURL != "" {
		if err := s.SetBaseURL(defaultBaseURL); err != nil {
			return Settings{}, err
		}
	}
	return s, nil
}

// ParseBaseURL checks that raw is an absolute http or https URL with a host
// and no credentials, query or fragment, and normalises its path to end in
// exactly one slash so relative paths append instead of replacing the last
// segment.
//
// None of the providers' APIs takes credentials in the URL, so a base URL
// with user info is refused, and the error quotes none of it (issue 19.3):
// a password holding '#', '/', '?', '^', a space or a bad %-escape makes
// url.Parse fail, and url.Parse's own error quotes the whole raw URL. Any
// '@' counts as user info, parsed or not. The other errors quote at most
// the scheme, host and path, never a query or fragment.
func ParseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("base URL is empty")
	}
	if strings.Contains(raw, "@") {
		return nil, errors.New("base URL must not carry credentials (user info before an '@'); use the provider's credential options")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse errors quote the input; the cause alone says why.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("base URL is not a valid URL: %s", bound.Cut(err.Error(), bound.Field))
	}
	shown := quoteBase(u)
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	case "":
		return nil, fmt.Errorf("base URL %q has no scheme (want http:// or https://)", shown)
	default:
		return nil, fmt.Errorf("base URL %q has scheme %q (want http or https)", shown, bound.Cut(u.Scheme, 32))
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("base URL %q has no host", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", shown)
	}
	if p := u.Port(); p != "" {
		// url.Parse takes any digits; the dial would refuse the port on
		// every attempt.
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("base URL %q has port %s, outside 1..65535", RedactURLString(raw), p)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	if u.RawPath != "" {
		u.RawPath = strings.TrimRight(u.RawPath, "/") + "/"
	}
	return u, nil
}

// quoteBase is what an error about a base URL may show of it: scheme,
// host and path, bounded.
func quoteBase(u *url.URL) string {
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath, Opaque: u.Opaque}
	return bound.Cut(c.String(), bound.Field)
}

// SetBaseURL validates and stores the API root.
func (s *Settings) SetBaseURL(raw string) error {
	u, err := ParseBaseURL(raw)
	if err != nil {
		return err
	}
	s.BaseURL = u
	return nil
}

// SetHTTPClient stores the caller's client; it is copied when the transport
// is built, never mutated.
func (s *Settings) SetHTTPClient(c *http.Client) error {
	if c == nil {
		return errors.New("HTTP client is nil")
	}
	s.HTTPClient = c
	return nil
}

// SetLogger stores the logger used for per-attempt Debug and per-retry Warn
// lines.
func (s *Settings) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New("logger is nil")
	}
	s.Logger = l
	return nil
}

// SetUserAgent stores a suffix appended to orgsdk's own User-Agent.
func (s *Settings) SetUserAgent(suffix string) error {
	if err := CheckHeaderValue("WithUserAgent", "the user agent", suffix); err != nil {
		return err
	}
	s.UserAgentSuffix = strings.TrimSpace(suffix)
	return nil
}

// SetMaxRetries stores how many times a failed request may be retried.
func (s *Settings) SetMaxRetries(n int) error {
	if n < 0 || n > maxRetriesLimit {
		return fmt.Errorf("max retries %d out of range 0..%d", n, maxRetriesLimit)
	}
	s.MaxRetries = n
	return nil
}

// SetRetryWait stores the bounds of the backoff between retries. A server's
// Retry-After longer than max is not slept: the call fails at once instead.
func (s *Settings) SetRetryWait(lo, hi time.Duration) error {
	if lo <= 0 {
		return fmt.Errorf("retry wait min %s must be positive", lo)
	}
	if hi < lo {
		return fmt.Errorf("retry wait max %s is less than min %s", hi, lo)
	}
	s.RetryWaitMin, s.RetryWaitMax = lo, hi
	return nil
}

// SetMaxBodyBytes caps how much of a response body is read.
func (s *Settings) SetMaxBodyBytes(n int64) error {
	if n <= 0 {
		return fmt.Errorf("max body size %d must be positive", n)
	}
	s.MaxBodyBytes = n
	return nil
}

// SetPrefetch stores how many pages a walk may fetch ahead of the caller
// (issue 25): 0 none, 1 the next page, n up to n pages at once where the
// pages are addressed by offset or number. Negative is refused.
func (s *Settings) SetPrefetch(pages int) error {
	if pages < 0 {
		return fmt.Errorf("WithPrefetch: %d pages must not be negative", pages)
	}
	s.Prefetch = pages
	return nil
}

// SetRateLimit paces the client with NewRateLimiter(n, per): bursts of up
// to n requests, n per per on average, so bulk walks stay under a
// provider's documented limit instead of relying on 429 answers. n == 0
// turns pacing off.
func (s *Settings) SetRateLimit(n int, per time.Duration) error {
	if n < 0 {
		return fmt.Errorf("WithRateLimit: rate limit %d must not be negative", n)
	}
	if n > 0 && per <= 0 {
		return fmt.Errorf("WithRateLimit: window %s must be positive", per)
	}
	s.RateLimit, s.RatePer = n, per
	return nil
}

// SetLimiter paces the client with l, which several clients (or, for a
// distributed limiter, several processes) may share.
func (s *Settings) SetLimiter(l Limiter) error {
	if isNil(l) {
		return errors.New("WithLimiter: limiter is nil")
	}
	s.Limiter = l
	return nil
}

// limiter returns the limiter the settings ask for: nil for none, an
// error when both WithRateLimit and WithLimiter were given (which one
// should win is not for the SDK to guess).
func (s *Settings) limiter() (Limiter, error) {
	switch {
	case s.Limiter != nil && s.RateLimit > 0:
		return nil, errors.New("WithRateLimit and WithLimiter cannot be combined: give one")
	case s.Limiter != nil:
		return s.Limiter, nil
	case s.RateLimit > 0:
		return NewRateLimiter(s.RateLimit, s.RatePer), nil
	}
	return nil, nil
}

// DefaultHTTPClient returns a client with its own pooled transport and the
// timeouts http.DefaultTransport lacks, so one stuck server cannot hang a
// call without a context deadline forever: connect and TLS handshake are
// bounded, and so is every silence of the connection after that — waiting
// for the answer's headers as much as a pause inside its body
// (DefaultBodyIdleTimeout, see idleConn).
//
// It speaks HTTP/1.1. On HTTP/2 one connection carries many calls, so one
// call's silence would not show as the connection's, and bounding the wait
// for headers would take a timer per request (Transport's
// ResponseHeaderTimeout), which cost about 3 % of a loopback call
// (issue 12). A caller who wants HTTP/2 passes an http.Client of its own.
func DefaultHTTPClient() *http.Client { return newDefaultHTTPClient(DefaultBodyIdleTimeout) }

func newDefaultHTTPClient(idle time.Duration) *http.Client {
	if idle <= 0 {
		idle = DefaultBodyIdleTimeout
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return newIdleConn(conn, idle), nil
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}}
}

// idleConn fails a read or write once the connection has carried no
// traffic, in either direction, for about idle: a server that goes silent
// before or inside its answer then fails the read with
// os.ErrDeadlineExceeded instead of blocking forever. Both deadlines move
// together because the silence that matters is the server's since the
// request: a pooled connection's pending read must not keep the deadline
// it got when the connection went idle (a request sent on it later would
// fail early).
//
// Moving a deadline updates a runtime timer, which is cheap but not free
// on every read of every call, so it is moved at most once per idle/8: the
// timeout that applies is between 7/8 of idle and idle.
type idleConn struct {
	net.Conn
	idle time.Duration
	// born is the connection's start; renewAt (nanoseconds since born, on
	// the monotonic clock) is when the deadline may move again.
	born    time.Time
	renewAt atomic.Int64
}

func newIdleConn(conn net.Conn, idle time.Duration) *idleConn {
	return &idleConn{Conn: conn, idle: idle, born: time.Now()}
}

// touch moves both deadlines to idle from now, unless they moved within
// the last idle/8. Concurrent callers may both move them; that is harmless.
func (c *idleConn) touch() error {
	now := time.Since(c.born)
	if now < time.Duration(c.renewAt.Load()) {
		return nil
	}
	c.renewAt.Store(int64(now + c.idle/8))
	return c.Conn.SetDeadline(c.born.Add(now + c.idle))
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.touch(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	if err := c.touch(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}
