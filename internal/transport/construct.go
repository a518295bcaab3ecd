package transport

import (
	"errors"
	"fmt"
	"strings"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// ArgumentError is a bad caller argument detected before any I/O. It names
// the provider once after the orgsdk prefix ("orgsdk: readycloud: invalid
// argument: token is empty") and matches ErrInvalidArgument.
type ArgumentError struct {
	Provider string
	Msg      string
}

func (e *ArgumentError) Error() string {
	if e.Provider == "" {
		return "orgsdk: invalid argument: " + e.Msg
	}
	return "orgsdk: " + e.Provider + ": invalid argument: " + e.Msg
}

// Unwrap makes errors.Is(err, ErrInvalidArgument) hold.
func (e *ArgumentError) Unwrap() error { return ErrInvalidArgument }

// ProviderArgumentError returns an *ArgumentError for provider. A message
// that already carries the generic "orgsdk: invalid argument: " prefix (an
// error from InvalidArgument) is not prefixed twice.
//
// The message is cut to bound.Text less room for the prefix: an argument
// quoted in it may be of any size.
func ProviderArgumentError(provider, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	msg = strings.TrimPrefix(msg, "orgsdk: invalid argument: ")
	return &ArgumentError{Provider: provider, Msg: bound.Cut(msg, maxArgumentMsg)}
}

// maxArgumentMsg bounds an ArgumentError's message, leaving room in
// bound.Text for "orgsdk: <provider>: invalid argument: ".
const maxArgumentMsg = bound.Text - 64

// ApplyOptions runs a provider's functional options over its option state,
// so every provider treats a nil option and a bad value the same way: an
// *ArgumentError naming the provider.
func ApplyOptions[O any, F ~func(*O) error](provider string, o *O, opts []F) error {
	for i, opt := range opts {
		if opt == nil {
			return ProviderArgumentError(provider, "option %d is nil", i)
		}
		if err := opt(o); err != nil {
			return ProviderArgumentError(provider, "%s", err.Error())
		}
	}
	return nil
}

// CheckToken rejects an empty token and one with whitespace or control
// characters: a line break in a header value would inject headers, and a
// space is usually a pasted "Bearer xyz". The token itself is never quoted
// in the error.
func CheckToken(provider, token string) error {
	if token == "" {
		return ProviderArgumentError(provider, "token is empty")
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return ProviderArgumentError(provider, "token must not contain spaces or control characters")
		}
	}
	return nil
}

// ProviderError names provider in an error from code that does not know
// it, so every provider's errors read alike: "orgsdk: pagination did not
// advance: …" becomes "orgsdk: jsonapi: pagination did not advance: …",
// and a bad argument becomes an *ArgumentError for provider. An error that
// already names the provider (an *APIError, *DecodeError, *TransportError,
// or one wrapped before) is returned as it is. errors.Is and errors.As see
// through the wrapper. Every text in the result is bounded and free of
// anything the generic rules recognise as a credential (CleanError without
// secrets; a Client cleans its own errors with its secrets).
func ProviderError(provider string, err error) error {
	return (*Secrets)(nil).CleanError(nameProvider(provider, err))
}

// nameProvider is ProviderError without the cleaning.
func nameProvider(provider string, err error) error {
	if err == nil {
		return nil
	}
	var ae *ArgumentError
	if errors.As(err, &ae) && ae.Provider == "" && err == error(ae) {
		return &ArgumentError{Provider: provider, Msg: ae.Msg}
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "orgsdk: "+provider+": ") {
		return err
	}
	if strings.HasPrefix(msg, ErrInvalidArgument.Error()+": ") {
		return ProviderArgumentError(provider, "%s", msg)
	}
	return &providerError{provider: provider, err: err}
}

// providerError puts the provider's name after the orgsdk prefix of the
// error it wraps.
type providerError struct {
	provider string
	err      error
}

func (e *providerError) Error() string {
	return "orgsdk: " + e.provider + ": " + strings.TrimPrefix(e.err.Error(), "orgsdk: ")
}

func (e *providerError) Unwrap() error { return e.err }
