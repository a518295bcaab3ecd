package transport

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// KeySet names the JSON object keys a provider refuses to see twice in one
// object (issue 19.10): identity and envelope keys such as id, url, name,
// data or providers. encoding/json keeps the last of two equal keys
// without a word, and matches struct fields ignoring case, so with
// {"id":1,"ID":2} a proxy or a log reader and the SDK could see different
// organizations in one body. Every other key is left alone: real servers
// never repeat a key, and checking only the few that matter keeps the
// scan cheap.
//
// A KeySet is built once per provider and is safe for concurrent use.
type KeySet struct {
	keys []string
	// byLen lists, by length, the indexes of the keys of that length; a
	// key in a body is compared only with the keys as long as it.
	byLen  [][]uint8
	maxLen int
	// keyWindow is the longest spelling of a key that can still name one
	// of the set: six bytes a character (an escape "\u0069").
	keyWindow int
}

// maxWatchedKeys is how many keys a KeySet can hold: each open object
// keeps one bit per key.
const maxWatchedKeys = 64

// NewKeySet returns the set of keys. Each must be non-empty ASCII and there
// may be at most 64 (each open object keeps a bit per key); others are
// left out, which a provider's test of Keys shows.
func NewKeySet(keys ...string) *KeySet {
	ks := &KeySet{}
	for _, k := range keys {
		if k != "" && isASCII([]byte(k)) && len(ks.keys) < maxWatchedKeys {
			ks.keys = append(ks.keys, k)
			ks.maxLen = max(ks.maxLen, len(k))
		}
	}
	ks.keyWindow = 6 * ks.maxLen
	ks.byLen = make([][]uint8, ks.maxLen+1)
	for i, k := range ks.keys {
		ks.byLen[len(k)] = append(ks.byLen[len(k)], uint8(i))
	}
	return ks
}

// Keys returns the keys of the set, in the order given.
func (ks *KeySet) Keys() []string { return append([]string(nil), ks.keys...) }

// DuplicateKeyError is the decode failure for a body with one of a
// KeySet's keys twice in one object. Key is the key as the set names it;
// Offset is where its second occurrence starts in the body.
type DuplicateKeyError struct {
	Key    string
	Offset int
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("key %q appears twice in one JSON object (the second at byte %d): which one counts is ambiguous", e.Key, e.Offset)
}

// Check fails a JSON body nested deeper than MaxDepth (ErrTooDeep, as
// CheckJSONDepth does) and a body with one of the set's keys twice in the
// same object (a *DuplicateKeyError). Keys match as encoding/json matches
// struct fields: after unescaping, ignoring case (Unicode simple folding,
// so "\u017f" is an "s"). It reads the bytes once, strings eight bytes at
// a time, and allocates nothing unless a key holds an escape or a
// non-ASCII byte; on a 100-organization page it costs about what
// CheckJSONDepth does (BenchmarkKeySetCheck). A malformed body is left to
// the decoder to report.
func (ks *KeySet) Check(b []byte) error {
	// seen[d] has a bit per key met in the object open at depth d; isObj
	// says whether that container is an object.
	var seen [MaxDepth + 1]uint64
	var isObj [MaxDepth + 1]bool
	depth := 0
	// wantKey: the next string is an object key.
	wantKey := false
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			start := i
			end, plain := stringEnd(b, i)
			if end < 0 {
				return nil
			}
			i = end
			if !wantKey {
				continue
			}
			wantKey = false
			if k := ks.match(b[start:end+1], plain); k >= 0 {
				bit := uint64(1) << k
				if seen[depth]&bit != 0 {
					return &DuplicateKeyError{Key: ks.keys[k], Offset: start}
				}
				seen[depth] |= bit
			}
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return ErrTooDeep
			}
			seen[depth], isObj[depth] = 0, b[i] == '{'
			wantKey = isObj[depth]
		case '}', ']':
			if depth > 0 {
				depth--
			}
			wantKey = false
		case ',':
			wantKey = isObj[depth]
		case ':':
			wantKey = false
		}
	}
	return nil
}

// CheckAnswer is what a decoder runs on a success body before decoding it:
// Check, then ExpectJSON with kinds.
func (ks *KeySet) CheckAnswer(body []byte, kinds ...byte) error {
	if err := ks.Check(body); err != nil {
		return err
	}
	return ExpectJSON(body, kinds...)
}

// Word-at-a-time string scanning: a JSON body is mostly short strings, and
// finding the end of each costs more in a call to IndexByte, or in a loop
// that tests one byte at a time, than in reading eight bytes at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	// longString is how far stringEnd reads word by word before it lets
	// IndexByte jump to the closing quote of a long string.
	longString = 64
)

// stringEnd returns the index of the quote that closes the string opening
// at b[open] (-1 when it is not closed), and whether the string is plain:
// ASCII without escapes. A string longer than longString is reported not
// plain, which only sends a long key to the slow, exact comparison. The
// bytes of a word that equal '"' or '\\' are found with the classic
// has-zero-byte test, (x - 0x01..) &^ x & 0x80.., applied to the word
// XORed with each; its lowest flag is exact, and only that one is used.
func stringEnd(b []byte, open int) (end int, plain bool) {
	plain = true
	i := open + 1
	for limit := i + longString; i < limit; {
		if len(b)-i < 8 {
			for ; i < len(b); i++ {
				switch c := b[i]; {
				case c == '"':
					return i, plain
				case c == '\\':
					plain = false
					i++
				case c >= utf8.RuneSelf:
					plain = false
				}
			}
			return -1, false
		}
		w := binary.LittleEndian.Uint64(b[i : i+8])
		q, e := w^(ones*'"'), w^(ones*'\\')
		m := ((q-ones)&^q | (e-ones)&^e) & highs
		if m == 0 {
			if w&highs != 0 {
				plain = false
			}
			i += 8
			continue
		}
		k := bits.TrailingZeros64(m) >> 3
		if w&highs&(1<<(8*k)-1) != 0 {
			plain = false
		}
		i += k
		if b[i] == '"' {
			return i, plain
		}
		// A backslash escapes the byte after it, a quote included.
		plain = false
		i += 2
	}
	return closingQuote(b, i), false
}

// closingQuote returns the index of the quote that closes a string, looking
// from from on (-1 if none): IndexByte jumps to each quote, and the quote
// closes the string unless an odd run of backslashes escapes it (the run
// cannot reach back past the opening quote).
func closingQuote(b []byte, from int) int {
	i := from - 1
	for i+1 < len(b) {
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 {
			return -1
		}
		i += k + 1
		run := 0
		for j := i - 1; b[j] == '\\'; j-- {
			run++
		}
		if run%2 == 0 {
			return i
		}
	}
	return -1
}

// match returns the index of the set's key that quoted (a key with its
// quotes) names, or -1. plain says the key is ASCII without escapes.
func (ks *KeySet) match(quoted []byte, plain bool) int {
	raw := quoted[1 : len(quoted)-1]
	if plain {
		if len(raw) > ks.maxLen {
			return -1
		}
		for _, k := range ks.byLen[len(raw)] {
			if asciiEqualFold(raw, ks.keys[k]) {
				return int(k)
			}
		}
		return -1
	}
	// An escape ("\u0069d") or a multi-byte fold (the Kelvin sign is a
	// k) spells a key in at most six bytes a character.
	if len(raw) > ks.keyWindow {
		return -1
	}
	// The rare path: decode the key as encoding/json does, then fold.
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return -1
	}
	for i, k := range ks.keys {
		if strings.EqualFold(s, k) {
			return i
		}
	}
	return -1
}

// asciiEqualFold reports whether the ASCII bytes b equal the ASCII key k
// ignoring case.
func asciiEqualFold(b []byte, k string) bool {
	for i := 0; i < len(b); i++ {
		c, d := b[i], k[i]
		if c == d {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d || c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isASCII(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
