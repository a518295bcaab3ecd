package orgsdk

import (
	"bytes"
	"encoding/json"
)

// Optional is a field of a write: left out (the zero value), set to a value
// (Set), or cleared to JSON null (Null). A PATCH changes only what it sends,
// so "leave alone" and "clear" must be told apart, which a pointer cannot.
// The provider packages that write tri-state fields (rservice, jsonapi)
// export it under their own name as an alias of this one type.
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

// Null returns an Optional that clears the field (sends null).
func Null[T any]() Optional[T] { return Optional[T]{state: optNull} }

// IsZero reports whether the field is left out; encoding/json's omitzero
// uses it to drop the field from the body.
func (o Optional[T]) IsZero() bool { return o.state == optUnset }

// IsNull reports whether the field is cleared.
func (o Optional[T]) IsNull() bool { return o.state == optNull }

// Get returns the value and whether one is set.
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == optSet }

// MarshalJSON writes the value, or null when cleared. A left-out field is
// dropped by its omitzero tag before this is called; alone it writes null.
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

// String renders the state for logs and test output. The value is shown as
// its JSON, so a value whose MarshalJSON hides it (jsonapi.Secret) stays
// hidden here too.
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

// GoString renders the state for %#v the way String does: fmt cannot call
// methods on the unexported value, so without it a Secret inside an
// Optional would print in the clear under %#v.
func (o Optional[T]) GoString() string {
	switch o.state {
	case optSet:
		return "orgsdk.Set(" + o.String() + ")"
	case optNull:
		return "orgsdk.Null()"
	}
	return "orgsdk.Optional{}"
}
