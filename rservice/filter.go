package rservice

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// View is a predefined filter of the organizations collection; it becomes
// a path segment (/organizations/enabled). The zero View lists every
// organization.
//
// API docs: https://developer.4me.com/v1/organizations/#predefined-filters
type View string

// The API's predefined filters for organizations.
const (
	// Enabled organizations.
	Enabled View = "enabled"
	// Disabled organizations.
	Disabled View = "disabled"
	// External organizations.
	External View = "external"
	// Internal organizations.
	Internal View = "internal"
	// Trusted organizations.
	Trusted View = "trusted"
	// Directory: organizations of the directory account of the support
	// domain the request is made in.
	Directory View = "directory"
	// SupportDomain: organizations registered in the requesting account.
	SupportDomain View = "support_domain"
	// ManagedByMe: organizations whose manager or substitute is the API
	// user.
	ManagedByMe View = "managed_by_me"
)

var views = map[View]bool{
	"": true, Enabled: true, Disabled: true, External: true, Internal: true,
	Trusted: true, Directory: true, SupportDomain: true, ManagedByMe: true,
}

// Views returns every predefined filter (except All).
func Views() []View {
	return []View{Enabled, Disabled, External, Internal, Trusted, Directory, SupportDomain, ManagedByMe}
}

// Date is a calendar day, sent to the API as yyyy-mm-dd (a filter on a
// timestamp field may take a Date or a time.Time).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats d as yyyy-mm-dd.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day
}

func (d Date) start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Value is what a filter compares with: text, an integer (ids), a bool
// (disabled), or a timestamp (time.Time, sent as RFC 3339 in UTC to the
// second) or Date.
type Value interface {
	string | int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 |
		bool | time.Time | Date
}

// Filter is one field filter (field=<op>value). Build it with Eq, NotEq,
// Empty, Present, In, NotIn, Lt, Lte, Gt, Gte or Between; a filter built
// with a value the API cannot take carries the error, and List reports it
// before any I/O. Filters are ANDed.
//
// API docs: https://developer.4me.com/v1/general/filtering/
type Filter struct {
	field  string
	op     op
	values []string
	err    error
}

type op int

const (
	opEq op = iota + 1
	opNotEq
	opEmpty
	opPresent
	opIn
	opNotIn
	opLt
	opLte
	opGt
	opGte
	opBetween
)

// Field returns the field the filter applies to.
func (f Filter) Field() string { return f.field }

// Err returns why the filter cannot be sent, or nil.
func (f Filter) Err() error {
	if f.err != nil {
		return f.err
	}
	if f.op == 0 {
		return invalidArgument("empty filter (use a constructor such as Eq)")
	}
	return nil
}

// String returns the filter as it goes into the query string, values
// percent-encoded: "name=!Widget%20Inc", "id=1,2,3",
// "created_at=%3E%3D2016-01-01%3C%3D2016-01-31".
func (f Filter) String() string {
	if f.Err() != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(f.field)
	b.WriteByte('=')
	switch f.op {
	case opEq:
		b.WriteString(escape(f.values[0]))
	case opNotEq:
		b.WriteString("!" + escape(f.values[0]))
	case opEmpty:
	case opPresent:
		b.WriteByte('!')
	case opIn, opNotIn:
		if f.op == opNotIn {
			b.WriteByte('!')
		}
		for i, v := range f.values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(escape(v))
		}
	case opLt:
		b.WriteString(escape("<" + f.values[0]))
	case opLte:
		b.WriteString(escape("<=" + f.values[0]))
	case opGt:
		b.WriteString(escape(">" + f.values[0]))
	case opGte:
		b.WriteString(escape(">=" + f.values[0]))
	case opBetween:
		b.WriteString(escape(">=" + f.values[0] + "<=" + f.values[1]))
	}
	return b.String()
}

// Eq keeps records whose field equals v (name=Widget). Text that starts
// with "!", "<" or ">" is refused: the API would read it as an operator.
// Use Empty for "no value".
func Eq[V Value](field string, v V) Filter { return single(field, opEq, v) }

// NotEq keeps records whose field differs from v (name=!Widget).
func NotEq[V Value](field string, v V) Filter { return single(field, opNotEq, v) }

// Empty keeps records whose field has no value (remarks=).
func Empty(field string) Filter {
	f := Filter{field: field, op: opEmpty}
	_, f.err = checkField(field)
	return f
}

// Present keeps records whose field has a value (remarks=!).
func Present(field string) Filter {
	f := Filter{field: field, op: opPresent}
	_, f.err = checkField(field)
	return f
}

// In keeps records whose field is one of vs (id=1,2,3). The API takes
// lists of integers and enumeration values only, so text values must be
// plain tokens (letters, digits, "_", "-", "."): no commas, no spaces.
func In[V Value](field string, vs ...V) Filter { return list(field, opIn, vs) }

// NotIn keeps records whose field is none of vs (id=!1,2,3); the values are
// limited as for In.
func NotIn[V Value](field string, vs ...V) Filter { return list(field, opNotIn, vs) }

// Lt keeps records whose field is less than v (created_at=<2016-01-15T23:00:00Z).
// Ranges apply to integer and timestamp fields.
func Lt[V Value](field string, v V) Filter { return single(field, opLt, v) }

// Lte keeps records whose field is at most v (<=).
func Lte[V Value](field string, v V) Filter { return single(field, opLte, v) }

// Gt keeps records whose field is greater than v (>).
func Gt[V Value](field string, v V) Filter { return single(field, opGt, v) }

// Gte keeps records whose field is at least v (>=).
func Gte[V Value](field string, v V) Filter { return single(field, opGte, v) }

// Between keeps records whose field lies in [lo, hi], both included
// (created_at=>=2016-01-01<=2016-01-31).
func Between[V Value](field string, lo, hi V) Filter {
	f := Filter{field: field, op: opBetween}
	kind, err := checkField(field)
	if err != nil {
		f.err = err
		return f
	}
	a, ka, err := format(lo)
	if err == nil {
		var b string
		var kb fieldKind
		b, kb, err = format(hi)
		if err == nil && ka != kb {
			err = fmt.Errorf("bounds of different kinds (%T and %T)", lo, hi)
		}
		if err == nil {
			err = checkKind(field, kind, ka, lo)
		}
		if err == nil && kind != kindInt && kind != kindTime {
			err = fmt.Errorf("ranges apply to integer and timestamp fields only")
		}
		if err == nil && less(hi, lo) {
			err = fmt.Errorf("lower bound %s is after upper bound %s", a, b)
		}
		f.values = []string{a, b}
	}
	if err != nil {
		f.err = invalidArgument("filter %s: %v", field, err)
	}
	return f
}

func single[V Value](field string, o op, v V) Filter {
	f := Filter{field: field, op: o}
	kind, err := checkField(field)
	if err != nil {
		f.err = err
		return f
	}
	s, vk, err := format(v)
	if err == nil {
		err = checkKind(field, kind, vk, v)
	}
	if err == nil {
		switch o {
		case opEq, opNotEq:
			if vk == kindString {
				err = checkText(s)
			}
		default: // ranges
			if kind != kindInt && kind != kindTime {
				err = fmt.Errorf("ranges apply to integer and timestamp fields only")
			}
		}
	}
	if err != nil {
		f.err = invalidArgument("filter %s: %v", field, err)
		return f
	}
	f.values = []string{s}
	return f
}

func list[V Value](field string, o op, vs []V) Filter {
	f := Filter{field: field, op: o}
	kind, err := checkField(field)
	if err != nil {
		f.err = err
		return f
	}
	if len(vs) == 0 {
		f.err = invalidArgument("filter %s: In and NotIn need at least one value", field)
		return f
	}
	for _, v := range vs {
		s, vk, err := format(v)
		if err == nil {
			err = checkKind(field, kind, vk, v)
		}
		if err == nil && vk == kindTime {
			err = fmt.Errorf("the API takes lists of integers and enumeration values only, not timestamps")
		}
		if err == nil && vk == kindString && !isToken(s) {
			err = fmt.Errorf("%q is not an enumeration value: the API splits lists at commas and takes integers and enumeration values only", s)
		}
		if err != nil {
			f.err = invalidArgument("filter %s: %v", field, err)
			return f
		}
		f.values = append(f.values, s)
	}
	return f
}

func checkField(field string) (fieldKind, error) {
	kind, ok := filterFields[field]
	if !ok {
		return 0, invalidArgument("organizations cannot be filtered on %q (filterable: %s)", field, strings.Join(FilterFields(), ", "))
	}
	return kind, nil
}

func checkKind(field string, want, got fieldKind, v any) error {
	if want == got {
		return nil
	}
	names := map[fieldKind]string{kindString: "a string", kindInt: "an integer", kindBool: "a bool", kindTime: "a time.Time or Date"}
	return fmt.Errorf("%s takes %s, got %T", field, names[want], v)
}

// checkText refuses text the API would misread.
func checkText(s string) error {
	switch {
	case s == "":
		return errors.New("empty text: use Empty or Present")
	case !utf8.ValidString(s):
		return errors.New("text is not valid UTF-8")
	case strings.ContainsAny(s[:1], "!<>"):
		return fmt.Errorf("%q starts with an operator character the API would misread", s)
	}
	return nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// format renders v as the API reads it: the scalars as every provider
// does (transport.FormatScalar), timestamps and dates as R-Service takes
// them.
func format(v any) (string, fieldKind, error) {
	switch s, k := transport.FormatScalar(v); k {
	case transport.ScalarString:
		return s, kindString, nil
	case transport.ScalarBool:
		return s, kindBool, nil
	case transport.ScalarInt:
		return s, kindInt, nil
	}
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return "", kindTime, errors.New("zero time")
		}
		u := x.UTC()
		if u.Year() < 1 || u.Year() > 9999 {
			return "", kindTime, fmt.Errorf("year %d out of range", u.Year())
		}
		return u.Format(time.RFC3339), kindTime, nil
	case Date:
		if !x.valid() {
			return "", kindTime, fmt.Errorf("invalid date %04d-%02d-%02d", x.Year, int(x.Month), x.Day)
		}
		return x.String(), kindTime, nil
	}
	return "", 0, fmt.Errorf("unsupported value type %T", v)
}

// less compares two values of the same kind (for Between's bounds).
func less(a, b any) bool {
	ta, okA := instant(a)
	tb, okB := instant(b)
	if okA && okB {
		return ta.Before(tb)
	}
	sa, _, _ := format(a)
	sb, _, _ := format(b)
	ia, errA := strconv.ParseInt(sa, 10, 64)
	ib, errB := strconv.ParseInt(sb, 10, 64)
	if errA == nil && errB == nil {
		return ia < ib
	}
	ua, errA := strconv.ParseUint(sa, 10, 64)
	ub, errB := strconv.ParseUint(sb, 10, 64)
	if errA == nil && errB == nil {
		return ua < ub
	}
	return false
}

func instant(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case Date:
		return x.start(), true
	}
	return time.Time{}, false
}

// escape percent-encodes everything but RFC 3986 unreserved characters, so
// a value's own commas, spaces and operator characters cannot be mistaken
// for query syntax.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
