// Package bound is the one place that cuts the text an error quotes
// (issue 19.4): a server's message, a URL, a value the decoder refused.
// Every error type of the SDK and every decoder that quotes its input cuts
// with Cut, so an 8 MiB message or a million-digit number costs at most
// Field bytes in an error, and a whole Error() at most Text bytes, with
// Mark where something was left out.
package bound

import "unicode/utf8"

const (
	// Field is the most bytes one quoted string keeps (a message, a URL, an
	// id, a header value), mark included.
	Field = 256
	// Text is the most bytes a whole error text keeps, mark included.
	Text = 1024
	// Details is the most structured details an error keeps.
	Details = 50
	// Mark ends a text that was cut, so a reader knows more was there.
	Mark = "…(cut)"
)

// Cut returns s when it is at most n bytes long, and otherwise the start of
// s, cut on a rune boundary, followed by Mark: n bytes at most in all (n
// below len(Mark) keeps just the mark).
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Prefix(s, n-len(Mark)) + Mark
}

// Prefix returns at most n bytes of s, cut on a rune boundary so the cut
// does not leave half a character.
func Prefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	cut := n
	// Back up over at most three continuation bytes of the rune the cut
	// would split; invalid bytes before it are kept as they are.
	for back := 0; back < utf8.UTFMax-1 && cut > 0 && !utf8.RuneStart(s[cut]); back++ {
		cut--
	}
	if !utf8.RuneStart(s[cut]) {
		cut = n
	}
	return s[:cut]
}
