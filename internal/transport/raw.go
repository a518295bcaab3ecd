package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// AnyContentType in Request.Expect accepts a success body of any media type
// (the raw escape hatch hands bytes to a caller who knows what to expect).
const AnyContentType = "*/*"

// NewHTTPRequest builds a request for an endpoint the provider package does
// not cover. path is relative to the base URL ("orgs/1/members/", a query
// may follow) or an absolute URL on the base origin; body is sent as-is
// when it is a []byte and encoded as JSON otherwise (nil: no body). The
// request carries no credential: Do adds it per attempt, below the retries.
func (c *Client) NewHTTPRequest(method, path string, body any, contentType string) (*http.Request, error) {
	req, err := c.newHTTPRequest(method, path, body, contentType)
	return req, c.named(err)
}

func (c *Client) newHTTPRequest(method, path string, body any, contentType string) (*http.Request, error) {
	if method == "" || strings.ContainsAny(method, " \t\r\n") {
		return nil, InvalidArgument("bad HTTP method %q", method)
	}
	ref, err := url.Parse(path)
	if err != nil {
		return nil, InvalidArgument("path %q is not a URL", c.secrets.QuoteURL(path))
	}
	if ref.Scheme == "" && ref.Host == "" {
		// A leading slash would drop the base URL's own path (/api/v2/).
		ref.Path = strings.TrimLeft(ref.Path, "/")
		if ref.RawPath != "" {
			ref.RawPath = strings.TrimLeft(ref.RawPath, "/")
		}
	}
	u := c.base.ResolveReference(ref)
	if !SameOrigin(u, c.base) {
		return nil, &TransportError{Provider: c.provider, Method: method, URL: RedactURL(u), Message: ErrForeignHost.Error(), Err: ErrForeignHost}
	}
	data, ct, err := encodeBody(&Request{Body: body, ContentType: contentType})
	if err != nil {
		return nil, err
	}
	var rd io.Reader
	if data != nil {
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, u.String(), rd)
	if err != nil {
		return nil, InvalidArgument("cannot build request: %v", RedactError(err))
	}
	if data != nil {
		req.Header.Set("Content-Type", ct)
	}
	return req, nil
}

// DoHTTP sends a request built by NewHTTPRequest (or by hand, for the base
// origin) through the same retries, redirect rules, credentials, redaction
// and error decoding as every other call. The request's own context is
// replaced by ctx. decode gets a success body; nil discards it.
func (c *Client) DoHTTP(ctx context.Context, req *http.Request, expect []string, decode Decoder) (*Response, error) {
	resp, err := c.doHTTP(ctx, req, expect, decode)
	return resp, c.named(err)
}

func (c *Client) doHTTP(ctx context.Context, req *http.Request, expect []string, decode Decoder) (*Response, error) {
	if req == nil || req.URL == nil {
		return nil, InvalidArgument("nil request")
	}
	r := &Request{Method: req.Method, URL: req.URL.String(), Expect: expect}
	if req.Body != nil && req.Body != http.NoBody {
		data, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, InvalidArgument("cannot read request body: %v", err)
		}
		r.Body = data
		r.ContentType = req.Header.Get("Content-Type")
	}
	for k, v := range req.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Type":
			if r.Body != nil {
				continue
			}
			// A bodiless request keeps the caller's Content-Type: JSON:API
			// servers (MPDX) require it even on GET.
		case "User-Agent", "Content-Length":
			continue
		case "Accept":
			r.Accept = strings.Join(v, ", ")
			continue
		}
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header[k] = append([]string(nil), v...)
	}
	return c.do(ctx, r, decode)
}

// DecodeJSONInto returns a Decoder that unmarshals a JSON body into v. A nil
// v discards the body; a *[]byte receives a copy of the raw bytes.
func DecodeJSONInto(v any) Decoder {
	switch dst := v.(type) {
	case nil:
		return nil
	case *[]byte:
		return func(_ *http.Response, body []byte) error {
			*dst = bytes.Clone(body)
			return nil
		}
	default:
		return func(_ *http.Response, body []byte) error {
			return json.Unmarshal(body, v)
		}
	}
}

// ExpectFor returns the media types Do should accept for v: any type when
// v wants raw bytes, the given defaults otherwise.
func ExpectFor(v any, defaults ...string) []string {
	if _, raw := v.(*[]byte); raw {
		return []string{AnyContentType}
	}
	return defaults
}

// NextCursor turns a next-page link, absolute or relative, into an absolute
// cursor on the base URL with every secret query parameter removed, and
// every secret the client holds (a token under a name no list knows, such
// as ?sig=, or in the path), keeping the order and encoding of everything
// else. A link to another host is
// kept as it is (minus secrets): fetching it then fails with ErrForeignHost
// and sends nothing. Every provider passes the links it hands back to users
// through here, so no cursor ever carries a credential.
func (c *Client) NextCursor(link string) (string, error) {
	cursor, err := c.nextCursor(link)
	return cursor, c.named(err)
}

func (c *Client) nextCursor(link string) (string, error) {
	if link == "" {
		return "", nil
	}
	ref, err := url.Parse(link)
	if err != nil {
		// The server's fault, not the caller's: a plain error, which a
		// decoder turns into a DecodeError. Its text is cleaned on the way
		// out (named).
		return "", fmt.Errorf("next link %q is not a URL", c.secrets.QuoteURL(link))
	}
	u := c.base.ResolveReference(ref)
	u.Fragment, u.RawFragment = "", ""
	return c.CleanLink(u.String()), nil
}

// StripSecretParams removes credential parameters (see IsSecretParam) from
// a link's query, keeping the order and encoding of everything else.
func StripSecretParams(link string) string {
	head, rawQuery, hasQuery := strings.Cut(link, "?")
	if !hasQuery {
		return link
	}
	rawQuery, frag, hasFrag := strings.Cut(rawQuery, "#")
	parts := strings.Split(rawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if IsSecretParam(name) {
			continue
		}
		kept = append(kept, p)
	}
	out := head
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}
