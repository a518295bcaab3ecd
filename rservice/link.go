package rservice

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// link is one entry of a Link header (RFC 8288).
type link struct {
	URL  string
	Rels []string
}

// parseLinks reads every Link header line of h. It is deliberately
// tolerant, because the 4me platform sends URLs with unencoded commas
// (fields=id,name), splits entries over several header lines, separates
// them with "," or ", ", and quotes rel or not. A comma ends an entry only
// outside <...> and outside quotes; garbage between entries is skipped.
func parseLinks(h http.Header) []link {
	var out []link
	for _, v := range h.Values("Link") {
		out = append(out, parseLinkValue(v)...)
	}
	// A header map built by hand may hold non-canonical keys ("link");
	// read them too, in a fixed order.
	var odd []string
	for k := range h {
		if k != "Link" && strings.EqualFold(k, "Link") {
			odd = append(odd, k)
		}
	}
	sort.Strings(odd)
	for _, k := range odd {
		for _, v := range h[k] {
			out = append(out, parseLinkValue(v)...)
		}
	}
	return out
}

// parseLinkValue parses one Link header value.
func parseLinkValue(s string) []link {
	var out []link
	i := 0
	for i < len(s) {
		// Find the next target: anything before '<' is noise or a separator.
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		target := s[i : i+end]
		if k := strings.LastIndexByte(target, '<'); k >= 0 {
			// "<<x>": a stray '<' cannot be part of a URI; start again.
			target = target[k+1:]
		}
		l := link{URL: strings.TrimSpace(target)}
		sawRel := false
		i += end + 1
		// Parameters until a comma outside quotes, or the next '<' that
		// follows a separator (a missing comma between entries).
		for i < len(s) {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			if i >= len(s) {
				break
			}
			if s[i] == ',' {
				i++
				break
			}
			if s[i] == '<' {
				break
			}
			if s[i] != ';' {
				// Stray text: skip to the next separator.
				i = skipToSeparator(s, i)
				continue
			}
			i++
			name, value, next := parseParam(s, i)
			i = next
			// RFC 8288 §3.3: occurrences of rel after the first are
			// ignored, so "rel=first; rel=next" is not a next link.
			if strings.EqualFold(name, "rel") && !sawRel {
				sawRel = true
				for _, r := range strings.Fields(value) {
					l.Rels = append(l.Rels, strings.ToLower(r))
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// parseParam reads `name[=value]` starting at i (after ';'); value may be
// a quoted string with backslash escapes or a bare token.
func parseParam(s string, i int) (name, value string, next int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	start := i
	for i < len(s) && !strings.ContainsRune("=;,<", rune(s[i])) {
		i++
	}
	name = strings.TrimSpace(s[start:i])
	if i >= len(s) || s[i] != '=' {
		return name, "", i
	}
	i++
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && s[i] == '"' {
		i++
		var b strings.Builder
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
			i++
		}
		if i < len(s) {
			i++ // closing quote
		}
		return name, b.String(), i
	}
	start = i
	for i < len(s) && !strings.ContainsRune(";,<", rune(s[i])) {
		i++
	}
	return name, strings.Trim(strings.TrimSpace(s[start:i]), `'`), i
}

// skipToSeparator moves past text up to the next ';', ',' or '<' that is
// not inside quotes.
func skipToSeparator(s string, i int) int {
	quoted := false
	for ; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case !quoted && (s[i] == ';' || s[i] == ',' || s[i] == '<'):
			return i
		}
	}
	return i
}

// nextLink returns the rel="next" target of h, made absolute against the
// URL of the request that got h (RFC 8288 §3.2) when it is relative. The
// query string is kept byte for byte: it carries an opaque search_after
// value that must not be re-encoded.
func nextLink(h http.Header, requestURL *url.URL) string {
	for _, l := range parseLinks(h) {
		for _, r := range l.Rels {
			if r == "next" && l.URL != "" {
				return absolutize(l.URL, requestURL)
			}
		}
	}
	return ""
}

func absolutize(raw string, base *url.URL) string {
	ref, err := url.Parse(raw)
	if err != nil || ref.IsAbs() || base == nil {
		return raw
	}
	abs := base.ResolveReference(ref)
	// ResolveReference keeps ref's RawQuery; rebuild the string by hand so
	// nothing but the scheme, host and path is touched.
	out := abs.Scheme + "://" + abs.Host + abs.EscapedPath()
	if q, ok := strings.CutPrefix(raw[strings.IndexByte(raw+"?", '?'):], "?"); ok {
		out += "?" + strings.SplitN(q, "#", 2)[0]
	}
	return out
}
