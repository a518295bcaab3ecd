package recording

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// keptHeaders are the response headers worth recording: what the SDK reads.
var keptHeaders = []string{
	"Content-Type", "Link", "Location", "Retry-After", "Www-Authenticate",
	"X-Pagination-Per-Page", "X-Pagination-Current-Page", "X-Pagination-Total-Pages",
	"X-Pagination-Total-Entries", "X-Pagination-Throttled",
	"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset",
}

// Scrub returns a copy of ex with secrets removed from the URL, headers and
// bodies (by rule, and every literal value in secrets), only the headers the
// SDK reads kept, and origin (e.g. "http://127.0.0.1:4321") replaced by
// Origin.
//
// Each redact function (a client's Redact method) runs as well, so a
// recording loses everything the client itself knows to be secret: the
// session tokens it was handed at login as much as its own credentials.
func Scrub(ex *Exchange, secrets *transport.Secrets, origin string, redact ...func(string) string) *Exchange {
	clean := func(s string) string {
		if origin != "" {
			s = strings.ReplaceAll(s, origin, Origin)
		}
		s = secrets.Scrub(transport.RedactText(s))
		for _, r := range redact {
			if r != nil {
				s = r(s)
			}
		}
		return s
	}
	out := &Exchange{}
	out.Request.Method = ex.Request.Method
	out.Request.URL = clean(redactRequestURL(ex.Request.URL))
	out.Request.SetBody([]byte(fixDeviceID(clean(string(ex.Request.Body())))))
	out.Response.Status = ex.Response.Status
	if len(ex.Response.Header) > 0 {
		h := http.Header{}
		for _, k := range keptHeaders {
			for _, v := range ex.Response.Header.Values(k) {
				h.Add(k, clean(v))
			}
		}
		if len(h) > 0 {
			out.Response.Header = h
		}
	}
	out.Response.SetBody([]byte(clean(string(ex.Response.Body()))))
	return out
}

// redactRequestURL redacts a recorded URL, which may start with the Origin
// placeholder that url.Parse would otherwise escape.
func redactRequestURL(u string) string {
	if rest, ok := strings.CutPrefix(u, Origin); ok {
		return Origin + transport.RedactURLString(rest)
	}
	return transport.RedactURLString(u)
}

// DeviceID is the deviceId every recording holds in its request bodies. A
// Commvault client sends one at Login and RenewLoginToken and makes up a
// random one per run when none is given (commvault.WithDeviceID), so
// without this two recordings of the same calls would differ in it. No
// replay reads it: the replay server matches requests by method, path and
// query.
const DeviceID = "recorded-device"

// deviceIDJSON and deviceIDXML find a deviceId member of a JSON body and a
// deviceId attribute of an XML one.
var (
	deviceIDJSON = regexp.MustCompile(`"deviceId"\s*:\s*"(?:[^"\\]|\\.)*"`)
	deviceIDXML  = regexp.MustCompile(`\bdeviceId\s*=\s*(?:"[^"]*"|'[^']*')`)
)

// fixDeviceID replaces every deviceId value in a request body by DeviceID.
func fixDeviceID(body string) string {
	if !strings.Contains(body, "deviceId") {
		return body
	}
	body = deviceIDJSON.ReplaceAllLiteralString(body, `"deviceId":"`+DeviceID+`"`)
	return deviceIDXML.ReplaceAllStringFunc(body, func(m string) string {
		q := m[len(m)-1:]
		return "deviceId=" + q + DeviceID + q
	})
}
