package readycloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// OrganizationsService reads and renames organizations: GET /orgs/,
// GET /orgs/{org_pk}/ and PATCH /orgs/{org_pk}/. The API has no create or
// delete for organizations, so neither does the service; NewRequest and Do
// reach anything else.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type OrganizationsService struct {
	c *Client
}

// ListOptions selects a page of organizations. The zero value (or nil)
// asks for the first page at the server's default size.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type ListOptions struct {
	// PerPage is the page size, sent as the limit parameter (0: the
	// server's default). A size above the server's maximum is lowered by
	// the server without notice.
	PerPage int
	// Offset is how many organizations to skip (0: none).
	Offset int
	// Cursor, when set, is a Response.NextCursor from an earlier call; it
	// already carries the limit and offset of the page it names, so PerPage
	// and Offset are then ignored.
	Cursor string
	// MaxPages caps the pages one All walk may fetch (0: the default,
	// orgsdk.DefaultMaxPages, 10,000); a walk that reaches it with pages
	// left ends with ErrTooManyPages. List fetches one page and ignores it.
	// Negative is ErrInvalidArgument.
	MaxPages int
}

type listQuery struct {
	Limit  int `url:"limit,omitempty"`
	Offset int `url:"offset,omitempty"`
}

func (o *ListOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.PerPage < 0 {
		return invalidArgument("PerPage %d is negative", o.PerPage)
	}
	if o.Offset < 0 {
		return invalidArgument("Offset %d is negative", o.Offset)
	}
	if o.MaxPages < 0 {
		return invalidArgument("MaxPages %d is negative", o.MaxPages)
	}
	return nil
}

// OrganizationList is one page of organizations.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type OrganizationList struct {
	// Items are the organizations on this page (the wire's "results").
	Items []*Organization `json:"items"`
	// Total is the number of organizations across all pages (the wire's
	// "count"), or -1 when the server does not say.
	Total int `json:"total"`
	// Next and Previous are the server's links to the neighbouring pages
	// ("" at either end), with any token removed from them. Pass
	// Response.NextCursor, not Next, to fetch the next page.
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// OrganizationInput is the body of an Update: ReadyCloud lets a client rename an
// organization and nothing else.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type OrganizationInput struct {
	// Name is the new name. Required: not empty or blank, valid UTF-8,
	// without NUL characters (the server refuses all of these).
	Name string
}

func (u *OrganizationInput) validate() error {
	switch {
	case u == nil:
		return invalidArgument("nil OrganizationInput")
	case strings.TrimSpace(u.Name) == "":
		return invalidArgument("OrganizationInput.Name is empty")
	case !utf8.ValidString(u.Name):
		return invalidArgument("OrganizationInput.Name is not valid UTF-8")
	case strings.ContainsRune(u.Name, 0):
		return invalidArgument("OrganizationInput.Name contains a NUL character")
	}
	return nil
}

// MarshalJSON writes exactly {"name": ...}, the only body the API accepts.
func (u OrganizationInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name string `json:"name"`
	}{u.Name})
}

// List returns one page of organizations. Response.NextCursor is the
// cursor of the next page ("" on the last one): set it as opts.Cursor to
// fetch that page.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	req := &transport.Request{Method: http.MethodGet, Path: []string{"orgs"}, TrailingSlash: true}
	if opts != nil && opts.Cursor != "" {
		req.URL = opts.Cursor
	} else if opts != nil {
		req.Query = listQuery{Limit: opts.PerPage, Offset: opts.Offset}
	}
	var (
		list *OrganizationList
		next string
	)
	resp, err := s.c.do(ctx, req, func(_ *http.Response, body []byte) error {
		var err error
		if list, err = decodeOrganizationList(body); err != nil {
			return err
		}
		// The links handed back lose every secret the client holds, under
		// any name and in the path too (issue 19.3); a next link that is no
		// URL fails the page here, as a DecodeError the transport cleans.
		list.Next, list.Previous = s.c.t.CleanLink(list.Next), s.c.t.CleanLink(list.Previous)
		next, err = s.c.t.NextCursor(list.Next)
		return err
	})
	if err != nil {
		return nil, resp, err
	}
	resp.NextCursor = next
	return list, resp, nil
}

// All walks every organization from the page opts selects to the last. The
// sequence is lazy (no request until the first item is pulled),
// restartable (each range starts again from opts as they were when All was
// called), yields the organizations in the server's order, stops after
// yielding the first error (in page order), and fetches nothing more once
// the loop breaks: requests in flight are cancelled and waited for.
//
// Pages in flight (WithPrefetch(n), issue 25). ReadyCloud pages by limit and
// offset, so the first page plans the walk when it can: when it says count
// and names a next link with limit and offset, and holds limit
// organizations (a server lowers a limit above its maximum without notice:
// the next link says the limit it applied), page k is that next link with
// offset base + k·limit, and the walk has ceil((count − base)/limit) pages,
// fetched up to n at a time, at most n+1 held. The first page's count
// decides which pages are asked for ahead of time; each page's next link
// decides where the walk ends, as in a walk by next links:
//   - a page whose next is null is the last, whatever the first page
//     counted (the list shrank during the walk); pages in flight after it
//     are cancelled and never yielded;
//   - the last counted page, when its next is not null (the list grew),
//     is followed by next links, one page at a time, until one is null;
//   - the next links of the pages in between are only read for whether
//     they are null: the offsets are the plan's. A page shorter than limit
//     before the end is yielded and the walk goes on.
//
// A first page without count, without a next link of that shape, or not
// full, is walked by next links, one page ahead at most when n > 0: a next
// link is only known once the page before it has arrived.
//
// Every walk ends, whatever the server sends. Besides the last page and
// the first error, it stops with an error matching ErrPaginationLoop when
// a page is empty but names a next page, when a next link was already read in this walk, or when a page before the last
// holds only organizations (by url) this walk has already yielded; that
// page's items are not yielded. An organization repeated on a page that
// also brings a new one is yielded: offset pages shift when organizations
// are added during the walk. After opts.MaxPages pages (default 10,000)
// with more to come, it stops with ErrTooManyPages. What the walk
// remembers to tell this is bounded, however long it runs.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	var base ListOptions
	if opts != nil {
		base = *opts
	}
	page := func(ctx context.Context, cursor string) (transport.Page[*Organization], error) {
		o := base
		o.Cursor = cursor
		list, resp, err := s.List(ctx, &o)
		if err != nil {
			return transport.Page[*Organization]{}, err
		}
		return transport.Page[*Organization]{Items: list.Items, Next: resp.NextCursor}, nil
	}
	first := func(ctx context.Context) (transport.Page[*Organization], transport.LinkPlan, int, error) {
		o := base
		list, resp, err := s.List(ctx, &o)
		if err != nil {
			return transport.Page[*Organization]{}, transport.LinkPlan{}, 0, err
		}
		plan, pages := offsetPlan(list, resp.NextCursor)
		return transport.Page[*Organization]{Items: list.Items, Next: resp.NextCursor}, plan, pages, nil
	}
	return transport.IteratePlanned(ctx, provider, base.Cursor, s.c.t.Prefetch(), first, page,
		transport.ItemKey(organizationKey), transport.MaxPages[*Organization](base.MaxPages))
}

// offsetPlan reads the plan of a walk from its first page and returns how
// many pages the walk has, or 0 when the pages cannot be addressed by
// offset (no count, no next link with limit and offset, or a page that is
// not full): the walk then follows the next links. A page without a next
// link is the only one.
func offsetPlan(list *OrganizationList, next string) (transport.LinkPlan, int) {
	if next == "" {
		return transport.LinkPlan{}, 1
	}
	if list.Total < 0 {
		return transport.LinkPlan{}, 0
	}
	u, err := url.Parse(next)
	if err != nil {
		return transport.LinkPlan{}, 0
	}
	q := u.Query()
	limit, err1 := strconv.Atoi(q.Get("limit"))
	offset, err2 := strconv.Atoi(q.Get("offset"))
	if err1 != nil || err2 != nil || limit <= 0 || offset < limit || len(list.Items) != limit {
		return transport.LinkPlan{}, 0
	}
	base := offset - limit
	plan, err := transport.NewLinkPlan(next, "offset", base, limit)
	if err != nil {
		return transport.LinkPlan{}, 0
	}
	return plan, max((list.Total-base+limit-1)/limit, 1)
}

// organizationKey is an organization's identity within a walk.
func organizationKey(o *Organization) string { return o.ID }

// Get returns the organization whose key is id (Organization.ID).
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func (s *OrganizationsService) Get(ctx context.Context, id string) (*Organization, *Response, error) {
	if err := validateID(id); err != nil {
		return nil, nil, err
	}
	call := newOrgCall(http.MethodGet, id)
	return s.doOrg(ctx, call)
}

// Update renames the organization whose key is id (PATCH with body
// {"name": ...}) and returns it as the server stored it. It is never
// retried once the request may have reached the server.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
func (s *OrganizationsService) Update(ctx context.Context, id string, update *OrganizationInput) (*Organization, *Response, error) {
	if err := validateID(id); err != nil {
		return nil, nil, err
	}
	if err := update.validate(); err != nil {
		return nil, nil, err
	}
	body, err := json.Marshal(update)
	if err != nil {
		return nil, nil, invalidArgument("cannot encode OrganizationInput: %v", err)
	}
	call := newOrgCall(http.MethodPatch, id)
	call.req.Body, call.req.ContentType = body, "application/json"
	return s.doOrg(ctx, call)
}

// orgCall holds everything one Get or Update needs in a single
// allocation: the request, its path, and the organization the body is
// decoded into (the caller gets a pointer into it).
type orgCall struct {
	req  transport.Request
	path [2]string
	org  Organization
	wire orgWire
}

func newOrgCall(method, id string) *orgCall {
	call := &orgCall{path: [2]string{"orgs", id}}
	call.req = transport.Request{Method: method, Path: call.path[:], TrailingSlash: true}
	return call
}

func (call *orgCall) decode(_ *http.Response, body []byte) error {
	return decodeOrganizationInto(body, &call.org, &call.wire)
}

func (s *OrganizationsService) doOrg(ctx context.Context, call *orgCall) (*Organization, *Response, error) {
	resp, err := s.c.do(ctx, &call.req, call.decode)
	if err != nil {
		return nil, resp, err
	}
	return &call.org, resp, nil
}

// validateID refuses keys that cannot name an organization. Any other
// character is allowed and sent escaped, so "a/b" is the one segment
// "a%2Fb" and "?" or "#" cannot start a query or fragment.
func validateID(id string) error {
	switch id {
	case "":
		return invalidArgument("empty organization id")
	case ".", "..":
		return invalidArgument("organization id %q is not allowed", id)
	}
	if !utf8.ValidString(id) {
		return invalidArgument("organization id is not valid UTF-8")
	}
	return nil
}

// decodeOrganization decodes one organization object.
func decodeOrganization(body []byte) (*Organization, error) {
	var org Organization
	if err := decodeOrganizationInto(body, &org, &orgWire{}); err != nil {
		return nil, err
	}
	return &org, nil
}

// decodeOrganizationInto decodes one organization object into org in one
// pass. It fills the fields Organization.UnmarshalJSON would, without
// going through it: json.Unmarshal would scan the body, skip over it
// again to hand it to UnmarshalJSON, and scan it twice more there.
// wire is scratch space the caller provides, so that a Get allocates it
// together with everything else.
func decodeOrganizationInto(body []byte, org *Organization, wire *orgWire) error {
	if err := answerKeys.CheckAnswer(body, '{'); err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	*wire = orgWire{plain: (*plain)(org)}
	if err := json.Unmarshal(trimmed, wire); err != nil {
		return pathOf(trimmed, err)
	}
	return wire.finish(org)
}

// pathOf names, in err, the path of the field of the organization object
// data that failed to decode ("payment_plan.price: ..."), the family's
// rule for a DecodeError. orgElem has orgWire's fields without the
// embedded pointer the re-decoding could not set.
func pathOf(data []byte, err error) error {
	return transport.JSONPathError(data, &orgElem{}, err)
}

// pageResults is a page's results array, remembering whether the key was
// there at all.
type pageResults struct {
	present bool
	items   []*Organization
}

func (p *pageResults) UnmarshalJSON(data []byte) error {
	p.present = true
	items, err := decodeOrganizations(data)
	p.items = items
	return err
}

// orgElem is one organization of a page. Decoding it does not re-enter
// Organization.UnmarshalJSON, which would scan each element three more
// times; its own fields shadow plain's, as orgWire's do.
type orgElem struct {
	plain
	ID             json.RawMessage `json:"id"`
	PaymentPlan    *planWire       `json:"payment_plan"`
	DeletedAt      *timestamp      `json:"deleted_at"`
	TrialExpiresAt *timestamp      `json:"trial_expires_at"`
}

// decodeOrganizations decodes a JSON array of organizations in one pass,
// into one backing array (a null element is an error).
func decodeOrganizations(data []byte) ([]*Organization, error) {
	var elems []*orgElem
	if err := json.Unmarshal(data, &elems); err != nil {
		return nil, transport.JSONPathError(data, &elems, err)
	}
	if elems == nil {
		return nil, nil
	}
	orgs := make([]Organization, len(elems))
	out := make([]*Organization, len(elems))
	for i, e := range elems {
		if e == nil {
			return nil, transport.AtPath(fmt.Sprintf("[%d]", i), errors.New("organization is null"))
		}
		orgs[i] = Organization(e.plain)
		if err := finishOrg(&orgs[i], e.PaymentPlan, e.DeletedAt, e.TrialExpiresAt); err != nil {
			return nil, transport.AtPath(fmt.Sprintf("[%d]", i), err)
		}
		out[i] = &orgs[i]
	}
	return out, nil
}

// answerKeys are the keys an answer may not hold twice in one object
// (issue 19.10): an organization's identity (url) and name, and the page
// envelope. encoding/json would keep the last of each silently, so a proxy
// and the SDK could read different organizations from one body.
var answerKeys = transport.NewKeySet("url", "name", "count", "next", "previous", "results")

// decodeOrganizationList decodes a page {"count", "next", "previous", "results"}.
// A bare array (an endpoint without pagination) is read as a single page.
func decodeOrganizationList(body []byte) (*OrganizationList, error) {
	if err := answerKeys.CheckAnswer(body, '{', '['); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(body)
	var list OrganizationList
	switch trimmed[0] {
	case '[':
		// An unpaginated endpoint: the one page is the whole collection.
		items, err := decodeOrganizations(trimmed)
		if err != nil {
			return nil, err
		}
		list.Items = items
		list.Total = len(list.Items)
	case '{':
		var wire struct {
			Count    *int        `json:"count"`
			Next     *string     `json:"next"`
			Previous *string     `json:"previous"`
			Results  pageResults `json:"results"`
		}
		if err := json.Unmarshal(trimmed, &wire); err != nil {
			return nil, transport.JSONPathError(trimmed, &wire, err)
		}
		if !wire.Results.present {
			// A 200 object without results ({"detail": ...} from a proxy,
			// or another resource) is not an empty page.
			return nil, errors.New(`organization page has no "results"`)
		}
		list.Items = wire.Results.items
		list.Total = -1
		if wire.Count != nil {
			list.Total = *wire.Count
		}
		if wire.Next != nil {
			list.Next = transport.StripSecretParams(*wire.Next)
		}
		if wire.Previous != nil {
			list.Previous = transport.StripSecretParams(*wire.Previous)
		}
	}
	for i, o := range list.Items {
		if o == nil {
			return nil, fmt.Errorf("organization %d of the page is null", i)
		}
	}
	if list.Items == nil {
		list.Items = []*Organization{}
	}
	return &list, nil
}
