package transport

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
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
	jsonSecretRE = regexp.MustCompile(`(?i)("(?:bearer_token|access_token|refresh_token|token|password|client_secret|api_key|sessionId|authtoken)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// token="..." in XML attributes.
	xmlSecretRE = regexp.MustCompile(`(?i)(\b(?:bearer_token|access_token|refresh_token|token|password|client_secret|api_key|sessionId|authtoken)\s*=\s*)"[^"]*"`)
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

// Secrets holds literal secret values (a token, a password and its base64
// form) to scrub wherever they appear, whatever the surrounding syntax. It is
// safe for concurrent use; Commvault adds a new token on every login.
type Secrets struct {
	mu     sync.RWMutex
	values []string // in the order added, for trimming
	// longestFirst is values sorted by length, so a secret that contains
	// another (a password and a token built from it) is replaced whole.
	longestFirst []string
}

// maxSecrets bounds the list for long sessions that renew their token
// every half hour; the oldest tokens have long expired.
const maxSecrets = 256

// Add registers values; empty and very short values are ignored because
// replacing them would mangle ordinary text.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < 4 || slices.Contains(s.values, v) {
			continue
		}
		s.values = append(s.values, v)
	}
	if over := len(s.values) - maxSecrets; over > 0 {
		s.values = append(s.values[:0:0], s.values[over:]...)
	}
	s.longestFirst = slices.Clone(s.values)
	slices.SortStableFunc(s.longestFirst, func(a, b string) int { return len(b) - len(a) })
}

// Scrub replaces every registered secret in text.
func (s *Secrets) Scrub(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.longestFirst {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, Redacted)
		}
		if ev := url.QueryEscape(v); ev != v && strings.Contains(text, ev) {
			text = strings.ReplaceAll(text, ev, Redacted)
		}
	}
	return text
}
