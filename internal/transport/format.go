package transport

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// This file holds the checks every success body passes before a decoder
// sees it (issue 19.2): a body is what its Content-Type says it is, and an
// HTML page is never a provider's answer, whatever it is labelled. Without
// them a proxy's login page served with status 200 read as an XML answer
// with no organizations in it (Commvault accepts any XML root), and XML
// labelled JSON failed with a syntax error that did not say what arrived.

// checkBodyFormat refuses a success body that is an HTML document, and one
// that is not the format its Content-Type names: markup labelled JSON, or
// JSON labelled XML. Both match ErrUnexpectedContentType. A caller that
// asked for raw bytes (AnyContentType) gets whatever arrived.
func checkBodyFormat(contentType string, expect []string, body []byte) error {
	if slices.Contains(expect, AnyContentType) {
		return nil
	}
	mt := mediaType(contentType)
	label := mt
	if label == "" {
		label = "none"
	}
	if htmlDocument(body) {
		return fmt.Errorf("%w: got an HTML page (Content-Type %s), not an API answer", ErrUnexpectedContentType, label)
	}
	switch first := firstByte(body); {
	case first == '<' && isJSONMedia(mt):
		return fmt.Errorf("%w: the body is markup (XML or HTML) but its Content-Type says %s", ErrUnexpectedContentType, mt)
	case (first == '{' || first == '[') && isXMLMedia(mt):
		return fmt.Errorf("%w: the body is JSON but its Content-Type says %s", ErrUnexpectedContentType, mt)
	}
	return nil
}

func isJSONMedia(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

func isXMLMedia(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

// significant returns body without a leading UTF-8 byte order mark and
// white space.
func significant(body []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
}

// firstByte is the first significant byte of body (0 when there is none).
func firstByte(body []byte) byte {
	if b := significant(body); len(b) > 0 {
		return b[0]
	}
	return 0
}

// htmlDocument reports whether body is an HTML document: after a byte
// order mark, white space, an XML declaration or processing instructions
// and comments, it opens with an HTML doctype or an html, head or body
// element (in any case). No provider answers with one, so it is a proxy's
// or a login page's, whatever Content-Type came with it. An XHTML page
// (<?xml ...?><!DOCTYPE html ...>) is caught too; an XML answer with any
// other root is not, since Commvault's list root is not published.
func htmlDocument(body []byte) bool {
	b := significant(body)
	for {
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			b = afterMarker(b, "?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			b = afterMarker(b[4:], "-->")
		default:
			if hasFoldPrefix(b, "<!doctype") {
				rest := bytes.TrimLeft(b[len("<!doctype"):], " \t\r\n")
				return hasFoldPrefix(rest, "html") && nameEnds(rest[4:])
			}
			for _, root := range []string{"<html", "<head", "<body"} {
				if hasFoldPrefix(b, root) && nameEnds(b[len(root):]) {
					return true
				}
			}
			return false
		}
		if b == nil {
			return false
		}
		b = bytes.TrimLeft(b, " \t\r\n")
	}
}

// afterMarker returns what follows the first end in b, or nil.
func afterMarker(b []byte, end string) []byte {
	i := bytes.Index(b, []byte(end))
	if i < 0 {
		return nil
	}
	return b[i+len(end):]
}

// hasFoldPrefix is bytes.HasPrefix ignoring ASCII case; prefix is lower
// case.
func hasFoldPrefix(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// nameEnds reports whether a tag or doctype name ends where rest starts
// (so <htmlx> is not <html>).
func nameEnds(rest []byte) bool {
	if len(rest) == 0 {
		return true
	}
	switch rest[0] {
	case ' ', '\t', '\r', '\n', '>', '/':
		return true
	}
	return false
}

// ExpectJSON fails a body whose top-level JSON value is not of one of the
// kinds given ('{' object, '[' array), with an error that names what
// arrived: an empty body, null, a string, a number, a boolean, the other
// container, or text that is not JSON. Decoders call it first, since
// encoding/json decodes null into a struct or slice as "nothing", which
// would read as an empty answer.
func ExpectJSON(body []byte, kinds ...byte) error {
	got := firstByte(body)
	if slices.Contains(kinds, got) {
		return nil
	}
	want := make([]string, len(kinds))
	for i, k := range kinds {
		want[i] = jsonKindName(k)
	}
	return fmt.Errorf("got %s, want %s", describeJSON(body, got), strings.Join(want, " or "))
}

func jsonKindName(k byte) string {
	switch k {
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	}
	return fmt.Sprintf("a JSON value starting %q", k)
}

// describeJSON names the top-level value of body, whose first significant
// byte is first.
func describeJSON(body []byte, first byte) string {
	switch {
	case first == 0:
		return "an empty body"
	case first == '{', first == '[':
		return jsonKindName(first)
	case first == '"':
		return "a JSON string"
	case first == '-' || ('0' <= first && first <= '9'):
		return "a JSON number"
	case first == '<':
		return "markup (XML or HTML)"
	}
	b := significant(body)
	for _, lit := range []string{"null", "true", "false"} {
		if bytes.HasPrefix(b, []byte(lit)) && (len(b) == len(lit) || !isNameByte(b[len(lit)])) {
			if lit == "null" {
				return "null"
			}
			return "the JSON boolean " + lit
		}
	}
	return "text that is not JSON"
}

func isNameByte(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}
