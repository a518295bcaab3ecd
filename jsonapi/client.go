package jsonapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/orgsdk/orgsdk"
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
	if err := transport.CheckToken("jsonapi", token); err != nil {
		return nil, err
	}
	o, err := newOptions()
	if err != nil {
		return nil, fmt.Errorf("orgsdk: jsonapi: %w", err)
	}
	if err := transport.ApplyOptions("jsonapi", o, opts); err != nil {
		return nil, err
	}
	secrets := &transport.Secrets{}
	secrets.Add(secretForms(token)...)
	tc, err := transport.New(transport.Config{
		Provider: "jsonapi",
		Settings: o.Settings,
		Auth: func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
		},
		ParseError: func(e *APIError, body []byte) {
			parseError(e, body)
			scrubError(e, secrets)
		},
		Secrets: secrets,
	})
	if err != nil {
		// transport's own errors already start with "orgsdk: ".
		return nil, fmt.Errorf("jsonapi: %w", err)
	}
	c := &Client{t: tc, secrets: secrets}
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

// secretForms lists the token as a server may echo it back: literal,
// URL-escaped, and JSON-escaped the ways common encoders write it ("\/",
// "\u002b"). Scrubbing every form keeps a token out of error bodies even
// where an echoed escape would otherwise survive until decoding turns it
// back into the literal.
func secretForms(token string) []string {
	forms := []string{token, url.QueryEscape(token), url.PathEscape(token)}
	if !strings.ContainsAny(token, `/+=&<>`) {
		// A JWT (base64url) has no character any encoder escapes.
		return forms
	}
	// How '/', '+' and the rest of "=&<>" are written varies by encoder:
	// as themselves, "\/" (slash only), or "\u00xx" in either case.
	escape := func(r rune, how int) string {
		switch how {
		case 1:
			return fmt.Sprintf(`\u%04x`, r)
		case 2:
			return fmt.Sprintf(`\u%04X`, r)
		case 3:
			return `\` + string(r)
		}
		return string(r)
	}
	for slash := range 4 {
		for plus := range 3 {
			for rest := range 3 {
				var b strings.Builder
				for _, r := range token {
					switch {
					case r == '/':
						b.WriteString(escape(r, slash))
					case r == '+':
						b.WriteString(escape(r, plus))
					case strings.ContainsRune("=&<>", r):
						b.WriteString(escape(r, rest))
					default:
						b.WriteRune(r)
					}
				}
				if f := b.String(); !slices.Contains(forms, f) {
					forms = append(forms, f)
				}
			}
		}
	}
	return forms
}

// scrubError removes secrets from what parseError copied out of an error
// body: error objects are JSON-decoded, so an escaped token the body held
// is a literal one here.
func scrubError(e *APIError, secrets *transport.Secrets) {
	e.Message = secrets.Scrub(e.Message)
	e.Code = secrets.Scrub(e.Code)
	for i := range e.Details {
		d := &e.Details[i]
		d.Message, d.Field, d.Code = secrets.Scrub(d.Message), secrets.Scrub(d.Field), secrets.Scrub(d.Code)
	}
}

// scrub applies scrubError to an *APIError a decoder built from an error
// document inside a success status.
func (c *Client) scrub(err error) error {
	var e *APIError
	if errors.As(err, &e) {
		scrubError(e, c.secrets)
	}
	return err
}
