package rservice

import (
	"context"
	"net/http"
	"net/url"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// provider names this package in errors, log lines and the User-Agent.
const provider = "rservice"

// Client talks to one R-Service environment with one token. It is safe for
// concurrent use; create it once and share it.
//
// API docs: https://developer.4me.com/v1/
type Client struct {
	t *transport.Client

	// Organizations lists, reads, creates and updates organizations.
	Organizations *OrganizationsService
}

// NewClient returns a client that authenticates with token, a personal
// access token or an OAuth client-credentials token, sent as
// "Authorization: Bearer <token>". It does no network I/O.
//
// API docs: https://developer.4me.com/v1/#authentication
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckToken(provider, token); err != nil {
		return nil, err
	}
	s, err := transport.NewSettings(DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	o := &options{Settings: s, accountHeader: DefaultAccountHeader}
	if err := transport.ApplyOptions(provider, o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	// Every form a server can echo the token in, not just the literal one
	// the transport scrubs today (issue 11.3).
	secrets.Add(token)
	account, accountHeader, source := o.account, o.accountHeader, o.source
	auth := func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+token)
		if account != "" {
			r.Header.Set(accountHeader, account)
		}
		if source != "" {
			r.Header.Set(SourceHeader, source)
		}
	}
	t, err := transport.New(transport.Config{
		Provider: provider,
		Settings: o.Settings,
		Auth:     auth,
		// The transport scrubs and bounds every field parseError fills.
		ParseError: parseError,
		Secrets:    secrets,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{t: t}
	c.Organizations = &OrganizationsService{client: c}
	return c, nil
}

// BaseURL returns the API root requests are sent to.
func (c *Client) BaseURL() string { return c.t.BaseURL().String() }

// Redact returns text without any secret this client knows — the
// credentials it was built with and any token it obtained since — in any
// form a server may echo them (literal, URL- or JSON-escaped, base64), and
// without anything shaped like a credential. Use it before logging or
// storing request and response text yourself; the SDK's own errors, logs
// and recordings already pass through it.
func (c *Client) Redact(text string) string { return c.t.Redact(text) }

// NewRequest builds a request for an endpoint this package does not cover
// (another resource, a sub-collection such as organizations/6/contracts).
// path is relative to the base URL ("organizations/6/addresses", a query
// may follow) or an absolute URL on the base URL's host; body is sent as
// JSON, or as-is when it is a []byte (nil: no body). The credentials are
// added by Do, not stored on the request.
//
// API docs: https://developer.4me.com/v1/
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	return c.t.NewHTTPRequest(method, path, body, "")
}

// Do sends req through the same credentials, retries, redirect rules,
// redaction and error decoding as every other call. A success body is
// decoded as JSON into v; a *[]byte v receives the raw bytes, and a nil v
// discards them. A non-success answer is an *APIError. Response.NextCursor
// holds the Link header's rel="next", for walking any collection.
//
// API docs: https://developer.4me.com/v1/
func (c *Client) Do(ctx context.Context, req *http.Request, v any) (*Response, error) {
	resp, err := c.t.DoHTTP(ctx, req, transport.ExpectFor(v), transport.DecodeJSONInto(v))
	if err != nil {
		return resp, err
	}
	c.setNextCursor(resp)
	return resp, nil
}

// setNextCursor fills resp.NextCursor from the Link header: resolved
// against the request's URL and with every secret query parameter removed,
// the rest of the query byte for byte (it carries an opaque search_after).
func (c *Client) setNextCursor(resp *Response) {
	if resp == nil || resp.Response == nil {
		return
	}
	var reqURL *url.URL
	if resp.Request != nil {
		reqURL = resp.Request.URL
	}
	link := nextLink(resp.Header, reqURL)
	cursor, err := c.t.NextCursor(link)
	if err != nil {
		// Not a URL: hand it back clean; using it fails before any I/O.
		cursor = c.t.CleanLink(link)
	}
	resp.NextCursor = cursor
}
