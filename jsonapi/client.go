package jsonapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// provider names this package in errors, log lines and the User-Agent.
const provider = "jsonapi"

// DefaultBaseURL is the production MPDX API root.
const DefaultBaseURL = "https://api.mpdx.org/api/v2/"

// MediaType is the JSON:API media type. It is sent without parameters in
// both Accept and Content-Type: JSON:API servers answer 406 to an Accept
// whose JSON:API types all carry parameters, and MPDX answers 415 to a
// request without this Content-Type.
const MediaType = "application/vnd.api+json"

// Client talks to the MPDX organizations API. It is safe for concurrent use.
//
// API doc: MPDX API documentation; https://jsonapi.org/format/
type Client struct {
	// Organizations lists and reads organizations.
	Organizations *OrganizationsService
	// OrganizationAccounts manages the signed-in user's organization
	// accounts.
	OrganizationAccounts *OrganizationAccountsService

	t       *transport.Client
	secrets *transport.Secrets
}

// Response is one HTTP answer with its rate-limit state and next-page
// cursor; see orgsdk.Response.
type Response = orgsdk.Response

// RateLimit is the server's X-RateLimit-* state (zero when not sent); see
// orgsdk.RateLimit.
type RateLimit = orgsdk.RateLimit

// NewClient returns a client that authenticates with token (an MPDX JWT) as
// a bearer token. It does no network I/O.
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckToken(provider, token); err != nil {
		return nil, err
	}
	o, err := newOptions()
	if err != nil {
		return nil, fmt.Errorf("orgsdk: jsonapi: %w", err)
	}
	if err := transport.ApplyOptions(provider, o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	secrets.Add(token)
	bearer := "Bearer " + token
	tc, err := transport.New(transport.Config{
		Provider: provider,
		Settings: o.Settings,
		Auth: func(r *http.Request) {
			r.Header["Authorization"] = []string{bearer}
		},
		ParseError: parseError,
		Secrets:    secrets,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{t: tc, secrets: secrets}
	c.Organizations = &OrganizationsService{c: c}
	c.OrganizationAccounts = &OrganizationAccountsService{c: c}
	return c, nil
}

// BaseURL returns the API root the client talks to.
func (c *Client) BaseURL() string { return c.t.BaseURL().String() }

// Redact returns text without any secret this client knows — the
// credentials it was built with and any token it obtained since — in any
// form a server may echo them (literal, URL- or JSON-escaped, base64), and
// without anything shaped like a credential. Use it before logging or
// storing request and response text yourself; the SDK's own errors, logs
// and recordings already pass through it.
func (c *Client) Redact(text string) string { return c.t.Redact(text) }

// newRequest fills in what every request of this API needs: the JSON:API
// media type in Accept and Content-Type (GET included, or MPDX answers 415),
// and acceptance of parameterised response types.
func newRequest(method string, path ...string) *transport.Request {
	h := http.Header{}
	h.Set("Content-Type", MediaType)
	return &transport.Request{
		Method: method,
		Path:   path,
		Accept: MediaType,
		Expect: []string{MediaType, "application/json"},
		Header: h,
	}
}

// NewRequest builds a request for an MPDX endpoint this package does not
// cover. path is relative to the base URL ("contacts?filter[status]=x") or
// an absolute URL on its origin; body, when not nil, is sent as JSON (a
// []byte as-is). The request carries the JSON:API media type in Accept and
// Content-Type, GET included (MPDX answers 415 otherwise), and no
// credential: Do adds it.
//
// API doc: MPDX API documentation; https://jsonapi.org/format/#content-negotiation-clients
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.t.NewHTTPRequest(method, path, body, MediaType)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", MediaType)
	req.Header.Set("Accept", MediaType)
	return req, nil
}

// Do sends a request from NewRequest with the same retries, credentials,
// redaction and error decoding as every other call. A success body is
// decoded as JSON into v; v of type *[]byte receives the raw bytes (of any
// media type), and a nil v discards the body. A non-success answer is an
// *APIError with the JSON:API error objects.
//
// API doc: MPDX API documentation; https://jsonapi.org/format/
func (c *Client) Do(ctx context.Context, req *http.Request, v any) (*Response, error) {
	return c.t.DoHTTP(ctx, req, transport.ExpectFor(v, MediaType, "application/json"), transport.DecodeJSONInto(v))
}
