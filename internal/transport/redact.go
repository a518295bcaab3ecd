package transport

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
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

// rule is one generic redaction: re's first group (the name of the field,
// parameter or header) stays, and the rest of its match becomes repl.
type rule struct {
	re   *regexp.Regexp
	repl string
}

var rules = []rule{
	{jsonSecretRE, `"` + Redacted + `"`},
	{xmlSecretRE, `"` + Redacted + `"`},
	{querySecretRE, Redacted},
	{headerSecretRE, Redacted},
	{schemeSecretRE, " " + Redacted},
}

// ruleSpans appends the span of every generic rule's match in text. Every
// rule runs on the original text and the spans are merged when rendered,
// so the result does not depend on the order of the rules, and a caller
// that keeps only a prefix knows where each replaced value came from.
func ruleSpans(spans []span, text string) []span {
	for _, r := range rules {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			spans = append(spans, span{start: m[3], end: m[1], repl: r.repl})
		}
	}
	return spans
}

// RedactText scrubs credentials from free text: JSON and XML fields named
// like secrets, secret query parameters inside URLs, credential headers and
// QSDK/Bearer token strings. It is used for body snippets and recordings,
// where the structure is unknown.
func RedactText(s string) string {
	out, _ := render(s, ruleSpans(nil, s), len(s))
	return out
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
