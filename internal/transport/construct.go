package transport

import "fmt"

// ApplyOptions runs a provider's functional options over its option state,
// so every provider treats a nil option and a bad value the same way: an
// error matching ErrInvalidArgument, prefixed with the provider's name.
func ApplyOptions[O any, F ~func(*O) error](provider string, o *O, opts []F) error {
	for i, opt := range opts {
		if opt == nil {
			return fmt.Errorf("%s: %w: option %d is nil", provider, ErrInvalidArgument, i)
		}
		if err := opt(o); err != nil {
			return fmt.Errorf("%s: %w: %v", provider, ErrInvalidArgument, err)
		}
	}
	return nil
}

// CheckToken rejects an empty token and one with whitespace or control
// characters: a line break in a header value would inject headers, and a
// space is usually a pasted "Bearer xyz". The token itself is never quoted
// in the error.
func CheckToken(provider, token string) error {
	if token == "" {
		return fmt.Errorf("%s: %w: token is empty", provider, ErrInvalidArgument)
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("%s: %w: token must not contain spaces or control characters", provider, ErrInvalidArgument)
		}
	}
	return nil
}
