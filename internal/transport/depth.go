package transport

import (
	"bytes"
	"fmt"
)

// MaxDepth bounds the nesting of every body the SDK walks. Real answers
// nest about six levels; without a bound a hostile body nested a million
// levels deep costs memory in proportion to its depth, not its size
// (issue 11.5). encoding/json's own limit (10000) is far above what is
// sane, and the lenient decoders hand odd values to interface decoding,
// which recurses.
const MaxDepth = 256

// ErrTooDeep is the decode failure for a body nested deeper than MaxDepth.
var ErrTooDeep = fmt.Errorf("body is nested more than %d levels deep", MaxDepth)

// CheckJSONDepth fails a JSON body nested deeper than MaxDepth. It counts
// brackets outside strings, jumping over each string with IndexByte, and
// allocates nothing, so it costs a small fraction of the decode it guards.
func CheckJSONDepth(b []byte) error {
	if len(b) <= MaxDepth {
		// Every level takes at least one byte.
		return nil
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			// The closing quote is the next one not escaped by an odd run
			// of backslashes; the run cannot reach back past the opening
			// quote.
			for {
				k := bytes.IndexByte(b[i+1:], '"')
				if k < 0 {
					return nil
				}
				i += k + 1
				run := 0
				for j := i - 1; b[j] == '\\'; j-- {
					run++
				}
				if run%2 == 0 {
					break
				}
			}
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return ErrTooDeep
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
