package transport

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels matched by (*APIError).Is through errors.Is, by HTTP status.
var (
	ErrNotFound     = errors.New("orgsdk: not found")
	ErrUnauthorized = errors.New("orgsdk: unauthorized")
	ErrForbidden    = errors.New("orgsdk: forbidden")
	ErrConflict     = errors.New("orgsdk: conflict")
	ErrRateLimited  = errors.New("orgsdk: rate limited")
	ErrValidation   = errors.New("orgsdk: validation failed")
)

// Errors raised by the transport itself rather than by a server's answer.
var (
	// ErrForeignHost: a next-page link, cursor or redirect pointed at a host
	// other than the base URL's; no request (and no credential) went there.
	ErrForeignHost = errors.New("orgsdk: refusing to send a request to a host other than the base URL's")
	// ErrRedirectedWrite: a write was answered with a redirect. net/http would
	// replay it as a GET, silently turning the write into a read.
	ErrRedirectedWrite = errors.New("orgsdk: refusing to follow a redirect for a write")
	// ErrInvalidArgument: a caller's argument was rejected before any I/O.
	ErrInvalidArgument = errors.New("orgsdk: invalid argument")
	// ErrUnexpectedContentType: a body was not in the expected media type
	// (an HTML error page from a proxy, say).
	ErrUnexpectedContentType = errors.New("orgsdk: unexpected content type")
	// ErrBodyTooLarge: a body exceeded the configured cap.
	ErrBodyTooLarge = errors.New("orgsdk: response body too large")
	// ErrTruncatedBody: the connection ended before the body did.
	ErrTruncatedBody = errors.New("orgsdk: response body truncated")
	// ErrPaginationLoop: a server sent the same next-page cursor twice.
	ErrPaginationLoop = errors.New("orgsdk: pagination did not advance")
)

// maxErrorBody caps the copy of an error body kept on APIError.
const maxErrorBody = 4 << 10

// ErrorDetail is one item of a provider's structured error: a field error,
// a JSON:API error object, or a Commvault errList entry.
type ErrorDetail struct {
	// Field names what the detail is about: a field name, a JSON pointer or
	// a query parameter. Empty when the provider does not say.
	Field string `json:"field,omitempty"`
	// Code is the provider's own code for the detail, if any.
	Code string `json:"code,omitempty"`
	// Message is the human-readable text.
	Message string `json:"message"`
}

func (d ErrorDetail) String() string {
	switch {
	case d.Field != "" && d.Code != "":
		return fmt.Sprintf("%s: %s (%s)", d.Field, d.Message, d.Code)
	case d.Field != "":
		return d.Field + ": " + d.Message
	case d.Code != "":
		return fmt.Sprintf("%s (%s)", d.Message, d.Code)
	}
	return d.Message
}

// APIError is a non-success answer from a provider's API. Use errors.As to
// get at it and errors.Is with the Err* sentinels to branch on its status.
type APIError struct {
	// StatusCode is the HTTP status. Providers that report errors inside an
	// HTTP 200 (Commvault) set the status that was on the wire.
	StatusCode int
	// Method and URL of the request; the URL has every secret removed.
	Method string
	URL    string
	// Message is the provider's own summary, or the status text.
	Message string
	// Code is the provider's error code when it sends one (Commvault's
	// errorCode, a JSON:API code).
	Code string
	// Details carries the provider's structured errors.
	Details []ErrorDetail
	// RetryAfter is the wait the server asked for (Retry-After,
	// X-RateLimit-Reset), or the wait the transport refused to sleep.
	RetryAfter time.Duration
	// RequestID is the server's request identifier header, when sent.
	RequestID string
	// Body is a copy of the response body, at most 4 KiB, with secrets
	// removed.
	Body []byte
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("orgsdk: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
	}
	if e.URL != "" {
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if txt := http.StatusText(e.StatusCode); txt != "" {
		b.WriteByte(' ')
		b.WriteString(txt)
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if len(e.Details) > 0 {
		parts := make([]string, len(e.Details))
		for i, d := range e.Details {
			parts[i] = d.String()
		}
		b.WriteString(" [")
		b.WriteString(strings.Join(parts, "; "))
		b.WriteByte(']')
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Millisecond))
	}
	return b.String()
}

// Is matches the status sentinels. A 503 that carried a wait too long to
// sleep counts as rate limiting too: the server told us when to come back.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests ||
			(e.StatusCode == http.StatusServiceUnavailable && e.RetryAfter > 0)
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	}
	return false
}

// DecodeError is a success answer whose body could not be read or decoded:
// malformed, truncated, oversized, or not in the expected media type.
type DecodeError struct {
	StatusCode  int
	Method      string
	URL         string
	ContentType string
	// Snippet is at most 200 bytes of the body with secrets removed.
	Snippet string
	Err     error
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("orgsdk: %s %s: cannot decode %d response", e.Method, e.URL, e.StatusCode)
	if e.ContentType != "" {
		msg += " (" + e.ContentType + ")"
	}
	msg += ": " + e.Err.Error()
	if e.Snippet != "" {
		msg += fmt.Sprintf("; body starts %q", e.Snippet)
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// InvalidArgument returns an error for a bad caller argument, detected
// before any I/O. It matches ErrInvalidArgument.
func InvalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// snippet returns at most n bytes of body, redacted, on a rune boundary.
func snippet(body []byte, n int) string {
	s := RedactText(string(body))
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !isRuneStart(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return strings.ToValidUTF8(s, "")
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
