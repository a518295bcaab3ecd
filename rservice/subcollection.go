package rservice

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Page is one page of an organization's sub-collection (addresses,
// contacts, children, people) and what the X-Pagination-* headers say
// about the whole of it; the fields mean what OrganizationList's do.
//
// API docs: https://developer.4me.com/v1/#pagination
type Page[T any] struct {
	// Items are the records of this page, in the API's order.
	Items []*T `json:"items"`
	// Total is X-Pagination-Total-Entries; -1 when the server did not say.
	Total       int  `json:"total"`
	PerPage     int  `json:"per_page"`
	CurrentPage int  `json:"current_page"`
	TotalPages  int  `json:"total_pages"`
	Throttled   bool `json:"throttled"`
}

// subViews are the views the read-only lists of an organization have.
var subViews = map[View]bool{"": true, Enabled: true, Disabled: true}

// noViews: addresses and contacts have no predefined filters.
var noViews = map[View]bool{"": true}

// subCollection describes one sub-collection of an organization.
type subCollection[T any] struct {
	name      string // "addresses", as in the path
	views     map[View]bool
	orgShaped bool
	key       func(*T) string
}

func checkOrgID(id int64) error {
	if id <= 0 {
		return invalidArgument("organization id %d is not positive", id)
	}
	return nil
}

func (sc subCollection[T]) listRequest(orgID int64, opts *ListOptions, defaultPerPage int) (*transport.Request, error) {
	if err := checkOrgID(orgID); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &ListOptions{}
	}
	if opts.MaxPages < 0 {
		return nil, invalidArgument("MaxPages %d is negative", opts.MaxPages)
	}
	if opts.Cursor != "" {
		// Verbatim, as for organizations: the link's query is opaque.
		if _, err := url.Parse(opts.Cursor); err != nil {
			return nil, invalidArgument("cursor is not a URL")
		}
		return &transport.Request{Method: http.MethodGet, URL: opts.Cursor}, nil
	}
	rel, err := opts.queryAt("organizations/"+strconv.FormatInt(orgID, 10)+"/"+sc.name, sc.views, sc.orgShaped, defaultPerPage)
	if err != nil {
		return nil, err
	}
	return &transport.Request{Method: http.MethodGet, URL: rel}, nil
}

func (sc subCollection[T]) list(ctx context.Context, c *Client, orgID int64, opts *ListOptions, defaultPerPage int) (*Page[T], *Response, error) {
	req, err := sc.listRequest(orgID, opts, defaultPerPage)
	if err != nil {
		return nil, nil, err
	}
	var items []*T
	resp, err := c.t.Do(ctx, req, func(_ *http.Response, body []byte) error {
		var derr error
		items, derr = decodeList[T](body)
		return derr
	})
	if err != nil {
		return nil, resp, err
	}
	c.setNextCursor(resp)
	ol := newOrganizationList(nil, resp.Header)
	return &Page[T]{Items: items, Total: ol.Total, PerPage: ol.PerPage, CurrentPage: ol.CurrentPage,
		TotalPages: ol.TotalPages, Throttled: ol.Throttled}, resp, nil
}

func (sc subCollection[T]) all(ctx context.Context, c *Client, orgID int64, opts *ListOptions) iter.Seq2[*T, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
		o.Filters = append([]Filter(nil), opts.Filters...)
		o.Fields = append([]string(nil), opts.Fields...)
		o.Sort = append([]string(nil), opts.Sort...)
	}
	start := o.Cursor
	o.Cursor = ""
	// Checked before the first page so a bad argument is the walk's only
	// error and nothing is sent.
	if _, err := sc.listRequest(orgID, &o, MaxPerPage); err != nil {
		return func(yield func(*T, error) bool) { yield(nil, err) }
	}
	fetch := func(ctx context.Context, cursor string) (transport.Page[*T], error) {
		page := o
		page.Cursor = cursor
		list, resp, err := sc.list(ctx, c, orgID, &page, MaxPerPage)
		if err != nil {
			return transport.Page[*T]{}, err
		}
		return transport.Page[*T]{Items: list.Items, Next: resp.NextCursor}, nil
	}
	return transport.Iterate(ctx, provider, start, c.t.Prefetch() > 0, fetch,
		transport.ItemKey(sc.key), transport.MaxPages[*T](o.MaxPages))
}

func (sc subCollection[T]) path(orgID int64, itemID ...int64) []string {
	p := []string{"organizations", strconv.FormatInt(orgID, 10), sc.name}
	for _, id := range itemID {
		p = append(p, strconv.FormatInt(id, 10))
	}
	return p
}

// one sends req and decodes one record.
func (sc subCollection[T]) one(ctx context.Context, c *Client, req *transport.Request) (*T, *Response, error) {
	var out *T
	resp, err := c.t.Do(ctx, req, func(_ *http.Response, body []byte) error {
		if err := answerKeys.CheckAnswer(body, '{'); err != nil {
			return err
		}
		var v T
		if err := decodeJSONAt(body, &v); err != nil {
			return err
		}
		out = &v
		return nil
	})
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// none sends a DELETE, whose 204 has no body. It is a write: never resent
// once it may have reached the server (a DELETE resent after a dropped
// connection or a 5xx answers 404 when the first one was applied, and a
// DeleteAll resent removes what was added in between).
func (sc subCollection[T]) none(ctx context.Context, c *Client, req *transport.Request) (*Response, error) {
	req.Once = true
	return c.t.Do(ctx, req, nil)
}

// decodeList reads a collection: a JSON array (null entries are dropped).
func decodeList[T any](body []byte) ([]*T, error) {
	if err := answerKeys.CheckAnswer(body, '['); err != nil {
		return nil, err
	}
	var raw []*T
	if err := decodeJSONAt(body, &raw); err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(raw))
	for _, v := range raw {
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// idKey is a record's identity within a walk; 0 has none.
func idKey(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// decodeJSONAt decodes body into v and, when that fails, names the path
// of the field that failed ("[3].created_at: ...").
func decodeJSONAt(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return transport.JSONPathError(body, v, err)
	}
	return nil
}
