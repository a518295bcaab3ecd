package jsonapi

import (
	"context"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// The collections of this package (organizations, the user's organization
// accounts) page the same way, MPDX's: page and per_page, meta.pagination,
// and links.next where another JSON:API server sends it. listPage and
// walkPages are that one way, used by both.

// listDecoder decodes one page of a collection: the page, its next cursor
// (unresolved), and whether the server sent a links.next of its own.
type listDecoder[L any] func(body []byte, status int, reqURL *url.URL) (L, string, bool, error)

// listPage fetches the page of the collection at path that opts
// describes (or its Cursor) and decodes it with decode. It returns the
// page, the answer (its NextCursor resolved and stripped of any
// credential the server echoed into it, so a cursor is safe to log or
// store), and whether the server sent a links.next of its own.
func listPage[L any](ctx context.Context, c *Client, path []string, opts *ListOptions, decode listDecoder[L]) (L, *Response, bool, error) {
	var zero L
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return zero, nil, false, err
	}
	req := newRequest(http.MethodGet, path...)
	if o.Cursor != "" {
		req.Path = nil
		req.URL = o.Cursor
	} else {
		req.Query = &o
		req.Values = fieldValues(o.filterValues(), o.Fields)
	}
	sent, err := c.t.ResolveURL(req)
	if err != nil {
		return zero, nil, false, err
	}
	var (
		list L
		next string
		own  bool
	)
	resp, err := c.t.Do(ctx, req, func(r *http.Response, body []byte) error {
		var err error
		list, next, own, err = decode(body, r.StatusCode, requestURL(r, sent))
		return err
	})
	if err != nil {
		return zero, resp, false, err
	}
	if resp.NextCursor, err = c.t.NextCursor(next); err != nil {
		return zero, resp, false, err
	}
	return list, resp, own, nil
}

// listed is what a walk needs of one page: its items and how many pages
// the list has (meta.pagination.total_pages, 0 when not said).
type listed[T any] struct {
	items      []T
	totalPages int
}

// walkPages is the All of a collection (see OrganizationsService.All for
// what it promises): list fetches the page its options describe. opts is
// copied when walkPages is called, so the caller may change it during the
// walk.
func walkPages[T any](ctx context.Context, c *Client, opts *ListOptions, key func(T) string,
	list func(ctx context.Context, o *ListOptions) (listed[T], *Response, bool, error)) iter.Seq2[T, error] {
	o := cloneListOptions(opts)
	page := func(ctx context.Context, cursor string) (transport.Page[T], error) {
		p := o
		p.Cursor = cursor
		l, resp, _, err := list(ctx, &p)
		if err != nil {
			return transport.Page[T]{}, err
		}
		return transport.Page[T]{Items: l.items, Next: resp.NextCursor}, nil
	}
	first := func(ctx context.Context) (transport.Page[T], transport.LinkPlan, int, error) {
		p := o
		l, resp, own, err := list(ctx, &p)
		if err != nil {
			return transport.Page[T]{}, transport.LinkPlan{}, 0, err
		}
		plan, pages := pagePlan(l.totalPages, resp.NextCursor, own)
		return transport.Page[T]{Items: l.items, Next: resp.NextCursor}, plan, pages, nil
	}
	return transport.IteratePlanned(ctx, provider, o.Cursor, c.t.Prefetch(), first, page,
		transport.ItemKey(key), transport.MaxPages[T](o.MaxPages))
}

// cloneListOptions copies opts deeply enough that the caller's later
// changes to its maps and slices do not reach a walk (nil: the zero
// options).
func cloneListOptions(opts *ListOptions) ListOptions {
	var o ListOptions
	if opts == nil {
		return o
	}
	o = *opts
	o.Filter = maps.Clone(opts.Filter)
	o.Include = slices.Clone(opts.Include)
	if opts.Fields != nil {
		o.Fields = make(map[string][]string, len(opts.Fields))
		for k, v := range opts.Fields {
			o.Fields[k] = slices.Clone(v)
		}
	}
	return o
}

// pagePlan reads the plan of a walk from its first page and returns how
// many pages the walk has, or 0 when the server sent a links.next of its
// own (the walk follows it). next is the first page's next cursor, the
// request's URL with page set to the next number while it is within
// total_pages ("" on the last page: the walk has one).
func pagePlan(totalPages int, next string, own bool) (transport.LinkPlan, int) {
	if own {
		return transport.LinkPlan{}, 0
	}
	if next == "" {
		return transport.LinkPlan{}, 1
	}
	u, err := url.Parse(next)
	if err != nil {
		return transport.LinkPlan{}, 0
	}
	second, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil || second < 2 || totalPages < second {
		return transport.LinkPlan{}, 0
	}
	plan, err := transport.NewLinkPlan(next, "page", second-1, 1)
	if err != nil {
		return transport.LinkPlan{}, 0
	}
	return plan, totalPages - second + 2
}
