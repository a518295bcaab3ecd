package transport

import "strconv"

// Scalar is a filter value every provider can send as text: a string, an
// integer of any width, or a bool. A provider's own filter value type
// adds what only it takes (rservice's timestamps and dates).
type Scalar interface {
	string | int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | bool
}

// ScalarKind says what a Scalar is, for a provider that checks a value
// against its field.
type ScalarKind int

// The kinds FormatScalar reports.
const (
	ScalarNone ScalarKind = iota
	ScalarString
	ScalarInt
	ScalarBool
)

// FormatScalar renders v as the query text of a filter value (decimal
// integers, "true"/"false", text as is) and its kind; ScalarNone when v is
// no Scalar.
func FormatScalar(v any) (string, ScalarKind) {
	switch x := v.(type) {
	case string:
		return x, ScalarString
	case bool:
		return strconv.FormatBool(x), ScalarBool
	case int:
		return strconv.FormatInt(int64(x), 10), ScalarInt
	case int8:
		return strconv.FormatInt(int64(x), 10), ScalarInt
	case int16:
		return strconv.FormatInt(int64(x), 10), ScalarInt
	case int32:
		return strconv.FormatInt(int64(x), 10), ScalarInt
	case int64:
		return strconv.FormatInt(x, 10), ScalarInt
	case uint:
		return strconv.FormatUint(uint64(x), 10), ScalarInt
	case uint8:
		return strconv.FormatUint(uint64(x), 10), ScalarInt
	case uint16:
		return strconv.FormatUint(uint64(x), 10), ScalarInt
	case uint32:
		return strconv.FormatUint(uint64(x), 10), ScalarInt
	case uint64:
		return strconv.FormatUint(x, 10), ScalarInt
	}
	return "", ScalarNone
}
