package readycloud

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// provider names the package in errors, logs and the User-Agent.
const provider = "readycloud"

// Client talks to ReadyCloud API v2. It is safe for concurrent use.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
type Client struct {
	// Organizations reads and renames organizations.
	Organizations *OrganizationsService

	t *transport.Client
	// authHeader and tokenParam are built once: the auth function runs on
	// every attempt, and its cost is part of every call.
	authHeader []string
	tokenParam string
	queryToken bool
}

// Response is one answer from the API: the HTTP response (body already
// read), rate-limit headers, and NextCursor, the cursor of the next page of
// a list ("" on the last page). It is orgsdk.Response, shared by every
// provider package.
type Response = orgsdk.Response

// RateLimit is the server's rate-limit state (orgsdk.RateLimit); ReadyCloud
// sends no such headers today, so it is zero.
type RateLimit = orgsdk.RateLimit

// secretParams are the query parameters through which a ReadyCloud server
// accepts a token. They are removed from every request before the client's
// own credential is added, so a token inside a cursor can neither stand in
// for the client's own nor be sent twice.
var secretParams = []string{"bearer_token", "access_token"}

// NewClient returns a client that authenticates with token, an OAuth2 access
// token from ReadyCloud's authorize flow. It does no I/O; an empty token or
// a bad option is an error matching ErrInvalidArgument.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckToken(provider, token); err != nil {
		return nil, err
	}
	settings, err := transport.NewSettings(DefaultBaseURL)
	if err != nil {
		return nil, transport.ProviderError(provider, err)
	}
	o := &options{Settings: settings}
	if err := transport.ApplyOptions(provider, o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	secrets.Add(token)
	c := &Client{
		authHeader: []string{"Bearer " + token},
		tokenParam: "bearer_token=" + url.QueryEscape(token),
		queryToken: o.queryToken,
	}
	t, err := transport.New(transport.Config{
		Provider:   provider,
		Settings:   o.Settings,
		Auth:       c.authenticate,
		ParseError: parseError,
		Secrets:    secrets,
	})
	if err != nil {
		return nil, transport.ProviderError(provider, err)
	}
	c.t = t
	c.Organizations = &OrganizationsService{c: c}
	return c, nil
}

// BaseURL returns the API root the client sends requests to.
func (c *Client) BaseURL() string { return c.t.BaseURL().String() }

// Redact returns text without any secret this client knows, in any form a
// server may echo it (literal, URL- or JSON-escaped, base64), and without
// anything shaped like a credential. Use it before logging or storing
// request and response text yourself; the SDK's own errors, logs and
// recordings already pass through it.
func (c *Client) Redact(text string) string { return c.t.Redact(text) }

// NewRequest builds a request for an endpoint this package does not cover
// (orders, boxes, another organization sub-resource). path is relative to
// the base URL ("orgs/1/members/", a query may follow; keep Django's
// trailing slash) or an absolute URL on the base URL's origin; body is sent
// as JSON, or as-is when it is a []byte (nil: no body). The request carries
// no credential: Do adds it.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	return c.t.NewHTTPRequest(method, path, body, "")
}

// Do sends req with the same credentials, retries, redirect rules,
// redaction and error decoding as every other call. A success body is
// decoded as JSON into v; a *[]byte v receives the raw bytes, and a nil v
// discards them. A non-success answer is an *APIError. When the body is a
// Django REST framework page, Response.NextCursor is the cursor of the next
// page (a URL to pass to NewRequest), with any token removed.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func (c *Client) Do(ctx context.Context, req *http.Request, v any) (*Response, error) {
	if ctx == nil {
		return nil, invalidArgument("nil context")
	}
	var next string
	decode := transport.DecodeJSONInto(v)
	if decode != nil {
		inner := decode
		decode = func(hr *http.Response, body []byte) error {
			if err := inner(hr, body); err != nil {
				return err
			}
			next = pageNext(body)
			return nil
		}
	}
	resp, err := c.t.DoHTTP(ctx, req, transport.ExpectFor(v), decode)
	if err != nil {
		return resp, err
	}
	if next != "" {
		if cursor, err := c.t.NextCursor(next); err == nil {
			resp.NextCursor = cursor
		}
	}
	return resp, nil
}

// pageNext returns the "next" link of a DRF page body, "" for any other
// body.
func pageNext(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ""
	}
	var page struct {
		Next *string `json:"next"`
	}
	if json.Unmarshal(trimmed, &page) != nil || page.Next == nil {
		return ""
	}
	return *page.Next
}

// authenticate adds the token to a request bound for the base origin (the
// transport hands it a private clone). Any token already in the query (from
// a next link or a caller's cursor) is removed first, so the client's own
// token is the only one sent.
func (c *Client) authenticate(r *http.Request) {
	if mayHoldToken(r.URL.RawQuery) {
		r.URL.RawQuery = stripParams(r.URL.RawQuery, secretParams)
	}
	if c.queryToken {
		if r.URL.RawQuery == "" {
			r.URL.RawQuery = c.tokenParam
		} else {
			r.URL.RawQuery += "&" + c.tokenParam
		}
		r.Header.Del("Authorization")
		return
	}
	// The slice is shared by every request; nothing on the way to the
	// wire writes to it, and sanitised copies get slices of their own.
	r.Header["Authorization"] = c.authHeader
}

// mayHoldToken is the cheap test that spares the common query from being
// parsed: a token parameter's name contains "token", unless it is
// percent-encoded.
func mayHoldToken(rawQuery string) bool {
	if rawQuery == "" {
		return false
	}
	if strings.IndexByte(rawQuery, '%') >= 0 {
		return true
	}
	for i := 0; i+5 <= len(rawQuery); i++ {
		if strings.EqualFold(rawQuery[i:i+5], "token") {
			return true
		}
	}
	return false
}

// stripParams removes the named parameters (matched after unescaping, in
// any case) from a raw query, keeping the order and encoding of the rest.
func stripParams(rawQuery string, names []string) string {
	parts := strings.Split(rawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		drop := false
		for _, n := range names {
			if strings.EqualFold(name, n) {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

// do sends req through the transport, which also strips the credentials
// from the request net/http leaves on the response.
func (c *Client) do(ctx context.Context, req *transport.Request, decode transport.Decoder) (*Response, error) {
	return c.t.Do(ctx, req, decode)
}
