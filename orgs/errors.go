package orgs

import (
	"errors"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Sentinels to match with errors.Is: the family's own (see package orgsdk
// for what each one means), so a check written against one provider
// package, errors.Is(err, readycloud.ErrNotFound), reads the same here.
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

// ErrUnsupported is errors.ErrUnsupported, the standard library's own: a
// Directory's call of an operation its provider cannot do returns an error
// matching it, before any I/O. Directory.Can says so before the call.
var ErrUnsupported = errors.ErrUnsupported

// Error is every error a Directory returns (and AllOf yields): it names
// the provider and the operation, and wraps the error behind it, so
// errors.Is matches the sentinels above and errors.As reaches the
// provider's own error (*orgsdk.APIError, *orgsdk.DecodeError, ...).
type Error struct {
	// Provider names the directory's provider.
	Provider string
	// Op is the operation: "all", "get" or "rename".
	Op string
	// ID is the id the operation was given ("" for all).
	ID string
	// Err is the error behind: the driver's (the provider client's), a
	// context's, or the package's own (an invalid argument, an
	// unsupported operation).
	Err error
}

// Error returns the wrapped error's text when it already names the
// provider (every provider client's errors do: "orgsdk: readycloud: GET
// …"), and otherwise "orgsdk: <provider>: <op> <id>: <text>"; at most
// orgsdk.ErrorTextLimit bytes either way.
func (e *Error) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if strings.HasPrefix(msg, "orgsdk: "+e.Provider+": ") {
		return bound.Cut(msg, bound.Text)
	}
	var b strings.Builder
	b.WriteString("orgsdk: ")
	b.WriteString(bound.Cut(e.Provider, bound.Field))
	b.WriteString(": ")
	b.WriteString(e.Op)
	if e.ID != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(bound.Cut(e.ID, bound.Field)))
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(msg, "orgsdk: "))
	return bound.Cut(b.String(), bound.Text)
}

// Unwrap returns Err, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Operations, for Error.Op.
const (
	opAll    = "all"
	opGet    = "get"
	opRename = "rename"
)

// wrap makes err an *Error of provider and op, unless it is one already.
func wrap(provider, op, id string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Provider: provider, Op: op, ID: id, Err: err}
}

// argumentError is a caller's bad argument, in the family's wording
// ("orgsdk: readycloud: invalid argument: empty id"), matching
// ErrInvalidArgument.
func argumentError(provider, format string, args ...any) error {
	return transport.ProviderArgumentError(provider, format, args...)
}

// unsupported is what a call of an operation the provider cannot do
// returns: it matches errors.ErrUnsupported and says why.
type unsupported struct {
	provider, op string
}

func (u *unsupported) Error() string {
	return "orgsdk: " + u.provider + ": " + u.op + ": unsupported operation (the " + u.provider + " directory cannot " + u.op + "; check Directory.Can first)"
}

// Is makes errors.Is(err, errors.ErrUnsupported) hold.
func (u *unsupported) Is(target error) bool { return target == errors.ErrUnsupported }
