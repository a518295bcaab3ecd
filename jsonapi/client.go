package jsonapi

import (
	"fmt"
	"net/http"

	"github.com/orgsdk/orgsdk/internal/transport"
)

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

	t *transport.Client
}

// Response is one HTTP answer with its rate-limit state and next-page
// cursor.
type Response = transport.Response

// RateLimit is the server's X-RateLimit-* state (zero when not sent).
type RateLimit = transport.RateLimit

// NewClient returns a client that authenticates with token (an MPDX JWT) as
// a bearer token. It does no network I/O.
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckToken("jsonapi", token); err != nil {
		return nil, err
	}
	o, err := newOptions()
	if err != nil {
		return nil, fmt.Errorf("jsonapi: %w", err)
	}
	if err := transport.ApplyOptions("jsonapi", o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	secrets.Add(token)
	tc, err := transport.New(transport.Config{
		Provider: "jsonapi",
		Settings: o.Settings,
		Auth: func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
		},
		ParseError: parseError,
		Secrets:    secrets,
	})
	if err != nil {
		return nil, fmt.Errorf("jsonapi: %w", err)
	}
	c := &Client{t: tc}
	c.Organizations = &OrganizationsService{c: c}
	return c, nil
}

// BaseURL returns the API root the client talks to.
func (c *Client) BaseURL() string { return c.t.BaseURL().String() }

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
