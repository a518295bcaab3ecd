package readycloud

import (
	"context"
	"fmt"
	"net/http"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Client talks to ReadyCloud API v2. It is safe for concurrent use.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
type Client struct {
	// Organizations reads and renames organizations.
	Organizations *OrganizationsService

	t          *transport.Client
	token      string
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
// accepts a token. They are stripped from every next link and cursor, so a
// token inside one can neither leak to the caller nor stand in for the
// client's own.
var secretParams = []string{"bearer_token", "access_token"}

// NewClient returns a client that authenticates with token, an OAuth2 access
// token from ReadyCloud's authorize flow. It does no I/O; an empty token or
// a bad option is an error.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/01-getting-started.html
func NewClient(token string, opts ...Option) (*Client, error) {
	if err := transport.CheckToken("readycloud", token); err != nil {
		return nil, err
	}
	settings, err := transport.NewSettings(DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	o := &options{Settings: settings}
	if err := transport.ApplyOptions("readycloud", o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	secrets.Add(token)
	c := &Client{token: token, queryToken: o.queryToken}
	t, err := transport.New(transport.Config{
		Provider:   "readycloud",
		Settings:   o.Settings,
		Auth:       c.authenticate,
		ParseError: parseError,
		Secrets:    secrets,
	})
	if err != nil {
		return nil, fmt.Errorf("readycloud: %w", err)
	}
	c.t = t
	c.Organizations = &OrganizationsService{c: c}
	return c, nil
}

// BaseURL returns the API root the client sends requests to.
func (c *Client) BaseURL() string { return c.t.BaseURL().String() }

// authenticate adds the token to a request bound for the base host. Any
// token already in the query (from a next link or a caller's cursor) is
// removed first, so the client's own token is the only one sent.
func (c *Client) authenticate(r *http.Request) {
	q := r.URL.Query()
	had := false
	for _, p := range secretParams {
		if _, ok := q[p]; ok {
			had = true
			q.Del(p)
		}
	}
	if c.queryToken {
		q.Set("bearer_token", c.token)
		r.URL.RawQuery = q.Encode()
		r.Header.Del("Authorization")
		return
	}
	if had {
		r.URL.RawQuery = q.Encode()
	}
	r.Header.Set("Authorization", "Bearer "+c.token)
}

// do sends req through the transport, which also strips the credentials
// from the request net/http leaves on the response.
func (c *Client) do(ctx context.Context, req *transport.Request, decode transport.Decoder) (*Response, error) {
	return c.t.Do(ctx, req, decode)
}
