package jsonapi

import "github.com/orgsdk/orgsdk"

// Optional is a attribute of a write: left out (the zero value), set to a
// value (Set), or cleared to JSON null (Null), so that a PATCH tells "leave
// alone" from "clear", which a pointer cannot. It is orgsdk.Optional, one
// type for every provider package.
type Optional[T any] = orgsdk.Optional[T]

// Set returns an Optional holding v.
func Set[T any](v T) Optional[T] { return orgsdk.Set(v) }

// Null returns an Optional that clears the attribute (sends null).
func Null[T any]() Optional[T] { return orgsdk.Null[T]() }

// Secret is a write-only credential (an organization account's password).
// It prints, formats and marshals as "[redacted]", so logging or encoding
// an input by mistake shows no password; the SDK alone reads the value, to
// put it in the request document, and registers it with the client's
// scrubber first.
type Secret string

const redacted = "[redacted]"

// String returns "[redacted]".
func (Secret) String() string { return redacted }

// GoString returns "[redacted]", for %#v.
func (Secret) GoString() string { return redacted }

// MarshalJSON writes "[redacted]".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText writes "[redacted]" (slog and encoders that use
// encoding.TextMarshaler).
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
