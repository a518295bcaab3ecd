package transport

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTMLDocument(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]bool{
		"<!DOCTYPE html><html><body>Login</body></html>": true,
		"<!doctype HTML>":                  true,
		"\xef\xbb\xbf\r\n  <html lang=en>": true,
		"<HTML>":                           true,
		"<html>":                           true,
		"<html/>":                          true,
		"<head><title>502</title></head>":  true,
		"<body>Bad gateway</body>":         true,
		"<!-- proxy --> <html>":            true,
		`<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd"><html xmlns="http://www.w3.org/1999/xhtml">`: true,
		`<?xml version="1.0"?>` + "\n<!-- a -->\n<!-- b --><html>":                                                                          true,
		"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">":                                                                              true,
		"<htmlx>":                             false,
		"<App_GenericResp errorCode=\"0\"/>":  false,
		"<providers/>":                        false,
		`<?xml version="1.0"?><r><html/></r>`: false,
		"<!DOCTYPE r [<!ENTITY a 'b'>]><r/>":  false,
		`{"html": "<html>"}`:                  false,
		"<!-- unterminated <html>":            false,
		"<?xml unterminated":                  false,
		"":                                    false,
		"text <html>":                         false,
	} {
		assert.Equal(t, want, htmlDocument([]byte(body)), "%q", body)
	}
}

func TestCheckBodyFormat(t *testing.T) {
	t.Parallel()
	json := []string{"application/json"}
	tests := []struct {
		name, ctype, body string
		expect            []string
		says              string // "" means accepted
	}{
		{"json as json", "application/json", `{"a":1}`, json, ""},
		{"json without a type", "", `[1]`, json, ""},
		{"html typed as json", "application/json", "<html><body>Login</body></html>", json, "got an HTML page (Content-Type application/json)"},
		{"html typed as vnd.api+json", "application/vnd.api+json; charset=utf-8", "<!DOCTYPE html>", json, "got an HTML page"},
		{"html typed as xml", "application/xml", "<!doctype html><html></html>", []string{"application/xml"}, "got an HTML page (Content-Type application/xml)"},
		{"html without a type", "", "  <html>", json, "Content-Type none"},
		{"xml typed as json", "application/json", `<?xml version="1.0"?><r/>`, json, "the body is markup (XML or HTML) but its Content-Type says application/json"},
		{"json typed as xml", "application/xml", `{"providers":[]}`, []string{"application/xml"}, "the body is JSON but its Content-Type says application/xml"},
		{"json array typed as text/xml", "text/xml", `[]`, []string{"text/xml"}, "the body is JSON"},
		{"xml as xml", "application/xml", `<r/>`, []string{"application/xml"}, ""},
		{"plain text typed as json is the decoder's to report", "application/json", `Service Unavailable`, json, ""},
		{"raw bytes take anything", "application/json", "<html>", []string{AnyContentType}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBodyFormat(tt.ctype, tt.expect, []byte(tt.body))
			if tt.says == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnexpectedContentType)
			assert.Contains(t, err.Error(), tt.says)
		})
	}
}

// TestDoRefusesHTMLWhateverItsType: a proxy's login page served with 200
// reaches no decoder, however it is labelled (issue 19.2).
func TestDoRefusesHTMLWhateverItsType(t *testing.T) {
	t.Parallel()
	for _, ctype := range []string{"application/json", "application/xml", "text/xml", ""} {
		t.Run(ctype, func(t *testing.T) {
			ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = []string{ctype}
				_, _ = io.WriteString(w, "<!DOCTYPE html>\n<html><body><form>Sign in</form></body></html>")
			})
			c := newTestClient(t, ts.URL+"/api/v1/")
			decoded := false
			_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"orgs"}, Expect: []string{"application/json", "application/xml", "text/xml"}},
				func(*http.Response, []byte) error { decoded = true; return nil })
			var de *DecodeError
			require.True(t, errors.As(err, &de), "%T %v", err, err)
			assert.ErrorIs(t, err, ErrUnexpectedContentType)
			assert.False(t, decoded, "no decoder sees an HTML page")
			assert.Equal(t, 1, ts.Hits(), "a page that cannot change is not asked for again")
		})
	}
}

func TestExpectJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body  string
		kinds []byte
		says  string // "" means accepted
	}{
		{`{"a":1}`, []byte{'{'}, ""},
		{" \n[1]", []byte{'{', '['}, ""},
		{"\xef\xbb\xbf{}", []byte{'{'}, ""},
		{`[]`, []byte{'{'}, "got a JSON array, want a JSON object"},
		{`{}`, []byte{'['}, "got a JSON object, want a JSON array"},
		{`null`, []byte{'{'}, "got null, want a JSON object"},
		{` null `, []byte{'{', '['}, "got null, want a JSON object or a JSON array"},
		{`nullx`, []byte{'{'}, "got text that is not JSON"},
		{`"ok"`, []byte{'{'}, "got a JSON string"},
		{`-1`, []byte{'['}, "got a JSON number"},
		{`true`, []byte{'{'}, "got the JSON boolean true"},
		{`false`, []byte{'{'}, "got the JSON boolean false"},
		{``, []byte{'{'}, "got an empty body"},
		{" \r\n\t", []byte{'{'}, "got an empty body"},
		{`<r/>`, []byte{'{'}, "got markup (XML or HTML)"},
		{`Bad Gateway`, []byte{'{'}, "got text that is not JSON"},
	}
	for _, tt := range tests {
		err := ExpectJSON([]byte(tt.body), tt.kinds...)
		if tt.says == "" {
			assert.NoError(t, err, "%q", tt.body)
			continue
		}
		if assert.Error(t, err, "%q", tt.body) {
			assert.Equal(t, tt.says, err.Error()[:min(len(err.Error()), len(tt.says))], "%q: %v", tt.body, err)
		}
	}
}
