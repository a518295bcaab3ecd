package transport

import (
	"fmt"
	"net/http"
)

// ValidHeaderValue reports whether net/http sends v as a header value: it
// refuses every control character but horizontal tab (the rule of
// golang.org/x/net/http/httpguts.ValidHeaderFieldValue). A value it
// refuses fails every attempt the same way, so options and requests are
// checked with this before any I/O.
func ValidHeaderValue(v string) bool { return badHeaderByte(v) < 0 }

// badHeaderByte is the index of the first byte of v net/http refuses in a
// header value, or -1.
func badHeaderByte(v string) int {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return i
		}
	}
	return -1
}

// ValidHeaderName reports whether name is an RFC 9110 token, which net/http
// requires of a header name.
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isTokenByte(name[i]) {
			return false
		}
	}
	return true
}

func isTokenByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// CheckHeaderValue returns an error naming option and what when v cannot go
// in a header (see ValidHeaderValue). The value itself is never quoted: it
// may be a credential.
func CheckHeaderValue(option, what, v string) error {
	if i := badHeaderByte(v); i >= 0 {
		return fmt.Errorf("%s: %s has a control character at byte %d, which no HTTP header may carry", option, what, i)
	}
	return nil
}

// CheckNoControl returns an error naming option and what when v holds a
// control character, horizontal tab included: none belongs in a
// credential (a token, user name or password) or an id, whether it goes
// in a header or a body. The value itself is never quoted.
func CheckNoControl(option, what, v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' || b == 0x7f {
			return fmt.Errorf("%s: %s has a control character at byte %d", option, what, i)
		}
	}
	return nil
}

// checkRequestHeaders refuses, before any I/O, a request whose own headers
// net/http would refuse on every attempt (a raw request built by hand).
func checkRequestHeaders(r *Request) error {
	for name, vals := range r.Header {
		if !ValidHeaderName(name) {
			return InvalidArgument("header name %.64q is not a valid token", name)
		}
		for _, v := range vals {
			if i := badHeaderByte(v); i >= 0 {
				return InvalidArgument("header %s: the value has a control character at byte %d", http.CanonicalHeaderKey(name), i)
			}
		}
	}
	if i := badHeaderByte(r.Accept); i >= 0 {
		return InvalidArgument("header Accept: the value has a control character at byte %d", i)
	}
	if i := badHeaderByte(r.ContentType); i >= 0 {
		return InvalidArgument("header Content-Type: the value has a control character at byte %d", i)
	}
	return nil
}
