package commvault

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// NewRequest builds a request for an endpoint this package does not cover.
// path is relative to the web-service root ("Plan", "Client?PseudoClientType=VSPseudo")
// or an absolute URL on its origin; anything else is refused before any
// I/O. body is sent as-is when it is a []byte and otherwise encoded in the
// client's format (JSON, or XML with WithFormat(XML)); nil sends none. The
// request carries no credential: Do adds it.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
// (and the other pages of the same REST API reference).
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	contentType := ""
	if body != nil && c.format == XML {
		if _, raw := body.([]byte); !raw {
			data, err := xml.Marshal(body)
			if err != nil {
				return nil, invalidArgument("cannot encode request body: %v", err)
			}
			body, contentType = data, "application/xml"
		}
	}
	req, err := c.tc.NewHTTPRequest(method, path, body, contentType)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", c.format.mediaType())
	return req, nil
}

// Do sends a request built by NewRequest with the same session handling
// (login on first use, one renewal on an expired token), retries,
// redaction and error decoding as every other call, and decodes a success
// answer into v: JSON or XML, whichever arrives; v of type *[]byte gets the
// raw bytes; nil discards the body. An error reported inside HTTP 200 is an
// *APIError here too. A 307/308 to the same origin on a write is followed
// once, as for Login.
func (c *Client) Do(ctx context.Context, req *http.Request, v any) (*Response, error) {
	if ctx == nil {
		return nil, invalidArgument("nil context")
	}
	if req == nil || req.URL == nil {
		return nil, invalidArgument("nil request")
	}
	var data []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		data, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, invalidArgument("cannot read request body: %v", err)
		}
	}
	decode := rawDecoder(v)
	expect := transport.ExpectFor(v, expectMedia...)
	if v == nil {
		expect = []string{transport.AnyContentType}
	}
	once := func(ctx context.Context, u string) (*Response, error) {
		r := req.Clone(ctx)
		if u != "" {
			parsed, err := req.URL.Parse(u)
			if err != nil {
				return nil, invalidArgument("bad redirect location")
			}
			r.URL, r.Host = parsed, ""
		}
		if data != nil {
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
		}
		return c.tc.DoHTTP(ctx, r, expect, decode)
	}
	return c.withSession(ctx, req.Method, func(ctx context.Context) (*Response, error) {
		return c.follow(ctx, req.Method, func(ctx context.Context, loc string) (*Response, error) { return once(ctx, loc) })
	})
}

// rawDecoder decodes a raw call's success body into v.
func rawDecoder(v any) transport.Decoder {
	return func(_ *http.Response, body []byte) error {
		switch dst := v.(type) {
		case nil:
			if ae := detectError(body, false); ae != nil {
				return ae
			}
			return nil
		case *[]byte:
			if ae := detectError(body, false); ae != nil {
				return ae
			}
			*dst = bytes.Clone(body)
			return nil
		}
		err := decodeBody(body, v, false)
		var ae *APIError
		if errors.As(err, &ae) {
			return ae
		}
		return err
	}
}
