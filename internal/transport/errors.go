package transport

import (
	"fmt"

	"github.com/orgsdk/orgsdk"
)

// The shared public types live in the root package orgsdk, which go doc
// shows in full; the transport and the providers use them through these
// aliases.
type (
	APIError       = orgsdk.APIError
	DecodeError    = orgsdk.DecodeError
	ErrorDetail    = orgsdk.ErrorDetail
	TransportError = orgsdk.TransportError
	Response       = orgsdk.Response
	RateLimit      = orgsdk.RateLimit
)

// Sentinels, re-exported from orgsdk.
var (
	ErrNotFound              = orgsdk.ErrNotFound
	ErrUnauthorized          = orgsdk.ErrUnauthorized
	ErrForbidden             = orgsdk.ErrForbidden
	ErrConflict              = orgsdk.ErrConflict
	ErrRateLimited           = orgsdk.ErrRateLimited
	ErrValidation            = orgsdk.ErrValidation
	ErrInvalidArgument       = orgsdk.ErrInvalidArgument
	ErrForeignHost           = orgsdk.ErrForeignHost
	ErrRedirectedWrite       = orgsdk.ErrRedirectedWrite
	ErrUnexpectedContentType = orgsdk.ErrUnexpectedContentType
	ErrBodyTooLarge          = orgsdk.ErrBodyTooLarge
	ErrTruncatedBody         = orgsdk.ErrTruncatedBody
	ErrPaginationLoop        = orgsdk.ErrPaginationLoop
	ErrTooManyPages          = orgsdk.ErrTooManyPages
)

// maxErrorBody caps the copy of an error body kept on APIError.
const maxErrorBody = 4 << 10

// InvalidArgument returns an error for a bad caller argument, detected
// before any I/O. It matches ErrInvalidArgument.
func InvalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// Permanent marks err, returned by an http.RoundTripper in the caller's
// HTTP client (a recorder that cannot write its folder, say), as a failure
// that repeats identically: the call returns it without retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }

func (e *permanentError) Unwrap() error { return e.err }
