package commvault

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Flag is a boolean that Commvault sends as true/false, 0/1, "0"/"1" or an
// empty string (which means false). Decoding accepts all of them.
type Flag bool

// UnmarshalJSON accepts booleans, numbers, numeric or boolean strings and "".
func (f *Flag) UnmarshalJSON(data []byte) error {
	// The spellings servers actually send are matched on the bytes: the
	// general path below decodes into an interface, which allocates.
	switch string(data) {
	case "true", "1", `"1"`, `"true"`:
		*f = true
		return nil
	case "false", "0", `""`, `"0"`, `"false"`:
		*f = false
		return nil
	}
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	switch v := raw.(type) {
	case bool:
		*f = Flag(v)
		return nil
	case float64:
		*f = v != 0
		return nil
	case string:
		return f.parse(v)
	}
	return fmt.Errorf("cannot read %.40s as a flag", data)
}

// UnmarshalXMLAttr reads a flag from an attribute.
func (f *Flag) UnmarshalXMLAttr(attr xml.Attr) error { return inAttr(attr, f.parse(attr.Value)) }

func (f *Flag) parse(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "off", "n", "f":
		*f = false
		return nil
	case "1", "true", "yes", "on", "y", "t":
		*f = true
		return nil
	}
	if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		*f = n != 0
		return nil
	}
	return fmt.Errorf("cannot read %q as a flag", bound.Cut(s, 40))
}

// Int is an integer that Commvault may send as a number, a numeric string
// (ids especially) or an empty string (zero). It is 64 bits wide because
// some values (login capability bitmasks) exceed 32 bits.
type Int int64

// UnmarshalJSON accepts numbers, numeric strings, "" and booleans.
func (n *Int) UnmarshalJSON(data []byte) error {
	if v, ok := transport.ParseInt(data); ok {
		*n = Int(v)
		return nil
	}
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		return n.parse(s)
	}
	switch string(data) {
	case "true":
		*n = 1
		return nil
	case "false":
		*n = 0
		return nil
	}
	return n.parse(string(data))
}

// UnmarshalXMLAttr reads an integer from an attribute.
func (n *Int) UnmarshalXMLAttr(attr xml.Attr) error { return inAttr(attr, n.parse(attr.Value)) }

func (n *Int) parse(s string) error {
	v, err := parseInt(s)
	if err != nil {
		return err
	}
	*n = Int(v)
	return nil
}

// parseInt reads decimal integers, integer-valued floats ("6.0", "1e3") and
// "" (zero).
func parseInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), nil
	}
	return 0, fmt.Errorf("cannot read %q as an integer", bound.Cut(s, 40))
}

// Text is a scalar whose type varies between server versions (a number on
// one, a string on another); it keeps the value's text.
type Text string

// UnmarshalJSON accepts any scalar and keeps its text.
func (t *Text) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*t = Text(s)
		return nil
	}
	if len(data) > 0 && (data[0] == '{' || data[0] == '[') {
		return fmt.Errorf("cannot read %.40s as a scalar", data)
	}
	if !json.Valid(data) {
		return fmt.Errorf("invalid JSON scalar %.40q", data)
	}
	*t = Text(data)
	return nil
}

// attrError is a value an XML attribute's reader refused; it names the
// attribute ("@id: ..."), and a decode error puts the element path in
// front of it (xmlPathError).
type attrError struct {
	name string
	err  error
}

func (e *attrError) Error() string { return "@" + bound.Cut(e.name, 40) + ": " + e.err.Error() }
func (e *attrError) Unwrap() error { return e.err }

// inAttr names the attribute a reader's error is about (nil stays nil).
func inAttr(attr xml.Attr, err error) error {
	if err == nil {
		return nil
	}
	return &attrError{name: attr.Name.Local, err: err}
}
