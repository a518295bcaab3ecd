package rservice

import (
	"net/http"

	"github.com/orgsdk/orgsdk/internal/transport"
)

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
	if err := transport.CheckToken("rservice", token); err != nil {
		return nil, err
	}
	s, err := transport.NewSettings(DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	o := &options{Settings: s, accountHeader: DefaultAccountHeader}
	if err := transport.ApplyOptions("rservice", o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
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
		Provider: "rservice",
		Settings: o.Settings,
		Auth:     auth,
		ParseError: func(e *APIError, body []byte) {
			parseError(e, body)
			// The transport scrubs Message and Details; this field is ours.
			e.DocumentationURL = secrets.Scrub(e.DocumentationURL)
		},
		Secrets: secrets,
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
