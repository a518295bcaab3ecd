package transport

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Redacted replaces every secret value that reaches a log line, an error
// string or a recording.
const Redacted = "REDACTED"

// secretParams are query parameter names whose values are credentials.
var secretParams = map[string]bool{
	"bearer_token":  true,
	"access_token":  true,
	"token":         true,
	"password":      true,
	"api_key":       true,
	"client_secret": true,
	"refresh_token": true,
	"sessionid":     true,
}

// secretHeaders are header names (canonical form) whose values are
// credentials.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Authtoken":           true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Api-Key":           true,
	"Proxy-Authorization": true,
}

// IsSecretParam reports whether a query parameter carries a credential.
func IsSecretParam(name string) bool { return secretParams[strings.ToLower(name)] }

// IsSecretHeader reports whether a header carries a credential.
func IsSecretHeader(name string) bool { return secretHeaders[http.CanonicalHeaderKey(name)] }

// RedactURL returns u as a string without user info and with the values of
// secret query parameters replaced. u is not modified.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		c.RawQuery = redactRawQuery(c.RawQuery)
	}
	return c.String()
}

// redactRawQuery rewrites only the secret pairs, keeping the order and
// encoding of the rest so a redacted URL still reads like the real one.
func redactRawQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, found := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if IsSecretParam(name) {
			if found || p != "" {
				parts[i] = k + "=" + Redacted
			}
		}
	}
	return strings.Join(parts, "&")
}

// RedactURLString is RedactURL for a URL in text form; text that does not
// parse is scrubbed with RedactText.
func RedactURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactText(raw)
	}
	return RedactURL(u)
}

// RedactHeader returns a copy of h with the values of credential headers
// replaced.
func RedactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if IsSecretHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

var (
	// "token": "...", "password":"..." in JSON bodies.
	jsonSecretRE = regexp.MustCompile(`(?i)("(?:bearer_token|access_token|refresh_token|token|password|client_secret|api_key|sessionId|authtoken)"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\z)`)
	// token="..." in XML attributes.
	xmlSecretRE = regexp.MustCompile(`(?i)(\b(?:bearer_token|access_token|refresh_token|token|password|client_secret|api_key|sessionId|authtoken)\s*=\s*)"[^"]*(?:"|\z)`)
	// bearer_token=... in URLs embedded in text.
	querySecretRE = regexp.MustCompile(`(?i)([?&;](?:bearer_token|access_token|refresh_token|token|password|client_secret|api_key)=)[^&#\s"'<>]*`)
	// Authorization: Bearer xyz, Authtoken: QSDK xyz in text.
	headerSecretRE = regexp.MustCompile(`(?i)(\b(?:authorization|authtoken|x-api-key|cookie)\s*[:=]\s*)[^\r\n"]+`)
	// "QSDK 3f1a..." and "Bearer eyJ..." anywhere.
	schemeSecretRE = regexp.MustCompile(`(?i)\b(QSDK|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}`)
)

// RedactText scrubs credentials from free text: JSON and XML fields named
// like secrets, secret query parameters inside URLs, credential headers and
// QSDK/Bearer token strings. It is used for body snippets and recordings,
// where the structure is unknown.
func RedactText(s string) string {
	s = jsonSecretRE.ReplaceAllString(s, `${1}"`+Redacted+`"`)
	s = xmlSecretRE.ReplaceAllString(s, `${1}"`+Redacted+`"`)
	s = querySecretRE.ReplaceAllString(s, "${1}"+Redacted)
	s = headerSecretRE.ReplaceAllString(s, "${1}"+Redacted)
	s = schemeSecretRE.ReplaceAllString(s, "${1} "+Redacted)
	return s
}

// RedactError rewrites the URL inside a *url.Error (net/http puts the full
// request URL, query token included, in every transport error).
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURLString(ue.URL), Err: ue.Err}
	}
	return err
}

// Secrets holds literal secret values (a token, a password) to scrub
// wherever they appear, whatever the surrounding syntax: each is matched in
// every form a body or URL can carry it — literal, URL-escaped (%XX, "+" for
// a space), JSON-escaped ("\/", "\u002b") or any mix of these, and base64
// (standard and URL alphabets, padded or not) in the same escaped forms.
// Credentials a client was built with (Add) are never evicted; session
// tokens that rotate (AddSession) keep only the most recent few. It is safe
// for concurrent use, and the one mechanism every provider, log line and
// recording uses, so a form added here is scrubbed everywhere.
type Secrets struct {
	mu      sync.RWMutex
	pinned  []string
	session []string
	// forms are the literal strings searched for, longest first.
	forms []string
	// longest is the length of the longest form re can match, so callers
	// that cut text know how much margin keeps a secret whole.
	longest int
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
	s.mu.RLock()
	defer s.mu.RUnlock()
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
	s.forms = slices.Compact(forms)
	s.longest = 0
	if len(s.forms) > 0 {
		// \uXXXX is the longest escape: six bytes per byte of the value.
		s.longest = 6 * len(s.forms[0])
	}
}

// Scrub replaces every form of every registered secret in text. Escapes
// are undone into a decoded view that remembers where each byte came from,
// the literal forms are searched there, and the original spans they came
// from are replaced: one linear pass per form, whatever mix of escapes the
// server used.
func (s *Secrets) Scrub(text string) string {
	if s == nil || text == "" {
		return text
	}
	s.mu.RLock()
	forms := s.forms
	s.mu.RUnlock()
	if len(forms) == 0 {
		return text
	}
	var spans []span
	spans = findForms(spans, text, nil, nil, forms)
	if strings.ContainsAny(text, `%\+`) {
		for _, plusIsSpace := range []bool{false, true} {
			view, starts, ends := decodeEscapes(text, plusIsSpace)
			spans = findForms(spans, view, starts, ends, forms)
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.end <= last {
			continue
		}
		if sp.start >= last {
			b.WriteString(text[last:sp.start])
			b.WriteString(Redacted)
		}
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// span is a byte range of the original text that holds a secret.
type span struct{ start, end int }

// findForms appends the original spans of every occurrence of forms in view.
// starts and ends map view bytes back to the text (nil: view is the text).
func findForms(spans []span, view string, starts, ends []int, forms []string) []span {
	for _, f := range forms {
		for off := 0; off < len(view); {
			i := strings.Index(view[off:], f)
			if i < 0 {
				break
			}
			lo, hi := off+i, off+i+len(f)
			if starts != nil {
				spans = append(spans, span{starts[lo], ends[hi-1]})
			} else {
				spans = append(spans, span{lo, hi})
			}
			off = hi
		}
	}
	return spans
}

// decodeEscapes undoes percent-encoding (%XX, any case), JSON escapes
// (\uXXXX with surrogate pairs, \/, \", \\) and, when plusIsSpace, form
// encoding's "+", recording for each decoded byte the span of text it came
// from.
func decodeEscapes(text string, plusIsSpace bool) (string, []int, []int) {
	view := make([]byte, 0, len(text))
	starts := make([]int, 0, len(text))
	ends := make([]int, 0, len(text))
	emit := func(bs []byte, from, to int) {
		for _, c := range bs {
			view = append(view, c)
			starts = append(starts, from)
			ends = append(ends, to)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '%' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			emit([]byte{unhex(text[i+1])<<4 | unhex(text[i+2])}, i, i+3)
			i += 3
			continue
		case c == '+' && plusIsSpace:
			emit([]byte{' '}, i, i+1)
			i++
			continue
		case c == '\\' && i+1 < len(text):
			switch text[i+1] {
			case '/', '"', '\\':
				emit([]byte{text[i+1]}, i, i+2)
				i += 2
				continue
			case 'u':
				if r, ok := hex4(text, i+2); ok {
					n := 6
					if utf16.IsSurrogate(r) {
						if i+7 < len(text) && text[i+6] == '\\' && text[i+7] == 'u' {
							if r2, ok := hex4(text, i+8); ok {
								r = utf16.DecodeRune(r, r2)
								n = 12
							}
						}
					}
					emit(utf8.AppendRune(nil, r), i, i+n)
					i += n
					continue
				}
			}
		}
		emit([]byte{c}, i, i+1)
		i++
	}
	return string(view), starts, ends
}

func hex4(text string, at int) (rune, bool) {
	if at+4 > len(text) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(text[at : at+4]) {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
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

// margin is how far past a cut point text must be scrubbed for no prefix of
// a secret to survive the cut.
func (s *Secrets) margin() int {
	const ruleMargin = 1 << 10 // rule-based matches (a JSON "token" value)
	if s == nil {
		return ruleMargin
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return max(ruleMargin, s.longest)
}

// RedactedPrefix returns at most n bytes of body with every secret removed.
// It scrubs a window a little larger than n and cuts afterwards: scrubbing
// the whole body would cost seconds on a 32 MiB answer, and cutting first
// could leave the head of a secret that straddles the cut.
func (s *Secrets) RedactedPrefix(body []byte, n int) string {
	window := body
	if m := n + s.margin(); len(window) > m {
		window = window[:m]
	}
	text := s.Scrub(RedactText(string(window)))
	if len(text) <= n {
		return strings.ToValidUTF8(text, "")
	}
	text = text[:n]
	for len(text) > 0 && !utf8.RuneStart(text[len(text)-1]) {
		text = text[:len(text)-1]
	}
	return strings.ToValidUTF8(text, "")
}

// Redact returns text without any credential this client knows, in any
// form, nor anything the generic rules recognise as one.
func (c *Client) Redact(text string) string { return c.secrets.Scrub(RedactText(text)) }
