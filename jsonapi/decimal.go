package jsonapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// Decimal is an exact decimal number as the server wrote it. MPDX is a
// Rails application whose decimal columns arrive as JSON strings ("25.0"),
// while other servers send plain numbers (25); both decode, and the text is
// kept as it came so no digit is lost to a float.
//
// API doc: MPDX API documentation, Organization [GET] (gift_aid_percentage); https://api.rubyonrails.org/classes/BigDecimal.html
type Decimal struct {
	text string
}

// ParseDecimal returns the Decimal for s, a number in JSON syntax
// ("25.0", "-1.5e3"); anything else is an error.
func ParseDecimal(s string) (Decimal, error) {
	if !isDecimal(s) {
		return Decimal{}, fmt.Errorf("%q is not a decimal number", bound.Cut(s, 40))
	}
	return Decimal{text: s}, nil
}

// String returns the decimal's text exactly as received ("" for the zero
// Decimal).
func (d Decimal) String() string { return d.text }

// IsZero reports whether d is the zero Decimal or a number equal to zero
// ("0", "0.00", "-0e5").
func (d Decimal) IsZero() bool {
	mant, _, _ := strings.Cut(strings.ToLower(d.text), "e")
	return strings.Trim(mant, "+-0.") == ""
}

// Float64 returns d as the nearest float64, for arithmetic where rounding
// does not matter; the zero Decimal gives 0.
func (d Decimal) Float64() (float64, error) {
	if d.text == "" {
		return 0, nil
	}
	return strconv.ParseFloat(d.text, 64)
}

// MarshalJSON writes the decimal as a JSON string, the form MPDX sends, so
// a value read and written back is unchanged; the zero Decimal is null.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d.text == "" {
		return []byte("null"), nil
	}
	return strconv.AppendQuote(nil, d.text), nil
}

var decimalType = reflect.TypeFor[Decimal]()

// UnmarshalJSON accepts a JSON number or a string holding one. Any other
// value is an *json.UnmarshalTypeError, to which encoding/json adds the
// field's path.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return &json.UnmarshalTypeError{Value: "nothing", Type: decimalType}
	}
	switch b[0] {
	case 'n':
		*d = Decimal{}
		return nil
	case '"':
		if len(b) < 2 || b[len(b)-1] != '"' {
			return &json.UnmarshalTypeError{Value: "string", Type: decimalType}
		}
		// A decimal's text has no escapes, so the quotes can simply go.
		s := string(b[1 : len(b)-1])
		if !isDecimal(s) {
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(bound.Cut(s, 40)), Type: decimalType}
		}
		d.text = s
		return nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// encoding/json has already checked the number's syntax.
		d.text = string(b)
		return nil
	case '{':
		return &json.UnmarshalTypeError{Value: "object", Type: decimalType}
	case '[':
		return &json.UnmarshalTypeError{Value: "array", Type: decimalType}
	}
	return &json.UnmarshalTypeError{Value: "bool", Type: decimalType}
}

// isDecimal reports whether s is a number in JSON syntax:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	n := digits()
	if n == 0 || (n > 1 && s[start] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
