package readycloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Money is an amount of money as ReadyCloud writes it: "0.00 USD". The
// amount is kept as the decimal text the server sent, never a float, so
// "19.90" stays "19.90" through a decode and an encode.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type Money struct {
	// Amount is the decimal amount as text: an optional minus sign, digits,
	// and optionally a point and more digits ("0.00", "-12.5", "1991").
	Amount string
	// Currency is the currency code ("USD"); empty when the server sent a
	// bare amount.
	Currency string
}

// ParseMoney reads "0.00 USD". It also accepts a bare amount ("10.00") and
// the currency first ("USD 0.00"), since fields newer than the docs may use
// either. Anything else is an error; nothing is rounded.
func ParseMoney(s string) (Money, error) {
	m, err := parseMoney(s)
	if err != nil {
		return Money{}, transport.ProviderError(provider, err)
	}
	return m, nil
}

// parseMoney is ParseMoney with an unprefixed error, for the decoders:
// the DecodeError around it names the SDK and the provider already.
func parseMoney(s string) (Money, error) {
	// Two fields at most, cut by hand: strings.Fields would allocate a
	// slice for every price decoded.
	first, rest := cutField(s)
	second, rest := cutField(rest)
	switch {
	case first == "" || rest != "":
	case second == "":
		if isDecimal(first) {
			return Money{Amount: first}, nil
		}
	case isDecimal(first) && isCurrency(second):
		return Money{Amount: first, Currency: second}, nil
	case isCurrency(first) && isDecimal(second):
		return Money{Amount: second, Currency: first}, nil
	}
	return Money{}, fmt.Errorf("%q is not an amount of money like \"0.00 USD\"", bound.Cut(s, 40))
}

// cutField returns the first space-separated field of s and what follows
// it, with the spaces around both removed.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// String returns the wire form: "0.00 USD", or the bare amount without a
// currency, or "" for the zero Money.
func (m Money) String() string {
	if m.Currency == "" {
		return m.Amount
	}
	return m.Amount + " " + m.Currency
}

// IsZero reports whether m holds nothing (not whether the amount is 0).
func (m Money) IsZero() bool { return m.Amount == "" && m.Currency == "" }

// MinorUnits returns the amount as an integer count of 1/10^places of the
// currency unit (places 2: cents), failing instead of rounding when the
// amount has more decimal places or does not fit an int64.
func (m Money) MinorUnits(places int) (int64, error) {
	n, err := m.minorUnits(places)
	if err != nil {
		return 0, transport.ProviderError(provider, err)
	}
	return n, nil
}

func (m Money) minorUnits(places int) (int64, error) {
	if places < 0 || places > 18 {
		return 0, fmt.Errorf("%d decimal places out of range 0..18", places)
	}
	if !isDecimal(m.Amount) {
		return 0, fmt.Errorf("%q is not a decimal amount", bound.Cut(m.Amount, 40))
	}
	whole, frac, _ := strings.Cut(m.Amount, ".")
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > places {
		return 0, fmt.Errorf("%s has more than %d decimal places", bound.Cut(m.Amount, 40), places)
	}
	// Only zeros lie beyond places (checked above), so cutting them is exact.
	var digits string
	if len(frac) > places {
		digits = whole + frac[:places]
	} else {
		digits = whole + frac + strings.Repeat("0", places-len(frac))
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s does not fit in %d-place minor units", bound.Cut(m.Amount, 40), places)
	}
	return n, nil
}

// MarshalJSON writes the wire form "0.00 USD" (null for the zero Money).
func (m Money) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(m.String())
}

// UnmarshalJSON reads "0.00 USD", a bare decimal string, or a JSON number
// (kept as its literal text, never through a float). null leaves m as is.
func (m *Money) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if len(data) > 0 && data[0] != '"' {
		lit := string(data)
		if !isDecimal(lit) {
			return fmt.Errorf("money must be a string like \"0.00 USD\", got %s", bound.Cut(lit, 40))
		}
		*m = Money{Amount: lit}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := parseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// isDecimal accepts -?digits(.digits)? and nothing else: no exponent, no
// leading plus, no thousands separators, which would all need rounding or
// guessing to compare.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) {
		return false
	}
	return !hasPoint || (frac != "" && allDigits(frac))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isCurrency accepts ISO 4217-like codes: 3 ASCII letters (upper case on the
// wire, but a lower-case code is not worth failing a whole page for).
func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
