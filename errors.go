package orgsdk

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// Bounds on the text of every error of the SDK (issue 19.4). A server's
// message, a URL, a header value or a value a decoder refused is kept to
// at most ErrorFieldLimit bytes in each field of an error, and a whole
// Error() to at most ErrorTextLimit bytes; where something was left out
// the text ends in CutMark. The capped, scrubbed copy of the body in
// APIError.Body is there for who needs more.
const (
	// ErrorFieldLimit is the most bytes one string of an error keeps
	// (APIError.Message, URL, Code, RequestID, a detail's fields;
	// DecodeError.URL, ContentType; TransportError.URL, Message), the mark
	// included.
	ErrorFieldLimit = bound.Field
	// ErrorTextLimit is the most bytes Error() returns, the mark included.
	ErrorTextLimit = bound.Text
	// CutMark ends a string that was cut to its bound.
	CutMark = bound.Mark
)

// Sentinels matched by [APIError.Is] through [errors.Is], by HTTP status.
// Every provider package re-exports them under the same names.
var (
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("orgsdk: not found")
	// ErrUnauthorized matches a 401 answer (a missing, bad or expired
	// credential), and Commvault's "access denied" inside a 200.
	ErrUnauthorized = errors.New("orgsdk: unauthorized")
	// ErrForbidden matches a 403 answer: the credential is valid but lacks
	// the permission or scope.
	ErrForbidden = errors.New("orgsdk: forbidden")
	// ErrConflict matches a 409 answer.
	ErrConflict = errors.New("orgsdk: conflict")
	// ErrRateLimited matches a 429 answer, and a 503 that said how long to
	// wait (Retry-After): either way the server asked to be called later,
	// and APIError.RetryAfter says when.
	ErrRateLimited = errors.New("orgsdk: rate limited")
	// ErrValidation matches a 400 or 422 answer: the server rejected the
	// request's content. APIError.Details names the fields.
	ErrValidation = errors.New("orgsdk: validation failed")
)

// Errors raised by the SDK itself rather than by a server's answer.
var (
	// ErrInvalidArgument matches a caller's argument rejected before any
	// I/O: an empty id, a nil input, a bad option.
	ErrInvalidArgument = errors.New("orgsdk: invalid argument")
	// ErrForeignHost matches a next-page link, cursor or redirect that
	// pointed at a host other than the base URL's; no request (and no
	// credential) went there.
	ErrForeignHost = errors.New("orgsdk: refusing to send a request to a host other than the base URL's")
	// ErrRedirectedWrite matches a write answered with a redirect that
	// could not be followed safely. net/http would replay it as a GET,
	// silently turning the write into a read.
	ErrRedirectedWrite = errors.New("orgsdk: refusing to follow a redirect for a write")
	// ErrUnexpectedContentType matches a body that was not in the expected
	// media type (an HTML error page from a proxy, say).
	ErrUnexpectedContentType = errors.New("orgsdk: unexpected content type")
	// ErrBodyTooLarge matches a body longer than the configured cap
	// (WithMaxBodyBytes).
	ErrBodyTooLarge = errors.New("orgsdk: response body too large")
	// ErrTruncatedBody matches a body the connection cut short.
	ErrTruncatedBody = errors.New("orgsdk: response body truncated")
	// ErrPaginationLoop matches a walk (All) that stopped because its
	// pages stopped advancing: a page named a next-page cursor already
	// read in the same walk, a page was empty but named a next page, or a
	// page held only organizations the walk had already yielded and named
	// a next page. The walk ends instead of going round for ever; the
	// items of the page that did not advance are not yielded.
	ErrPaginationLoop = errors.New("orgsdk: pagination did not advance")
	// ErrTooManyPages matches a walk (All) that fetched as many pages as
	// its cap allows (ListOptions.MaxPages, default 10,000) while the
	// last of them still named a next page. Every item of those pages was
	// yielded; raise the cap, or continue from a cursor with List.
	ErrTooManyPages = errors.New("orgsdk: too many pages in one walk")
)

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

// String formats the detail as "field: message (code)", leaving out what is
// empty; each part is cut to ErrorFieldLimit.
func (d ErrorDetail) String() string {
	field, msg, code := bound.Cut(d.Field, bound.Field), bound.Cut(d.Message, bound.Field), bound.Cut(d.Code, bound.Field)
	switch {
	case field != "" && code != "":
		return field + ": " + msg + " (" + code + ")"
	case field != "":
		return field + ": " + msg
	case code != "":
		return msg + " (" + code + ")"
	}
	return msg
}

// APIError is a non-success answer from a provider's API. Use [errors.As]
// to get at it and [errors.Is] with the Err* sentinels to branch on its
// status. Every string in it has had credentials removed — every secret
// the client holds, in any encoding, and anything shaped like one — and is
// at most ErrorFieldLimit bytes (Body: 4 KiB), ending in CutMark where it
// was cut; Details keeps at most 50 entries.
type APIError struct {
	// Provider names the package that made the call ("readycloud",
	// "rservice", "commvault", "jsonapi").
	Provider string
	// StatusCode is the HTTP status. Providers that report errors inside an
	// HTTP 200 (Commvault) set the status that means the same (401 for
	// "access denied", say); the status on the wire is then in Response.
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
	// DocumentationURL is the page the provider points to for this error,
	// when its body names one (R-Service's 429 documentation_url).
	DocumentationURL string
	// RetryAfter is the wait the server asked for (Retry-After,
	// X-RateLimit-Reset), or the wait the SDK refused to sleep.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent, retries included
	// (0 when the error did not come from a request).
	Attempts int
	// RequestID is the server's request identifier header, when sent.
	RequestID string
	// Body is a copy of the response body, at most 4 KiB, with secrets
	// removed.
	Body []byte
}

// Error formats the error on one line: provider, method, URL, status, the
// provider's message, code and details, the wait the server asked for, and
// how many attempts were made when there was more than one. It is at most
// ErrorTextLimit bytes: each string is cut to ErrorFieldLimit, and the
// message and details to what leaves room for the wait and the attempts.
func (e *APIError) Error() string {
	var b strings.Builder
	writePrefix(&b, e.Provider, e.Method, e.URL)
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if txt := http.StatusText(e.StatusCode); txt != "" {
		b.WriteByte(' ')
		b.WriteString(txt)
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(bound.Cut(e.Message, bound.Field))
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", bound.Cut(e.Code, bound.Field))
	}
	if len(e.Details) > 0 {
		b.WriteString(" [")
		for i, d := range e.Details {
			if b.Len() > bound.Text {
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(d.String())
		}
		b.WriteByte(']')
	}
	var tail string
	if e.RetryAfter > 0 {
		tail += fmt.Sprintf(" (retry after %s)", e.RetryAfter.Round(time.Millisecond))
	}
	if e.Attempts > 1 {
		tail += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return bound.Cut(b.String(), bound.Text-len(tail)) + tail
}

// Is matches the status sentinels. A 503 that carried a wait counts as rate
// limiting too: the server told us when to come back.
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
// malformed, truncated, oversized, or not in the expected media type. Err
// says what was wrong and matches ErrBodyTooLarge, ErrTruncatedBody or
// ErrUnexpectedContentType where one of those applies. Like APIError, its
// strings hold no secret and are cut to ErrorFieldLimit. Err's text is
// scrubbed and bounded too: where a decoder's error quoted megabytes of the
// body (encoding/json quotes a number whole) or a secret, Err is an error
// with the clean text that wraps what the original wrapped, so errors.Is
// and errors.As still find the sentinels and typed errors below it.
type DecodeError struct {
	// Provider names the package that made the call.
	Provider    string
	StatusCode  int
	Method      string
	URL         string
	ContentType string
	// Snippet is at most 200 bytes of the body with secrets removed.
	Snippet string
	Err     error
}

// Error formats the error on one line with the start of the body, in at
// most ErrorTextLimit bytes.
func (e *DecodeError) Error() string {
	var b strings.Builder
	writePrefix(&b, e.Provider, e.Method, e.URL)
	fmt.Fprintf(&b, "cannot decode %d response", e.StatusCode)
	if e.ContentType != "" {
		b.WriteString(" (" + bound.Cut(e.ContentType, bound.Field) + ")")
	}
	if e.Err != nil {
		// The cause may name the SDK and the provider too; once is enough.
		cause := strings.TrimPrefix(e.Err.Error(), "orgsdk: ")
		if e.Provider != "" {
			cause = strings.TrimPrefix(cause, e.Provider+": ")
		}
		b.WriteString(": " + bound.Cut(cause, bound.Field))
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, "; body starts %q", bound.Cut(e.Snippet, 200))
	}
	return bound.Cut(b.String(), bound.Text)
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// TransportError is a request that got no usable HTTP answer: connection
// refused, DNS failure, TLS error, a dropped connection, a redirect that
// was refused. Its message holds no secret, and every error in Err's chain
// has been scrubbed as well. Err is the cause, for [errors.Is] and
// [errors.As] (a *net.OpError, ErrRedirectedWrite, ErrForeignHost...).
// URL and Message are cut to ErrorFieldLimit, Error() to ErrorTextLimit.
type TransportError struct {
	// Provider names the package that made the call.
	Provider string
	Method   string
	// URL is the request's URL with every secret removed.
	URL string
	// Message is the cause's text with every secret removed.
	Message string
	// Attempts is how many times the request was sent, retries included.
	Attempts int
	Err      error
}

// Error formats the error on one line.
func (e *TransportError) Error() string {
	var b strings.Builder
	writePrefix(&b, e.Provider, e.Method, e.URL)
	b.WriteString(bound.Cut(strings.TrimPrefix(e.Message, "orgsdk: "), bound.Field))
	var tail string
	if e.Attempts > 1 {
		tail = fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return bound.Cut(b.String(), bound.Text-len(tail)) + tail
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

func writePrefix(b *strings.Builder, provider, method, url string) {
	b.WriteString("orgsdk: ")
	if provider != "" {
		b.WriteString(bound.Cut(provider, bound.Field))
		b.WriteString(": ")
	}
	if method != "" {
		b.WriteString(bound.Cut(method, bound.Field))
		b.WriteByte(' ')
	}
	if url != "" {
		b.WriteString(bound.Cut(url, bound.Field))
		b.WriteString(": ")
	}
}
