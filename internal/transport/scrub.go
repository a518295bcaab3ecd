package transport

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// Secrets holds literal secret values (a token, a password) to scrub
// wherever they appear, whatever the surrounding syntax: each is matched in
// every form a body or URL can carry it — literal, URL-escaped (%XX in any
// case, "+" for a space), JSON-escaped ("\/", "\u002b", surrogate pairs) or
// any mix of these, and base64 (standard and URL alphabets, padded or not)
// in the same escaped forms. Credentials a client was built with (Add) are
// never evicted; session tokens that rotate (AddSession) keep only the
// most recent few. It is safe for concurrent use, and the one mechanism
// every provider, log line, error and recording uses, so a form added here
// is scrubbed everywhere.
//
// Scrubbing costs about twice the bytes it reads at most (issue 19.5): one
// decoded copy of the text, reused for both readings of "+", and the
// result; and the bounded forms (Bound, RedactedPrefix) read only the
// window they keep.
type Secrets struct {
	mu      sync.Mutex // guards pinned and session; serialises rebuilds
	pinned  []string
	session []string
	// set is what the scrubber reads, replaced whole on every change, so
	// a scrub (every Response runs a few) takes no lock.
	set atomic.Pointer[formSet]
}

// formSet is what the scrubber searches for.
type formSet struct {
	// forms are the literal strings searched for, longest first, and the
	// same as bytes for the search in a decoded view.
	forms     []string
	formBytes [][]byte
	// longest is the length of the longest form re can match, so callers
	// that cut text know how much margin keeps a secret whole.
	longest int
	// shortest is the length of the shortest form: no escape makes a form
	// shorter, so a text shorter than this holds none.
	shortest int
	// minimal are the forms that hold no other form, which is all Holds
	// needs to look for: "QSDK x" holds "x", padded base64 holds raw.
	minimal      []string
	minimalBytes [][]byte
}

// maxSessionSecrets bounds the rotating session tokens kept: a session
// renews its token every half hour and old tokens have long expired, while
// the credentials themselves are pinned.
const maxSessionSecrets = 32

// minSecretLen: replacing very short values would mangle ordinary text.
const minSecretLen = 4

// Add registers credentials a client was built with (tokens, passwords).
// They stay registered for the life of the Secrets.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= minSecretLen && !slices.Contains(s.pinned, v) {
			s.pinned = append(s.pinned, v)
		}
	}
	s.rebuild()
}

// AddSession registers a rotating session token (a token a login returned).
// Only the most recent maxSessionSecrets are kept; older ones give way
// first, and pinned credentials are never among those evicted.
func (s *Secrets) AddSession(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen || slices.Contains(s.pinned, v) || slices.Contains(s.session, v) {
			continue
		}
		s.session = append(s.session, v)
	}
	if over := len(s.session) - maxSessionSecrets; over > 0 {
		s.session = append(s.session[:0:0], s.session[over:]...)
	}
	s.rebuild()
}

// Len reports how many secret values are registered.
func (s *Secrets) Len() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pinned) + len(s.session)
}

// rebuild derives every literal form searched for (each value and its
// base64 encodings), longest first. Called with mu held.
func (s *Secrets) rebuild() {
	var forms []string
	for _, v := range append(slices.Clone(s.pinned), s.session...) {
		b := []byte(v)
		if u, err := url.PathUnescape(v); err == nil && u != v && len(u) >= minSecretLen {
			// A secret that holds %XX itself: the decoded view undoes
			// those escapes too, so it is searched for decoded as well.
			forms = append(forms, u)
		}
		forms = append(forms, v,
			base64.StdEncoding.EncodeToString(b),
			base64.RawStdEncoding.EncodeToString(b),
			base64.URLEncoding.EncodeToString(b),
			base64.RawURLEncoding.EncodeToString(b))
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	set := &formSet{forms: slices.Compact(forms)}
	set.formBytes = make([][]byte, len(set.forms))
	for i, f := range set.forms {
		set.formBytes[i] = []byte(f)
	}
	if len(set.forms) > 0 {
		// \uXXXX is the longest escape: six bytes per byte of the value.
		set.longest = 6 * len(set.forms[0])
		set.shortest = len(set.forms[len(set.forms)-1])
	}
	for i, f := range set.forms {
		holdsAnother := false
		for _, g := range set.forms[i+1:] {
			// Later forms are no longer; a distinct one inside f makes f
			// redundant for telling whether a text holds a secret.
			if g != f && strings.Contains(f, g) {
				holdsAnother = true
				break
			}
		}
		if !holdsAnother {
			set.minimal = append(set.minimal, f)
			set.minimalBytes = append(set.minimalBytes, set.formBytes[i])
		}
	}
	s.set.Store(set)
}

// snapshot returns the current forms; they are never changed in place.
func (s *Secrets) snapshot() ([]string, [][]byte) {
	if s == nil {
		return nil, nil
	}
	if set := s.set.Load(); set != nil {
		return set.forms, set.formBytes
	}
	return nil, nil
}

// Scrub replaces every form of every registered secret in text. Escapes
// are undone into a decoded view, the literal forms are searched there,
// and the spans of the original they came from are replaced: one linear
// pass per form, whatever mix of escapes the server used. It reads all of
// text; use Bound for text that will be cut anyway.
func (s *Secrets) Scrub(text string) string {
	if s == nil || text == "" {
		return text
	}
	out, _ := render(text, s.spans(nil, text), len(text))
	return out
}

// Redact removes every registered secret and everything the generic rules
// recognise as a credential (see RedactText) in one pass.
func (s *Secrets) Redact(text string) string {
	out, _ := render(text, s.spans(ruleSpans(nil, text), text), len(text))
	return out
}

// Bound returns text with every registered secret and every credential the
// generic rules recognise removed, cut to at most n bytes, ending in
// bound.Mark where something was left out. It reads only the first n bytes
// of text and a margin past them, enough for a secret that starts before
// the cut to be found whole: an error quoting 8 MiB of a server's message
// costs a scan of about n bytes, not of the message.
func (s *Secrets) Bound(text string, n int) string {
	return s.prefix(text, n, bound.Mark)
}

// RedactedPrefix returns at most n bytes of body with every secret removed
// (no mark: it is a copy of the body, not a message). Like Bound it reads
// only a window a little larger than n: scrubbing the whole body would
// cost seconds on a 32 MiB answer, and cutting first could leave the head
// of a secret that straddles the cut.
func (s *Secrets) RedactedPrefix(body []byte, n int) string {
	if m := n + s.margin(); len(body) > m {
		body = body[:m]
	}
	return strings.ToValidUTF8(s.prefix(string(body), n, ""), "")
}

// prefix is Bound and RedactedPrefix: the window is scrubbed with every
// span taken in the window's own coordinates, and only what comes from its
// first n bytes is kept, so a secret cut by the window's end (found or
// not) can never reach the result, however much the replacements before
// it shrank the text.
func (s *Secrets) prefix(text string, n int, mark string) string {
	if n < 0 {
		n = 0
	}
	w := text
	if m := n + s.margin(); len(w) > m {
		w = w[:m]
	}
	spans := s.spans(ruleSpans(nil, w), w)
	out, consumed := render(w, spans, min(len(w), n))
	if consumed >= len(text) && len(out) <= n {
		return out
	}
	return bound.Prefix(out, n-len(mark)) + mark
}

// margin is how far past a cut point text must be scrubbed for no prefix of
// a secret to survive the cut.
func (s *Secrets) margin() int {
	const ruleMargin = 1 << 10 // rule-based matches (a JSON "token" value)
	if s == nil {
		return ruleMargin
	}
	if set := s.set.Load(); set != nil {
		return max(ruleMargin, set.longest)
	}
	return ruleMargin
}

// Holds reports whether text holds any form of a registered secret. For
// text of up to 512 bytes (a URL, a header value) it allocates nothing,
// so the per-call checks of what a Response hands back cost no garbage.
func (s *Secrets) Holds(text string) bool {
	if s == nil {
		return false
	}
	set := s.set.Load()
	if set == nil || len(text) < set.shortest || text == "" {
		return false
	}
	forms, formBytes := set.minimal, set.minimalBytes
	for _, f := range forms {
		if strings.Contains(text, f) {
			return true
		}
	}
	hasEsc, hasPlus := hasEscapes(text)
	if !hasEsc && !hasPlus {
		return false
	}
	var stack [512]byte
	view := stack[:0]
	for _, plus := range viewsOf(hasEsc, hasPlus) {
		view = decodeEscapes(view[:0], text, plus)
		for _, f := range formBytes {
			if bytes.Contains(view, f) {
				return true
			}
		}
	}
	return false
}

// span is a byte range of the original text to replace by repl.
type span struct {
	start, end int
	repl       string
}

// spans appends the span of every occurrence of every form in text: the
// literal text first, then each decoded view (escapes undone, "+" kept and
// "+" read as a space) mapped back to the bytes it came from.
func (s *Secrets) spans(out []span, text string) []span {
	forms, formBytes := s.snapshot()
	if len(forms) == 0 || text == "" {
		return out
	}
	for _, f := range forms {
		out = appendMatches(out, text, f, strings.Index)
	}
	hasEsc, hasPlus := hasEscapes(text)
	views := viewsOf(hasEsc, hasPlus)
	if len(views) == 0 {
		return out
	}
	// A short text (a cursor, a URL) is decoded on the stack.
	var stack [512]byte
	view := stack[:0]
	if len(text) > len(stack) {
		view = make([]byte, 0, len(text))
	}
	for _, plus := range views {
		view = decodeEscapes(view[:0], text, plus)
		first := len(out)
		for _, f := range formBytes {
			// View offsets for now; mapped below.
			out = appendMatches(out, view, f, bytes.Index)
		}
		mapToText(out[first:], text, plus)
	}
	return out
}

// appendMatches appends the span of every occurrence of needle in hay,
// left to right and without overlap, as the old scrubber found them.
func appendMatches[S string | []byte](out []span, hay, needle S, index func(S, S) int) []span {
	for off := 0; off < len(hay); {
		i := index(hay[off:], needle)
		if i < 0 {
			break
		}
		out = append(out, span{off + i, off + i + len(needle), Redacted})
		off += i + len(needle)
	}
	return out
}

// hasEscapes reports whether text holds anything a decoded view undoes:
// %XX or a backslash escape, and "+".
func hasEscapes(text string) (esc, plus bool) {
	for i := 0; i < len(text) && !(esc && plus); i++ {
		switch text[i] {
		case '%', '\\':
			esc = true
		case '+':
			plus = true
		}
	}
	return esc, plus
}

// viewsOf lists the decoded views worth reading: with "+" kept and with
// "+" as a space. Without %XX or backslash escapes the first is the text
// itself (already searched); without "+" the second is the first.
func viewsOf(esc, plus bool) []bool {
	switch {
	case esc && plus:
		return bothViews[:]
	case esc:
		return bothViews[:1]
	case plus:
		return bothViews[1:]
	}
	return nil
}

// bothViews backs viewsOf's answers, which are never written to: a slice
// literal there would be an allocation per scrub.
var bothViews = [2]bool{false, true}

// mapToText rewrites spans given in view offsets (view = the decoding of
// text) into offsets of text: a span starts where the escape holding its
// first byte starts and ends where the escape holding its last byte ends.
// The view is not kept per byte (that cost 16 bytes of index per byte of
// text, twice); the decoding is walked again instead, once, in the order
// of the spans' starts, so the cost is linear in the text.
func mapToText(spans []span, text string, plus bool) {
	if len(spans) == 0 {
		return
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var head walker
	head.reset(text, plus)
	tail := head
	for i := range spans {
		sp := &spans[i]
		lo, hi := sp.start, sp.end-1
		sp.start, _ = head.seek(lo)
		if hi < tail.v {
			tail = head
		}
		_, sp.end = tail.seek(hi)
	}
}

// walker steps through the decoding of a text one escape (or byte) at a
// time: unit i..i+n of the text decodes to view bytes v..v+k.
type walker struct {
	text       string
	plus       bool
	i, v, n, k int
}

func (w *walker) reset(text string, plus bool) {
	*w = walker{text: text, plus: plus}
	w.load()
}

func (w *walker) load() {
	var buf [utf8.UTFMax]byte
	w.n, w.k = decodeUnit(buf[:0], w.text, w.i, w.plus)
}

// seek moves to the unit that holds view byte p (p at or after the
// current one) and returns the text span of that unit.
func (w *walker) seek(p int) (start, end int) {
	for p >= w.v+w.k && w.i < len(w.text) {
		w.i += w.n
		w.v += w.k
		// Plain bytes map one to one: jump over those before p at once,
		// looking no further than p.
		if ahead := min(p-w.v, len(w.text)-w.i); ahead > 0 {
			run := plainRun(w.text[w.i : w.i+ahead])
			w.i += run
			w.v += run
		}
		w.load()
	}
	return w.i, w.i + w.n
}

// plainRun is how many bytes s starts with that begin no escape: '%',
// '\\' and '+' begin every escape a decoded view undoes. (A byte loop:
// strings.IndexAny builds its set on every call, which cost more than the
// scan on the short runs of an escaped message.)
func plainRun(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '\\' || c == '+' {
			return i
		}
	}
	return len(s)
}

// decodeEscapes appends to view the decoding of text: percent-encoding
// (%XX, any case), JSON escapes (\uXXXX with surrogate pairs, \/, \", \\)
// and, when plusIsSpace, form encoding's "+".
func decodeEscapes(view []byte, text string, plusIsSpace bool) []byte {
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(text); {
		// Plain bytes are copied a run at a time.
		run := plainRun(text[i:])
		view = append(view, text[i:i+run]...)
		if i += run; i == len(text) {
			break
		}
		n, k := decodeUnit(buf[:0], text, i, plusIsSpace)
		view = append(view, buf[:k]...)
		i += n
	}
	return view
}

// decodeUnit decodes the escape (or plain byte) at text[i] into out (of
// capacity utf8.UTFMax, which it fills from its start) and returns how
// many bytes of text it took and how many bytes it wrote. At the end of
// text it returns 0, 0.
func decodeUnit(out []byte, text string, i int, plusIsSpace bool) (n, k int) {
	if i >= len(text) {
		return 0, 0
	}
	c := text[i]
	switch {
	case c == '%' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
		out = append(out, unhex(text[i+1])<<4|unhex(text[i+2]))
		return 3, len(out)
	case c == '+' && plusIsSpace:
		out = append(out, ' ')
		return 1, len(out)
	case c == '\\' && i+1 < len(text):
		switch text[i+1] {
		case '/', '"', '\\':
			out = append(out, text[i+1])
			return 2, len(out)
		case 'u':
			if r, ok := hex4(text, i+2); ok {
				n := 6
				if utf16.IsSurrogate(r) && i+7 < len(text) && text[i+6] == '\\' && text[i+7] == 'u' {
					if r2, ok := hex4(text, i+8); ok {
						r = utf16.DecodeRune(r, r2)
						n = 12
					}
				}
				out = utf8.AppendRune(out, r)
				return n, len(out)
			}
		}
	}
	out = append(out, c)
	return 1, len(out)
}

func hex4(text string, at int) (rune, bool) {
	if at+4 > len(text) {
		return 0, false
	}
	var r rune
	for i := at; i < at+4; i++ {
		if !isHex(text[i]) {
			return 0, false
		}
		r = r<<4 | rune(unhex(text[i]))
	}
	return r, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// render writes text with every span replaced, keeping only what comes
// from text[:keep] (a span that starts there is replaced whole, even when
// it runs past keep). Overlapping spans merge into one replacement (the
// first's); adjacent ones each keep theirs. It returns the result and the
// offset of text up to which the result accounts for it. Without a span it
// returns text itself.
func render(text string, spans []span, keep int) (string, int) {
	if len(spans) == 0 {
		return text[:keep], keep
	}
	slices.SortStableFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	// Two passes: the first sizes the result, so it is one allocation of
	// exactly its length.
	size, consumed := walkSpans(text, spans, keep, nil)
	var b strings.Builder
	b.Grow(size)
	walkSpans(text, spans, keep, &b)
	return b.String(), consumed
}

// walkSpans is render's loop: it writes into b when b is not nil, and
// returns the length of the result and how far into text it reaches.
func walkSpans(text string, spans []span, keep int, b *strings.Builder) (size, consumed int) {
	last := 0
	for _, sp := range spans {
		if sp.start < last {
			// Overlaps the replacement before it: that one grows.
			last = max(last, sp.end)
			continue
		}
		if sp.start >= keep {
			break
		}
		size += sp.start - last + len(sp.repl)
		if b != nil {
			b.WriteString(text[last:sp.start])
			b.WriteString(sp.repl)
		}
		last = sp.end
	}
	if last < keep {
		size += keep - last
		if b != nil {
			b.WriteString(text[last:keep])
		}
		last = keep
	}
	return size, last
}

// Redact returns text without any credential this client knows, in any
// form, nor anything the generic rules recognise as one.
func (c *Client) Redact(text string) string { return c.secrets.Redact(text) }
