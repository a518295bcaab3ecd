package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// idempotent methods may be resent after a server error or a dropped
// connection: repeating them cannot do anything twice.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// idempotent reports whether the call may be resent after it may have
// reached the server: an idempotent method not marked Once.
func (a *attempt) idempotent() bool { return !a.once && idempotent(a.method) }

// attempt is the per-call retry state. It is the request's context: it
// wraps the caller's and answers Value(attemptKey{}) with itself, so the
// retry client's hooks (built once per Client) find it without a
// context.WithValue allocation per call.
type attempt struct {
	// Context is the caller's; deadlines, cancellation and other values
	// pass through unchanged.
	context.Context
	c      *Client
	method string
	// once is Request.Once: the call is resent only as a write is.
	once bool
	// number is the zero-based attempt index set by the request hook.
	number int
	start  time.Time
	// wrote is set by an httptrace hook once request headers hit the wire;
	// until then the server cannot have acted on the request.
	wrote atomic.Bool
	// refusedWait is a server-requested wait that was too long to sleep.
	refusedWait time.Duration
	// interrupted is the context's error when it ended during the wait
	// before a retry; the answer waited out is then the call's error too.
	interrupted error
}

// checkRetry is the retry policy: 429 for every method; 500, 502, 503, 504
// and transport errors for idempotent methods, or for any method when the
// request never left (dial or DNS failure); nothing else.
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a.logAttempt(resp, err)
	if ctx.Err() != nil {
		return false, nil
	}
	reason, ok := a.retryable(resp, err)
	if !ok {
		return false, nil
	}
	if a.number >= a.c.maxRetries {
		return false, nil
	}
	wait, fromServer := a.serverWait(resp)
	if fromServer {
		if wait > a.c.waitMax || a.pastDeadline(ctx, wait) {
			a.refusedWait = wait
			return false, nil
		}
		if wait < 0 {
			wait = 0
		}
	} else {
		wait = a.c.backoff(a.number)
		if a.pastDeadline(ctx, wait) {
			return false, nil
		}
	}
	a.c.logger.LogAttrs(ctx, slog.LevelWarn, "orgsdk: retrying request",
		slog.String("provider", a.c.provider),
		slog.String("method", a.method),
		slog.String("reason", reason),
		slog.Int("attempt", a.number+1),
		slog.Duration("wait", wait),
	)
	if wait > 0 {
		// Should the caller give up during the wait, the answer is what
		// the call returns, and its body can no longer be read then.
		keepBody(resp)
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			// Not an error for the retry client: it then hands back the
			// answer (or the network error) as it is, and Do joins the
			// context's error to it.
			a.interrupted = ctx.Err()
			return false, nil
		case <-t.C:
		}
	}
	return true, nil
}

// keptBodyCap bounds the error body read before a retry wait; a longer one
// is read on from the connection when the wait ends normally.
const keptBodyCap = 64 << 10

// keepBody reads the start of resp's body into memory, so that it can be
// read after the request's context has ended.
func keepBody(resp *http.Response) {
	if resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, keptBodyCap))
	rest := io.Reader(resp.Body)
	if err != nil {
		rest = errReader{err}
	}
	resp.Body = keptBody{Reader: io.MultiReader(bytes.NewReader(head), rest), Closer: resp.Body}
}

type keptBody struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// interruptedError is the answer (an *APIError) or network failure a call
// was waiting out before a retry when its context ended. It matches both:
// errors.Is(err, context.Canceled) and errors.Is(err, ErrRateLimited) hold
// for a cancelled wait after a 429, and errors.As finds the *APIError with
// its RetryAfter.
type interruptedError struct {
	last error
	ctx  error
}

func (e *interruptedError) Error() string {
	return e.last.Error() + "; gave up waiting to retry: " + e.ctx.Error()
}

func (e *interruptedError) Unwrap() []error { return []error{e.last, e.ctx} }

// Value returns the attempt itself for attemptKey and defers every other
// key to the caller's context.
func (a *attempt) Value(key any) any {
	if key == (attemptKey{}) {
		return a
	}
	return a.Context.Value(key)
}

func (a *attempt) markWrote() { a.wrote.Store(true) }

func (a *attempt) retryable(resp *http.Response, err error) (string, bool) {
	if err != nil {
		if !retryableTransportError(err) {
			return "", false
		}
		if a.idempotent() || !a.wrote.Load() || isDialError(err) {
			return "transport error: " + RedactText(RedactError(err).Error()), true
		}
		return "", false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return "429 Too Many Requests", true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if a.idempotent() {
			return resp.Status, true
		}
	}
	return "", false
}

// retryableTransportError rules out failures that repeat identically:
// refused redirects and foreign hosts, bad certificates, cancellation.
func retryableTransportError(err error) bool {
	if errors.Is(err, ErrRedirectedWrite) || errors.Is(err, ErrForeignHost) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, errTooManyRedirects) {
		return false
	}
	var limErr *limiterError
	var perm *permanentError
	if errors.As(err, &limErr) || errors.As(err, &perm) {
		// The caller's limiter refused, or a transport of the caller's
		// said that trying again cannot help.
		return false
	}
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) {
		// An address that does not parse (a port above 65535) never will.
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return false
	}
	var recordErr tls.RecordHeaderError
	if errors.As(err, &recordErr) {
		// Speaking TLS to a plain-HTTP port fails the same way every time.
		return false
	}
	return true
}

// serverWait reads the wait a server asked for: Retry-After (seconds or an
// HTTP date) on any retryable answer, or X-RateLimit-Reset on a 429.
func (a *attempt) serverWait(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return d, true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := parseReset(resp.Header.Get("X-RateLimit-Reset"), time.Now()); ok {
			return d, true
		}
	}
	return 0, false
}

func (a *attempt) pastDeadline(ctx context.Context, wait time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Now().Add(wait).After(deadline)
}

// ParseRetryAfter reads a Retry-After value: delta-seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// parseReset reads X-RateLimit-Reset as epoch seconds; small values are taken
// as delta-seconds, which some servers send under the same name.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	t, ok := parseResetTime(v, now)
	if !ok {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

func parseResetTime(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 || n > 1e11 {
		return time.Time{}, false
	}
	if n < 1e9 {
		return now.Add(time.Duration(n * float64(time.Second))), true
	}
	sec := int64(n)
	return time.Unix(sec, int64((n-float64(sec))*1e9)), true
}

// backoff is exponential with full jitter, bounded by [waitMin, waitMax].
func (c *Client) backoff(attemptNum int) time.Duration {
	upper := c.waitMax
	if attemptNum < 62 {
		if exp := c.waitMin << uint(attemptNum); exp > 0 && exp < upper {
			upper = exp
		}
	}
	if upper <= c.waitMin {
		return c.waitMin
	}
	return c.waitMin + rand.N(upper-c.waitMin+1)
}

func (a *attempt) logAttempt(resp *http.Response, err error) {
	if !a.c.logger.Enabled(a, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("provider", a.c.provider),
		slog.String("method", a.method),
		slog.String("host", a.c.base.Host),
		slog.Int("attempt", a.number+1),
		slog.Duration("duration", time.Since(a.start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.String("path", resp.Request.URL.Path), slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", a.c.secrets.Scrub(RedactText(RedactError(err).Error()))))
	}
	a.c.logger.LogAttrs(a, slog.LevelDebug, "orgsdk: http attempt", attrs...)
}

// isDialError reports a failure that certainly happened before the request
// was written, whatever the trace saw.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}
