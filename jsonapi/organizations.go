package jsonapi

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// OrganizationsService reads organizations.
//
// API doc: MPDX API documentation, Organizations; https://jsonapi.org/format/
type OrganizationsService struct {
	c *Client
}

// ListOptions selects and orders a list of organizations. The zero value
// (or nil) asks for the server's first page in its default order.
type ListOptions struct {
	// Sort orders the list: "name" or "-name" (descending) on MPDX, which
	// answers 400 for anything else.
	Sort string `url:"sort,omitempty"`
	// Page is the 1-based page number (server default 1).
	Page int `url:"page,omitempty"`
	// PerPage is the page size (server default 25).
	PerPage int `url:"per_page,omitempty"`
	// Filter is sent as filter[key]=value; MPDX silently drops keys it does
	// not know (dates are YYYY-MM-DD, ranges a..b).
	Filter map[string]string `url:"-"`
	// Include asks for related resources by relationship path
	// (include=a,b.c); they arrive in OrganizationList.Included.
	Include []string `url:"include,comma,omitempty"`
	// Fields limits the attributes and relationships sent per resource
	// type (fields[organizations]=name,code), a JSON:API sparse fieldset.
	Fields map[string][]string `url:"-"`
	// Cursor, when set to a previous Response.NextCursor, fetches that page;
	// the other fields are then ignored (the cursor already carries them).
	Cursor string `url:"-"`
	// MaxPages caps the pages one All walk may fetch (0: the default,
	// orgsdk.DefaultMaxPages, 10,000); a walk that reaches it with pages
	// left ends with ErrTooManyPages. List fetches one page and ignores it;
	// negative is ErrInvalidArgument.
	MaxPages int `url:"-"`
}

// GetOptions asks a single-organization read for related resources and
// sparse fieldsets; see Get and GetWithOptions.
//
// API doc: https://jsonapi.org/format/#fetching-includes
type GetOptions struct {
	// Include asks for related resources by relationship path
	// (include=a,b.c); they arrive in OrganizationDocument.Included.
	Include []string `url:"include,comma,omitempty"`
	// Fields limits the attributes and relationships sent per resource
	// type (fields[organizations]=name,code).
	Fields map[string][]string `url:"-"`
}

func (o *GetOptions) validate() error {
	if err := validateInclude(o.Include); err != nil {
		return err
	}
	return validateFields(o.Fields)
}

func validateInclude(include []string) error {
	for _, p := range include {
		if strings.TrimSpace(p) == "" || strings.Contains(p, ",") {
			return invalidArgument("include path %q is empty or contains a comma", p)
		}
	}
	return nil
}

func validateFields(fields map[string][]string) error {
	for typ, names := range fields {
		if strings.TrimSpace(typ) == "" || strings.ContainsAny(typ, "[]") {
			return invalidArgument("fields type %q is empty or contains brackets", typ)
		}
		for _, n := range names {
			if strings.TrimSpace(n) == "" || strings.Contains(n, ",") {
				return invalidArgument("fields[%s] name %q is empty or contains a comma", typ, n)
			}
		}
	}
	return nil
}

// fieldValues adds fields[type]=a,b for each type of a sparse fieldset.
func fieldValues(v url.Values, fields map[string][]string) url.Values {
	if len(fields) == 0 {
		return v
	}
	if v == nil {
		v = make(url.Values, len(fields))
	}
	for typ, names := range fields {
		v.Set("fields["+typ+"]", strings.Join(names, ","))
	}
	return v
}

func (o *ListOptions) validate() error {
	if o.Page < 0 {
		return invalidArgument("Page %d is negative", o.Page)
	}
	if o.PerPage < 0 {
		return invalidArgument("PerPage %d is negative", o.PerPage)
	}
	if o.MaxPages < 0 {
		return invalidArgument("MaxPages %d is negative", o.MaxPages)
	}
	for k := range o.Filter {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, "[]") {
			return invalidArgument("filter key %q is empty or contains brackets", k)
		}
	}
	if err := validateInclude(o.Include); err != nil {
		return err
	}
	return validateFields(o.Fields)
}

func (o *ListOptions) filterValues() url.Values {
	if len(o.Filter) == 0 {
		return nil
	}
	v := make(url.Values, len(o.Filter))
	for k, val := range o.Filter {
		v.Set("filter["+k+"]", val)
	}
	return v
}

// List returns one page of organizations; Response.NextCursor, passed back
// as ListOptions.Cursor, fetches the next ("" on the last page). The next
// page is the document's links.next when the server sends one, else the
// next page number up to meta.pagination.total_pages.
//
// API doc: MPDX API documentation, Organization [LIST]; https://jsonapi.org/format/
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, error) {
	list, resp, _, err := s.list(ctx, opts)
	return list, resp, err
}

// list is List that also says whether the server sent a links.next of its
// own.
func (s *OrganizationsService) list(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, bool, error) {
	return listPage(ctx, s.c, []string{"organizations"}, opts, decodeList)
}

// All walks every organization from the page opts describes (or its
// Cursor) to the last. It is lazy, restartable (each range starts over),
// yields the organizations in the server's order, yields the first error
// (in page order) once and stops, and fetches no page after the caller
// breaks: requests in flight are cancelled and waited for. opts is copied
// when All is called.
//
// Pages in flight (WithPrefetch(n), issue 25). When the first page says
// meta.pagination.total_pages (or total_count and per_page) and the server
// sends no links.next of its own, as MPDX does, the pages after it are
// asked for by page number, first + k, up to n at a time, at most n+1
// held. The first page's total_pages plans the walk; the last counted page
// ends it: when it still counts a page after it (the list grew during the
// walk), the walk goes on page by page until a page counts none; an empty
// page before the end ends the walk quietly (the list shrank). A server
// that sends links.next is followed link by link, one page ahead at most
// even when n > 1: a link is only known once its page has arrived, and it
// may carry a cursor no page number stands for.
//
// Every walk ends, whatever the server sends. Besides the last page and
// the first error, it stops with an error matching ErrPaginationLoop when
// a page is empty but names a next page (a links.next), when a next link
// was already read in this walk, or when a page before the last holds
// only organizations (by id) this walk has already yielded; that page's
// items are not yielded. An organization repeated on a page that also
// brings a new one is yielded: numbered pages shift when organizations are
// added during the walk. After opts.MaxPages pages (default 10,000) with
// more to come, it stops with ErrTooManyPages. What the walk remembers to
// tell this is bounded, however long it runs.
//
// API doc: MPDX API documentation, Organization [LIST]; https://jsonapi.org/format/#fetching-pagination
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	return walkPages(ctx, s.c, opts, organizationKey, func(ctx context.Context, o *ListOptions) (listed[*Organization], *Response, bool, error) {
		list, resp, own, err := s.list(ctx, o)
		if err != nil {
			return listed[*Organization]{}, resp, false, err
		}
		return listed[*Organization]{items: list.Items, totalPages: list.TotalPages}, resp, own, nil
	})
}

// organizationKey is an organization's identity within a walk: its id.
func organizationKey(o *Organization) string { return o.ID }

// Get returns the organization with the given id (a UUID on MPDX; other
// ids are sent path-escaped). GetWithOptions also returns the document's
// included resources.
//
// API doc: MPDX API documentation, Organization [GET]; https://jsonapi.org/format/#fetching-resources
func (s *OrganizationsService) Get(ctx context.Context, id string) (*Organization, *Response, error) {
	doc, resp, err := s.GetWithOptions(ctx, id, nil)
	if err != nil {
		return nil, resp, err
	}
	return doc.Organization, resp, nil
}

// GetWithOptions returns the organization with the given id in its
// document: the related resources asked for with opts.Include, and the
// document's links and meta. A nil opts asks for the plain resource.
//
// API doc: MPDX API documentation, Organization [GET]; https://jsonapi.org/format/#fetching-includes
func (s *OrganizationsService) GetWithOptions(ctx context.Context, id string, opts *GetOptions) (*OrganizationDocument, *Response, error) {
	if strings.TrimSpace(id) == "" {
		return nil, nil, invalidArgument("organization id is empty")
	}
	var o GetOptions
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	req := newRequest(http.MethodGet, "organizations", id)
	req.Query = &o
	req.Values = fieldValues(nil, o.Fields)
	var doc *OrganizationDocument
	resp, err := s.c.t.Do(ctx, req, func(r *http.Response, body []byte) error {
		var err error
		doc, err = decodeOne(body, r.StatusCode)
		return err
	})
	if err != nil {
		return nil, resp, err
	}
	return doc, resp, nil
}
