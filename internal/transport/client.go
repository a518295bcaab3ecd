package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/orgsdk/orgsdk"
)

// ErrorParser fills an APIError's Message, Code and Details from a
// provider's error body. It must tolerate any bytes.
type ErrorParser func(e *APIError, body []byte)

// Config is what a provider hands to New.
type Config struct {
	// Provider names the provider in the User-Agent and in log lines.
	Provider string
	Settings Settings
	// Auth adds credentials to each request for the base origin.
	Auth AuthFunc
	// ParseError reads the provider's error bodies.
	ParseError ErrorParser
	// Secrets are literal values (tokens, passwords) scrubbed from every
	// error string and log line even where no rule would spot them.
	Secrets *Secrets
}

// Client is the shared HTTP core. It is safe for concurrent use.
type Client struct {
	provider   string
	base       *url.URL
	hc         *http.Client
	logger     *slog.Logger
	userAgent  string
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	maxBody    int64
	prefetch   int
	parseError ErrorParser
	secrets    *Secrets
	// retry is built once: its hooks find the per-call state in the
	// request's context, so a call allocates no client and no closures.
	retry *retryablehttp.Client
}

// New builds a transport client; it does no I/O.
func New(cfg Config) (*Client, error) {
	s := cfg.Settings
	if cfg.Provider == "" {
		return nil, ProviderArgumentError("", "provider name is required")
	}
	if s.BaseURL == nil {
		return nil, ProviderArgumentError(cfg.Provider, "base URL is required")
	}
	if s.RetryWaitMin <= 0 || s.RetryWaitMax < s.RetryWaitMin {
		return nil, ProviderArgumentError(cfg.Provider, "invalid retry wait %s..%s", s.RetryWaitMin, s.RetryWaitMax)
	}
	if s.Prefetch < 0 {
		return nil, ProviderArgumentError(cfg.Provider, "prefetch %d is negative", s.Prefetch)
	}
	if s.MaxRetries < 0 || s.MaxBodyBytes <= 0 {
		return nil, ProviderArgumentError(cfg.Provider, "invalid retry count or body cap")
	}
	base := *s.BaseURL
	hc := s.HTTPClient
	if hc == nil {
		hc = newDefaultHTTPClient(s.BodyIdleTimeout)
	}
	copied := *hc
	next := copied.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	limiter, err := s.limiter()
	if err != nil {
		return nil, ProviderArgumentError(cfg.Provider, "%s", err.Error())
	}
	if limiter != nil {
		next = newPacer(next, limiter)
	}
	secrets := cfg.Secrets
	if secrets == nil {
		secrets = &Secrets{}
	}
	copied.Transport = &authTransport{next: next, base: &base, auth: cfg.Auth}
	copied.CheckRedirect = checkRedirect(&base, hc.CheckRedirect, secrets)
	logger := slog.New(slog.DiscardHandler)
	if s.Logger != nil {
		// Every line, the providers' own included, is scrubbed on its way
		// out (issue 19.3).
		logger = slog.New(&scrubHandler{next: s.Logger.Handler(), secrets: secrets})
	}
	ua := fmt.Sprintf("orgsdk/%s (%s)", orgsdk.Version, cfg.Provider)
	if s.UserAgentSuffix != "" {
		ua += " " + s.UserAgentSuffix
	}
	if secrets.Holds(ua) {
		return nil, ProviderArgumentError(cfg.Provider, "the user agent must not hold a credential")
	}
	c := &Client{
		provider:   cfg.Provider,
		base:       &base,
		hc:         &copied,
		logger:     logger,
		userAgent:  ua,
		maxRetries: s.MaxRetries,
		waitMin:    s.RetryWaitMin,
		waitMax:    s.RetryWaitMax,
		maxBody:    s.MaxBodyBytes,
		prefetch:   s.Prefetch,
		parseError: cfg.ParseError,
		secrets:    secrets,
	}
	c.retry = &retryablehttp.Client{
		HTTPClient:   c.hc,
		RetryWaitMin: c.waitMin,
		RetryWaitMax: c.waitMax,
		RetryMax:     c.maxRetries,
		CheckRetry:   checkRetry,
		// checkRetry sleeps itself (it has the context and the state to
		// know how long), so retryablehttp's own pause is zero.
		Backoff:        func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: beforeAttempt,
	}
	return c, nil
}

// BaseURL returns a copy of the API root.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Prefetch is how many pages a walk may have in flight ahead of the
// caller (0: none). Cursor walks (Iterate) go one page ahead when it is
// positive; page-addressable walks (IterateAt) up to that many.
func (c *Client) Prefetch() int { return c.prefetch }

// Logger returns the client's logger (a discarding one by default): the
// caller's, behind the scrubber, so whatever a provider logs through it
// loses every secret the client holds.
func (c *Client) Logger() *slog.Logger { return c.logger }

// Request describes one API call.
type Request struct {
	Method string
	// Path segments are appended to the base URL, each escaped on its own.
	Path []string
	// TrailingSlash appends "/" after the last segment (Django routes need
	// it: without it a write is redirected and silently becomes a read).
	TrailingSlash bool
	// URL, when set, is a next-page link (absolute or relative to the base
	// URL) used verbatim instead of Path; it must point at the base origin.
	URL string
	// Query is a go-querystring struct (url:"..." tags) merged into the
	// query string; Values are merged after it.
	Query  any
	Values url.Values
	// Body is sent as JSON, or as-is when it is a []byte.
	Body        any
	ContentType string
	// Accept is sent as the Accept header (default application/json).
	Accept string
	// Expect lists the media types a success body may have; default
	// application/json and any +json type. A missing Content-Type is
	// tolerated; a different one is an error.
	Expect []string
	Header http.Header
	// NoAuth skips the credential function (a login call).
	NoAuth bool
	// Once makes a request of an idempotent method (DELETE, PUT) follow
	// the rule of writes: never resent once it may have reached the
	// server. A JSON:API DELETE answered 404 the second time would turn a
	// success into an error.
	Once bool
}

// Decoder decodes a success body. Returning an *APIError passes it through
// unchanged (a provider that reports errors inside HTTP 200); any other
// error becomes a *DecodeError.
type Decoder func(resp *http.Response, body []byte) error

// ResolveURL builds the absolute URL for r, checking every rule that can be
// checked before I/O.
func (c *Client) ResolveURL(r *Request) (*url.URL, error) {
	u, err := c.resolveURL(r)
	return u, c.named(err)
}

// named gives an error of this client the provider's name (see
// ProviderError) and cleans it (CleanError): every error a Client method
// returns leaves through here. The success path pays one comparison.
func (c *Client) named(err error) error {
	if err == nil {
		return nil
	}
	return c.secrets.CleanError(nameProvider(c.provider, err))
}

func (c *Client) resolveURL(r *Request) (*url.URL, error) {
	var u *url.URL
	if r.URL != "" {
		ref, err := url.Parse(r.URL)
		if err != nil {
			return nil, InvalidArgument("cursor %q is not a URL", c.secrets.QuoteURL(r.URL))
		}
		u = c.base.ResolveReference(ref)
		if !SameOrigin(u, c.base) {
			return nil, fmt.Errorf("%w: %s", ErrForeignHost, RedactURL(u))
		}
	} else {
		p, err := JoinPath(c.base.EscapedPath(), r.Path, r.TrailingSlash)
		if err != nil {
			return nil, err
		}
		u = new(url.URL)
		*u = *c.base
		if err := setEscapedPath(u, p); err != nil {
			return nil, err
		}
	}
	if r.Query != nil || len(r.Values) > 0 {
		q := u.Query()
		if r.Query != nil {
			vals, err := query.Values(r.Query)
			if err != nil {
				return nil, InvalidArgument("cannot encode query: %v", err)
			}
			for k, v := range vals {
				q[k] = v
			}
		}
		for k, v := range r.Values {
			q[k] = v
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

func setEscapedPath(u *url.URL, escaped string) error {
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return InvalidArgument("bad path: %v", err)
	}
	u.Path = p
	u.RawPath = escaped
	return nil
}

// JoinPath appends escaped segments to an escaped base path. An empty, "."
// or ".." segment is an error: it would address another resource.
func JoinPath(basePath string, segments []string, trailingSlash bool) (string, error) {
	basePath = strings.TrimRight(basePath, "/")
	// Sized for the common case (no segment needs escaping): one
	// allocation for the whole path.
	size := len(basePath) + 1
	for _, seg := range segments {
		size += len(seg) + 1
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(basePath)
	for _, seg := range segments {
		switch seg {
		case "":
			return "", InvalidArgument("empty path segment")
		case ".", "..":
			return "", InvalidArgument("path segment %q is not allowed", seg)
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(seg))
	}
	if trailingSlash || len(segments) == 0 {
		b.WriteByte('/')
	}
	return b.String(), nil
}

// Do sends r with retries, checks the answer and hands a success body to
// decode (nil: the body is discarded). Every non-success answer is an
// *APIError.
func (c *Client) Do(ctx context.Context, r *Request, decode Decoder) (*Response, error) {
	resp, err := c.do(ctx, r, decode)
	return resp, c.named(err)
}

func (c *Client) do(ctx context.Context, r *Request, decode Decoder) (*Response, error) {
	if ctx == nil {
		return nil, InvalidArgument("nil context")
	}
	u, err := c.resolveURL(r)
	if err != nil {
		return nil, err
	}
	if err := checkRequestHeaders(r); err != nil {
		return nil, err
	}
	body, contentType, err := encodeBody(r)
	if err != nil {
		return nil, err
	}
	// The attempt is the request's context itself (see attempt.Value): one
	// allocation instead of two.
	a := &attempt{Context: ctx, c: c, method: r.Method, once: r.Once}
	var actx context.Context = a
	if !a.idempotent() {
		// Only a write needs to know whether it reached the wire: reads
		// are retried either way, and the trace costs allocations.
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteHeaders: a.markWrote})
	}
	if r.NoAuth {
		actx = context.WithValue(actx, noAuthKey{}, true)
	}
	req, err := newRetryRequest(actx, r.Method, u, body)
	if err != nil {
		return nil, err
	}
	accept := r.Accept
	if accept == "" {
		accept = "application/json"
	}
	// One backing array holds the values of every header set here; each
	// slice is capped, so an append elsewhere copies rather than overwrites.
	vals := []string{c.userAgent, accept, contentType}
	req.Header["User-Agent"] = vals[0:1:1]
	req.Header["Accept"] = vals[1:2:2]
	if body != nil {
		req.Header["Content-Type"] = vals[2:3:3]
	}
	for k, v := range r.Header {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}

	resp, err := c.retry.Do(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return nil, fmt.Errorf("orgsdk: %s: %s %s: %w", c.provider, r.Method, RedactURL(u), ctxErr)
		}
		return nil, a.joinInterrupted(c.transportError(r.Method, u, err, a.number+1))
	}
	out, err := c.finish(resp, r, u, a, decode)
	return out, a.joinInterrupted(err)
}

// joinInterrupted adds the context's error to the failure a call was
// waiting out before a retry when its context ended.
func (a *attempt) joinInterrupted(err error) error {
	if err == nil || a.interrupted == nil {
		return err
	}
	return &interruptedError{last: err, ctx: a.interrupted}
}

// newRetryRequest builds the request for the retry client. The URL is
// set directly: printing it for NewRequest to parse again would cost two
// allocations per call for nothing. A request without a body is built
// whole here, as http.NewRequestWithContext would build it, which saves
// parsing an empty URL; one with a body goes through retryablehttp, which
// makes it replayable.
func newRetryRequest(ctx context.Context, method string, u *url.URL, body []byte) (*retryablehttp.Request, error) {
	if body == nil {
		hr := (&http.Request{
			Method:     method,
			URL:        u,
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     make(http.Header, 4),
			Host:       u.Host,
		}).WithContext(ctx)
		req, err := retryablehttp.FromRequest(hr)
		if err != nil {
			return nil, InvalidArgument("cannot build request: %v", RedactError(err))
		}
		return req, nil
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, "", body)
	if err != nil {
		return nil, InvalidArgument("cannot build request: %v", RedactError(err))
	}
	req.URL = u
	req.Host = u.Host
	return req, nil
}

type noAuthKey struct{}

// attemptKey carries a call's *attempt to the retry hooks.
type attemptKey struct{}

func attemptOf(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

// beforeAttempt runs before each send: it resets the per-attempt state.
func beforeAttempt(_ retryablehttp.Logger, req *http.Request, n int) {
	if a := attemptOf(req.Context()); a != nil {
		a.number = n
		a.wrote.Store(false)
		// The start time only feeds the debug log line; reading the clock
		// costs about 0.1 µs on a virtual machine, per call (issue 12).
		if a.c.logger.Enabled(a, slog.LevelDebug) {
			a.start = time.Now()
		}
	}
}

// checkRetry finds the call's state in the context and decides.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := attemptOf(ctx)
	if a == nil {
		return false, nil
	}
	return a.checkRetry(ctx, resp, err)
}

func encodeBody(r *Request) ([]byte, string, error) {
	ct := r.ContentType
	switch b := r.Body.(type) {
	case nil:
		return nil, "", nil
	case []byte:
		if ct == "" {
			ct = "application/json"
		}
		return b, ct, nil
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, "", InvalidArgument("cannot encode request body: %v", err)
		}
		if ct == "" {
			ct = "application/json"
		}
		return data, ct, nil
	}
}

// transportError returns a network failure without the *url.Error
// net/http wraps it in (its URL is the raw one); the Client's exit
// (named) scrubs and bounds every string of it and of its cause.
func (c *Client) transportError(method string, u *url.URL, err error, attempts int) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &TransportError{Provider: c.provider, Method: method, URL: RedactURL(u), Message: err.Error(), Err: err, Attempts: attempts}
}

func (c *Client) finish(resp *http.Response, r *Request, u *url.URL, a *attempt, decode Decoder) (*Response, error) {
	defer resp.Body.Close()
	// The request on the response is the one sent, minus what the auth
	// layer added (it hands back the request it was given); it still loses
	// its body and any credential or secret in it (a cursor or a redirect
	// may have put the token in its path), since callers log it.
	resp.Request = c.sanitizeRequest(resp.Request, 10)
	// The answer's own headers too: a server may echo the token in any of
	// them (X-Request-Id, Link), and Response hands them to the caller.
	// Last, so a session token the decoder has just learnt (a login's)
	// counts as well.
	defer func() {
		if c.headerHolds(resp.Header) {
			resp.Header = c.cleanHeader(resp.Header)
		}
	}()
	out := &Response{Response: resp, Rate: ParseRateLimit(resp.Header)}
	body, readErr := c.readBody(resp)
	resp.Body = http.NoBody
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := &APIError{
			Provider:   c.provider,
			StatusCode: resp.StatusCode,
			Method:     r.Method,
			URL:        RedactURL(u),
			Message:    http.StatusText(resp.StatusCode),
			RequestID:  requestID(resp.Header),
			Attempts:   a.number + 1,
		}
		if a.refusedWait > 0 {
			apiErr.RetryAfter = a.refusedWait
		} else if d, ok := a.serverWait(resp); ok {
			apiErr.RetryAfter = d
		}
		if readErr == nil || errors.Is(readErr, ErrBodyTooLarge) {
			apiErr.Body = []byte(c.secrets.RedactedPrefix(body, maxErrorBody))
			if c.parseError != nil && len(body) > 0 && !isHTML(resp.Header.Get("Content-Type"), body) {
				c.parseError(apiErr, body)
			} else if isHTML(resp.Header.Get("Content-Type"), body) {
				apiErr.Message = http.StatusText(resp.StatusCode) + " (HTML page: " + c.secrets.RedactedPrefix(body, 120) + ")"
			}
		}
		return out, apiErr
	}
	if readErr != nil {
		if ctxErr := a.Err(); ctxErr != nil {
			// The caller's deadline or cancellation cut the body short:
			// report it as such, like a cancellation before the headers.
			return out, fmt.Errorf("orgsdk: %s: %s %s: reading the body: %w", c.provider, r.Method, RedactURL(u), ctxErr)
		}
		return out, c.decodeError(resp, r, u, body, readErr)
	}
	if decode == nil {
		return out, nil
	}
	if err := waitTurn(a, resp.Body); err != nil {
		return out, err
	}
	if err := checkContentType(resp.Header.Get("Content-Type"), r.Expect, body); err != nil {
		return out, c.decodeError(resp, r, u, body, err)
	}
	if err := checkBodyFormat(resp.Header.Get("Content-Type"), r.Expect, body); err != nil {
		return out, c.decodeError(resp, r, u, body, err)
	}
	if err := decode(resp, body); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			if apiErr.Provider == "" {
				apiErr.Provider = c.provider
			}
			if apiErr.Method == "" {
				apiErr.Method = r.Method
			}
			if apiErr.URL == "" {
				apiErr.URL = RedactURL(u)
			}
			if apiErr.StatusCode == 0 {
				apiErr.StatusCode = resp.StatusCode
			}
			if apiErr.Attempts == 0 {
				apiErr.Attempts = a.number + 1
			}
			// Always the transport's copy: it is the one that is scrubbed.
			apiErr.Body = []byte(c.secrets.RedactedPrefix(body, maxErrorBody))
			return out, err
		}
		return out, c.decodeError(resp, r, u, body, err)
	}
	return out, nil
}

func (c *Client) decodeError(resp *http.Response, r *Request, u *url.URL, body []byte, err error) error {
	return &DecodeError{
		Provider:    c.provider,
		StatusCode:  resp.StatusCode,
		Method:      r.Method,
		URL:         RedactURL(u),
		ContentType: resp.Header.Get("Content-Type"),
		Snippet:     c.secrets.RedactedPrefix(body, 200),
		Err:         err,
	}
}

// readBody reads at most maxBody bytes and reports a longer or cut-off body.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	if resp.ContentLength > c.maxBody {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds the %d-byte cap", ErrBodyTooLarge, resp.ContentLength, c.maxBody)
	}
	if resp.ContentLength >= 0 {
		// Sized up front: one allocation instead of ReadAll's doubling.
		body := make([]byte, resp.ContentLength)
		n, err := io.ReadFull(resp.Body, body)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return body[:n], fmt.Errorf("%w: got %d of %d bytes", ErrTruncatedBody, n, resp.ContentLength)
			}
			return body[:n], fmt.Errorf("%w after %d bytes: %w", ErrTruncatedBody, n, err)
		}
		return body, nil
	}
	body, err := readUnsized(resp.Body, c.maxBody+1)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return body, fmt.Errorf("%w after %d bytes", ErrTruncatedBody, len(body))
		}
		// %w twice: the caller can match both the truncation and its cause
		// (a context deadline, an idle timeout).
		return body, fmt.Errorf("%w after %d bytes: %w", ErrTruncatedBody, len(body), err)
	}
	if int64(len(body)) > c.maxBody {
		return body[:c.maxBody], fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, c.maxBody)
	}
	if resp.ContentLength >= 0 && int64(len(body)) < resp.ContentLength {
		return body, fmt.Errorf("%w: got %d of %d bytes", ErrTruncatedBody, len(body), resp.ContentLength)
	}
	return body, nil
}

// readBuffers recycles the scratch buffers of unsized reads; the body
// handed on is an exact-size copy, since decoders may keep slices of it.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// readUnsized reads at most limit bytes of a body of unknown length.
func readUnsized(r io.Reader, limit int64) ([]byte, error) {
	bp := readBuffers.Get().(*[]byte)
	buf := (*bp)[:0]
	var err error
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			// Doubling keeps the total allocated under twice the body;
			// append's gentler growth for large slices costs ~5x.
			grown := make([]byte, len(buf), min(2*int64(cap(buf))+512, limit))
			copy(grown, buf)
			buf = grown
		}
		room := buf[len(buf):cap(buf)]
		if rest := limit - int64(len(buf)); int64(len(room)) > rest {
			room = room[:rest]
		}
		var n int
		n, err = r.Read(room)
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	body := bytes.Clone(buf)
	if body == nil {
		body = []byte{}
	}
	if cap(buf) <= 1<<20 {
		// Huge buffers are dropped so one big answer does not pin memory.
		*bp = buf[:0]
		readBuffers.Put(bp)
	}
	return body, err
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

func isHTML(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	return htmlDocument(body)
}

// checkContentType accepts the expected media types, ignoring parameters
// such as charset; JSON expectations also accept any +json type.
func checkContentType(contentType string, expect []string, body []byte) error {
	if len(expect) == 0 {
		expect = []string{"application/json"}
	}
	if slices.Contains(expect, AnyContentType) {
		return nil
	}
	if strings.TrimSpace(contentType) == "" {
		if isHTML("", body) {
			return fmt.Errorf("%w: got an HTML page, want %s", ErrUnexpectedContentType, strings.Join(expect, " or "))
		}
		return nil
	}
	mt := mediaType(contentType)
	if !strings.Contains(mt, "/") {
		return fmt.Errorf("%w: unparseable Content-Type %q", ErrUnexpectedContentType, contentType)
	}
	for _, want := range expect {
		if mt == want || want == AnyContentType {
			return nil
		}
		if want == "application/json" && strings.HasSuffix(mt, "+json") {
			return nil
		}
	}
	if isHTML(contentType, body) {
		return fmt.Errorf("%w: got an HTML page (%s), want %s", ErrUnexpectedContentType, mt, strings.Join(expect, " or "))
	}
	return fmt.Errorf("%w: got %s, want %s", ErrUnexpectedContentType, mt, strings.Join(expect, " or "))
}

// mediaType returns the lower-case type/subtype of a Content-Type value,
// without parameters. mime.ParseMediaType would also parse the parameters
// into a map on every call, and only the type is compared.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	for i := 0; i < len(mt); i++ {
		if 'A' <= mt[i] && mt[i] <= 'Z' {
			return strings.ToLower(mt)
		}
	}
	return mt
}

// ParseRateLimit reads X-RateLimit-Limit, -Remaining and -Reset; header
// names match in any case because net/http canonicalises them.
func ParseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	// Canonical keys read the map directly: Get would canonicalise
	// "X-RateLimit-Limit" into a new string on every call.
	rl.Limit = atoi(headerValue(h, "X-Ratelimit-Limit"))
	rl.Remaining = atoi(headerValue(h, "X-Ratelimit-Remaining"))
	// The clock is read only when there is a reset to place on it.
	if reset := headerValue(h, "X-Ratelimit-Reset"); reset != "" {
		if t, ok := parseResetTime(reset, time.Now()); ok {
			rl.Reset = t
		}
	}
	return rl
}

func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func atoi(s string) int {
	if s == "" {
		// Most providers send no rate-limit headers; parsing "" would
		// allocate a syntax error per call.
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// hasSecretParam reports whether a raw query may carry a credential; it
// errs on the side of yes (RedactURL then decides).
func hasSecretParam(rawQuery string) bool {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, _, _ := strings.Cut(pair, "=")
		if strings.Contains(k, "%") || IsSecretParam(k) {
			return true
		}
	}
	return false
}
