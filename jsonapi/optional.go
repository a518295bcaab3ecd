package jsonapi

import (
	"bytes"
	"encoding/json"
)

// Optional is an attribute of a write: left out (the zero value), set to a
// value (Set), or cleared to JSON null (Null). A JSON:API PATCH changes only
// the attributes it sends, so "leave alone" and "clear" must be told apart,
// which a pointer cannot do.
type Optional[T any] struct {
	value T
	state optState
}

type optState uint8

const (
	optUnset optState = iota
	optSet
	optNull
)

// Set returns an Optional holding v.
func Set[T any](v T) Optional[T] { return Optional[T]{value: v, state: optSet} }

// Null returns an Optional that clears the attribute (sends null).
func Null[T any]() Optional[T] { return Optional[T]{state: optNull} }

// IsZero reports whether the attribute is left out; encoding/json's
// omitzero uses it to drop the attribute from the document.
func (o Optional[T]) IsZero() bool { return o.state == optUnset }

// IsNull reports whether the attribute is cleared.
func (o Optional[T]) IsNull() bool { return o.state == optNull }

// Get returns the value and whether one is set.
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == optSet }

// MarshalJSON writes the value, or null when cleared. A left-out attribute
// is dropped by its omitzero tag before this is called; alone it writes
// null.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.state != optSet {
		return []byte("null"), nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON reads null as cleared and anything else as set.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Set(v)
	return nil
}

// String renders the state for logs and test output; a Secret prints as
// [redacted].
func (o Optional[T]) String() string {
	switch o.state {
	case optSet:
		b, err := json.Marshal(o.value)
		if err != nil {
			return "<set>"
		}
		return string(b)
	case optNull:
		return "null"
	}
	return "<unset>"
}

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

// GoString renders the state for %#v the way String does, so that a
// Secret inside an Optional prints as "[redacted]" there too (fmt cannot
// call methods on the unexported value).
func (o Optional[T]) GoString() string {
	switch o.state {
	case optSet:
		return "jsonapi.Set(" + o.String() + ")"
	case optNull:
		return "jsonapi.Null()"
	}
	return "jsonapi.Optional{}"
}
