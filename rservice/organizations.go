package rservice

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// MaxPerPage is the largest page the API serves.
const MaxPerPage = 100

// OrganizationsService is the /organizations resource.
//
// API docs: https://developer.4me.com/v1/organizations/
type OrganizationsService struct {
	client *Client
}

// ListOptions narrows and shapes a list of organizations.
//
// API docs: https://developer.4me.com/v1/organizations/#list-all-organizations
type ListOptions struct {
	// Optional: a predefined filter such as Enabled or ManagedByMe.
	View View
	// Optional: field filters, ANDed; at most one per field (use Between
	// for a range).
	Filters []Filter
	// Optional: the fields to return (id always comes back). Default: id,
	// sourceID, name, parent, manager, created_at, updated_at.
	Fields []string
	// Optional: sort fields, "-" prefix for descending ("-created_at").
	// Default: name ascending.
	Sort []string
	// Optional: 1..100; 0 means the API's default (20) for List and 100 for
	// All.
	PerPage int
	// Optional: a Response.NextCursor from an earlier call. It is the
	// API's next-page link and already carries every option above, which
	// are then ignored.
	Cursor string
	// Optional: the most pages one All walk may fetch; 0 means the default,
	// orgsdk.DefaultMaxPages (10,000). A walk that reaches it with pages
	// left ends with ErrTooManyPages. List fetches one page and ignores it;
	// negative is ErrInvalidArgument.
	MaxPages int
}

// query builds the list's path (relative to the base URL) and query
// string. It is built by hand rather than with url.Values because the
// operators and list commas must stay as the API documents them, and
// url.Values would re-encode and reorder them.
func (o *ListOptions) query(defaultPerPage int) (string, error) {
	return o.queryAt("organizations", views, true, defaultPerPage)
}

// queryAt builds the query of the collection at path. allowed are the
// views the collection has; orgShaped says whether it holds organizations
// (so the organization filters, fields and sorts apply) or records whose
// filters the SDK does not model, which then take paging only.
func (o *ListOptions) queryAt(path string, allowed map[View]bool, orgShaped bool, defaultPerPage int) (string, error) {
	if !allowed[o.View] {
		var names []string
		for v := range allowed {
			if v != "" {
				names = append(names, string(v))
			}
		}
		sort.Strings(names)
		return "", invalidArgument("unknown view %q for %s (want one of %v)", string(o.View), path, names)
	}
	if !orgShaped && (len(o.Filters) > 0 || len(o.Fields) > 0 || len(o.Sort) > 0) {
		return "", invalidArgument("%s takes no Filters, Fields or Sort (only View, PerPage, Cursor and MaxPages)", path)
	}
	var parts []string
	seen := map[string]bool{}
	for _, f := range o.Filters {
		if err := f.Err(); err != nil {
			return "", err
		}
		if seen[f.field] {
			return "", invalidArgument("two filters on %s: the API keeps only one per field (use Between for a range)", f.field)
		}
		seen[f.field] = true
		parts = append(parts, f.String())
	}
	if len(o.Fields) > 0 {
		for _, f := range o.Fields {
			if !organizationFields[f] {
				return "", invalidArgument("organizations have no field %q (fields: %s)", f, strings.Join(sortedKeys(organizationFields), ", "))
			}
		}
		parts = append(parts, "fields="+strings.Join(o.Fields, ","))
	}
	if len(o.Sort) > 0 {
		seenSort := map[string]bool{}
		for _, s := range o.Sort {
			name := strings.TrimPrefix(s, "-")
			if !sortFields[name] {
				return "", invalidArgument("organizations cannot be sorted on %q (sortable: %s)", s, strings.Join(SortFields(), ", "))
			}
			if seenSort[name] {
				return "", invalidArgument("sort field %s given twice", name)
			}
			seenSort[name] = true
		}
		parts = append(parts, "sort="+strings.Join(o.Sort, ","))
	}
	perPage := o.PerPage
	if perPage < 0 {
		return "", invalidArgument("PerPage %d is negative", perPage)
	}
	if perPage > MaxPerPage {
		return "", invalidArgument("PerPage %d is above the API's maximum, %d", perPage, MaxPerPage)
	}
	if perPage == 0 {
		perPage = defaultPerPage
	}
	if perPage > 0 {
		parts = append(parts, "per_page="+strconv.Itoa(perPage))
	}
	if o.View != "" {
		path += "/" + string(o.View)
	}
	if len(parts) > 0 {
		path += "?" + strings.Join(parts, "&")
	}
	return path, nil
}

func (s *OrganizationsService) listRequest(opts *ListOptions, defaultPerPage int) (*transport.Request, error) {
	if opts == nil {
		opts = &ListOptions{}
	}
	if opts.MaxPages < 0 {
		return nil, invalidArgument("MaxPages %d is negative", opts.MaxPages)
	}
	if opts.Cursor != "" {
		// Verbatim: the link carries an opaque search_after value and
		// unencoded commas that re-encoding would change.
		if _, err := url.Parse(opts.Cursor); err != nil {
			return nil, invalidArgument("cursor is not a URL")
		}
		return &transport.Request{Method: http.MethodGet, URL: opts.Cursor}, nil
	}
	rel, err := opts.query(defaultPerPage)
	if err != nil {
		return nil, err
	}
	// A relative URL resolves against the base URL and keeps its query
	// string byte for byte (the transport re-encodes only Query/Values).
	return &transport.Request{Method: http.MethodGet, URL: rel}, nil
}

// List returns one page of organizations with what the X-Pagination-*
// headers say about the whole collection. Pass Response.NextCursor back as
// ListOptions.Cursor for the next page; it is "" on the last.
//
// API docs: https://developer.4me.com/v1/organizations/#list-all-organizations
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, error) {
	return s.list(ctx, opts, 0)
}

func (s *OrganizationsService) list(ctx context.Context, opts *ListOptions, defaultPerPage int) (*OrganizationList, *Response, error) {
	req, err := s.listRequest(opts, defaultPerPage)
	if err != nil {
		return nil, nil, err
	}
	var orgs []*Organization
	resp, err := s.client.t.Do(ctx, req, func(_ *http.Response, body []byte) error {
		var derr error
		orgs, derr = decodeList[Organization](body)
		return derr
	})
	if err != nil {
		return nil, resp, err
	}
	s.client.setNextCursor(resp)
	return newOrganizationList(orgs, resp.Header), resp, nil
}

// All walks every page of organizations matching opts, 100 per page unless
// opts.PerPage says otherwise. It is lazy, can be ranged over again (each
// range starts at the first page), yields the first error and stops, and
// requests nothing after the loop breaks.
//
// Every walk ends, whatever the server sends. Besides the last page and
// the first error, it stops with an error matching ErrPaginationLoop when
// a page is empty but names a next page, when a next link was already read
// in this walk, or when a page names a next page and holds only
// organizations (by id) this walk has already yielded; that page's items
// are not yielded. An organization repeated on a page that also brings a
// new one is yielded: pages can shift while organizations change during
// the walk. After opts.MaxPages pages (default 10,000) with more to come,
// it stops with ErrTooManyPages. What the walk remembers to tell this is
// bounded, however long it runs.
//
// API docs: https://developer.4me.com/v1/organizations/#list-all-organizations
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
		o.Filters = append([]Filter(nil), opts.Filters...)
		o.Fields = append([]string(nil), opts.Fields...)
		o.Sort = append([]string(nil), opts.Sort...)
	}
	start := o.Cursor
	o.Cursor = ""
	fetch := func(ctx context.Context, cursor string) (transport.Page[*Organization], error) {
		page := o
		page.Cursor = cursor
		list, resp, err := s.list(ctx, &page, MaxPerPage)
		if err != nil {
			return transport.Page[*Organization]{}, err
		}
		return transport.Page[*Organization]{Items: list.Items, Next: resp.NextCursor}, nil
	}
	return transport.Iterate(ctx, provider, start, s.client.t.Prefetch() > 0, fetch,
		transport.ItemKey(organizationKey), transport.MaxPages[*Organization](o.MaxPages))
}

// organizationKey is an organization's identity within a walk; an
// organization without an id (0) has none.
func organizationKey(o *Organization) string {
	if o.ID == 0 {
		return ""
	}
	return strconv.FormatInt(o.ID, 10)
}

// Get returns one organization with all its fields.
//
// API docs: https://developer.4me.com/v1/organizations/#get-a-single-organization
func (s *OrganizationsService) Get(ctx context.Context, id int64) (*Organization, *Response, error) {
	if id <= 0 {
		return nil, nil, invalidArgument("organization id %d is not positive", id)
	}
	return s.one(ctx, &transport.Request{Method: http.MethodGet, Path: []string{"organizations", strconv.FormatInt(id, 10)}})
}

// Create adds an organization; the API answers 201 with the whole record.
// Name and OrderTemplateID are required: without them Create fails with
// ErrInvalidArgument before sending anything. A duplicate name is a 422 (ErrValidation) whose
// Details name the field.
//
// API docs: https://developer.4me.com/v1/organizations/#create-an-organization
func (s *OrganizationsService) Create(ctx context.Context, in *OrganizationInput) (*Organization, *Response, error) {
	if in == nil {
		return nil, nil, invalidArgument("nil organization input")
	}
	if err := in.validate(true); err != nil {
		return nil, nil, err
	}
	return s.one(ctx, &transport.Request{Method: http.MethodPost, Path: []string{"organizations"}, Body: in})
}

// Update changes the fields of in that are Set or Null and leaves the rest
// alone (PATCH). It returns the whole updated record.
//
// API docs: https://developer.4me.com/v1/organizations/#update-an-organization
func (s *OrganizationsService) Update(ctx context.Context, id int64, in *OrganizationInput) (*Organization, *Response, error) {
	if id <= 0 {
		return nil, nil, invalidArgument("organization id %d is not positive", id)
	}
	if in == nil {
		return nil, nil, invalidArgument("nil organization input")
	}
	if err := in.validate(false); err != nil {
		return nil, nil, err
	}
	return s.one(ctx, &transport.Request{Method: http.MethodPatch, Path: []string{"organizations", strconv.FormatInt(id, 10)}, Body: in})
}

func (s *OrganizationsService) one(ctx context.Context, req *transport.Request) (*Organization, *Response, error) {
	var org *Organization
	resp, err := s.client.t.Do(ctx, req, func(_ *http.Response, body []byte) error {
		var derr error
		org, derr = decodeOrganization(body)
		return derr
	})
	if err != nil {
		return nil, resp, err
	}
	return org, resp, nil
}

// decodeOrganization reads one organization object.
func decodeOrganization(body []byte) (*Organization, error) {
	if err := answerKeys.CheckAnswer(body, '{'); err != nil {
		return nil, err
	}
	var o Organization
	if err := decodeJSONAt(body, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// answerKeys are the keys an answer may not hold twice in one object
// (issue 19.10): a record's identity (id, sourceID) and name, in the
// organization and in every reference it holds. encoding/json would keep
// the last of each silently, so a proxy and the SDK could read different
// organizations from one body.
var answerKeys = transport.NewKeySet("id", "sourceID", "name")
