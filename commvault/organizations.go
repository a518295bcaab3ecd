package commvault

import (
	"context"
	"encoding/xml"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// OrganizationsService reads organizations (companies, tenants).
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type OrganizationsService struct {
	c *Client
}

type listEnvelope struct {
	errFields
	// Providers are decoded as orgWire, not through Organization's own
	// decoders, which would parse each one a second time.
	Providers []orgWire `json:"providers" xml:"providers"`
	// FilterQueryCount is how many organizations match across all pages
	// (newer servers; an attribute of the root in XML).
	FilterQueryCount *Int `json:"filterQueryCount" xml:"filterQueryCount,attr"`
}

// infoEnvelope is {"organizationInfo": {...}}; in XML the root's name is
// not published, so any root holding an organizationInfo element works,
// and so does organizationInfo as the root itself.
type infoEnvelope struct {
	errFields
	// Info is nil when the answer has no organizationInfo.
	Info *infoWire `json:"organizationInfo" xml:"organizationInfo"`
}

// infoWire is OrganizationInfo as the decoder fills it: its properties are
// the wire form itself, so the body is parsed once. Decoding into
// OrganizationInfo would hand the properties to their UnmarshalJSON, which
// validates and parses that part of the body a second time (issue 12).
type infoWire struct {
	Organization orgWire      `json:"organization" xml:"organization"`
	Properties   propsWire    `json:"organizationProperties" xml:"organizationProperties"`
	PlanDetails  []PlanDetail `json:"planDetails,omitempty" xml:"planDetails"`
}

func (w *infoWire) result() *OrganizationInfo {
	return &OrganizationInfo{Organization: *w.Organization.result(), Properties: w.Properties.result(), PlanDetails: w.PlanDetails}
}

// UnmarshalXML accepts organizationInfo as the root or below any root.
func (e *infoEnvelope) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Local == "organizationInfo" {
		e.Info = new(infoWire)
		return d.DecodeElement(e.Info, &start)
	}
	type plain infoEnvelope
	return d.DecodeElement((*plain)(e), &start)
}

// infoDecoder decodes an organizationInfo answer; a success body without
// one is a DecodeError that says what arrived instead (issue 13.4).
func infoDecoder(env *infoEnvelope) transport.Decoder {
	return func(_ *http.Response, body []byte) error {
		*env = infoEnvelope{}
		if err := decodeBody(body, env, false); err != nil {
			return err
		}
		if env.Info == nil {
			return missing("organizationInfo", body)
		}
		return nil
	}
}

// ListOptions narrows and pages List and All (GET Organization). The zero
// value (or nil) asks for every organization in one answer, as the
// endpoint has always answered. The parameters are those Commvault's own
// Python SDK (cvpysdk) sends; the documentation does not list them.
//
// Paging: PerPage and Offset are sent as limit and start. Commvault
// documents no maximum for limit (cvpysdk's default page is 25), so the
// SDK sets none; a negative PerPage, Offset or MaxPages is
// ErrInvalidArgument, before any I/O. A PerPage of 0 sends no limit.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type ListOptions struct {
	// Filters are sent as fq=column:op:value, one parameter each, ANDed;
	// build them with Contains, Eq, NotEq, Gt, Lt, Gte, Lte and NotIn. A
	// filter that carries an error fails List before any I/O.
	Filters []Filter
	// Sort orders the list by a column, ascending, or descending when it
	// starts with "-" (sent as sort=column:1 or sort=column:-1; "": the
	// server's order).
	Sort Column
	// Fields limits the fields each organization carries (fl=a,b; empty:
	// every field). Commvault answers fewer fields faster.
	Fields []Column
	// Search keeps organizations whose name, contact name, GUID or status
	// contains the text (sent as cvpysdk sends it:
	// search=providers.connectName,providers.primaryContacts.fullName,
	// providers.providerGUID,providers.status:contains:TEXT).
	Search string
	// HardRefresh asks the server to rebuild its entity cache before
	// answering (hardRefresh=true); default false.
	HardRefresh bool
	// PerPage is the page size, sent as limit (0: not sent, every
	// organization in one answer).
	PerPage int
	// Offset is how many organizations to skip, sent as start (0: none).
	Offset int
	// MaxPages caps the pages one All walk may fetch (0: the default,
	// orgsdk.DefaultMaxPages, 10,000); a walk that reaches it with pages
	// left ends with ErrTooManyPages. List fetches one page and ignores it;
	// negative is ErrInvalidArgument.
	MaxPages int
}

// searchColumns are the columns Search looks in, as cvpysdk sends them.
var searchColumns = []Column{ColumnName, ColumnContactFullName, ColumnGUID, ColumnStatus}

func (o *ListOptions) validate() error {
	if o == nil {
		return nil
	}
	switch {
	case o.PerPage < 0:
		return invalidArgument("PerPage %d is negative", o.PerPage)
	case o.Offset < 0:
		return invalidArgument("offset %d is negative", o.Offset)
	case o.MaxPages < 0:
		return invalidArgument("MaxPages %d is negative", o.MaxPages)
	}
	for _, f := range o.Filters {
		if err := f.Err(); err != nil {
			return err
		}
	}
	if o.Sort != "" {
		if err := columnProblem(Column(strings.TrimPrefix(string(o.Sort), "-"))); err != nil {
			return invalidArgument("Sort: %v", err)
		}
	}
	for _, c := range o.Fields {
		if err := columnProblem(c); err != nil {
			return invalidArgument("Fields: %v", err)
		}
	}
	if o.Search != "" {
		if err := checkValue(o.Search); err != nil {
			return invalidArgument("Search: %v", err)
		}
	}
	return nil
}

// values is the query string of a list request.
func (o *ListOptions) values() url.Values {
	if o == nil {
		return nil
	}
	q := url.Values{}
	for _, f := range o.Filters {
		q.Add("fq", f.String())
	}
	if o.Sort != "" {
		col, desc := strings.CutPrefix(string(o.Sort), "-")
		dir := "1"
		if desc {
			dir = "-1"
		}
		q.Set("sort", col+":"+dir)
	}
	if len(o.Fields) > 0 {
		fl := make([]string, len(o.Fields))
		for i, c := range o.Fields {
			fl[i] = string(c)
		}
		q.Set("fl", strings.Join(fl, ","))
	}
	if o.Search != "" {
		cols := make([]string, len(searchColumns))
		for i, c := range searchColumns {
			cols[i] = string(c)
		}
		q.Set("search", strings.Join(cols, ",")+":contains:"+o.Search)
	}
	if o.HardRefresh {
		q.Set("hardRefresh", "true")
	}
	if o.PerPage > 0 || o.Offset > 0 {
		q.Set("start", strconv.Itoa(o.Offset))
	}
	if o.PerPage > 0 {
		q.Set("limit", strconv.Itoa(o.PerPage))
	}
	return q
}

// OrganizationList is the answer of List: one page of organizations, or
// every one when the list was not paged.
type OrganizationList struct {
	Items []*Organization `json:"items"`
	// Total is how many organizations match across all pages: the wire's
	// filterQueryCount when the server sends it (newer servers), else
	// len(Items) (a server that sends no count answers the whole list).
	Total int `json:"total"`
}

// List returns one page of the organizations the user can see (GET
// Organization), narrowed and ordered by opts; nil opts asks for every
// organization in one answer.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, error) {
	list, _, resp, err := s.list(ctx, opts)
	return list, resp, err
}

// list is List, also reporting whether the answer counted its matches
// (filterQueryCount), which tells a walk whether the server pages.
func (s *OrganizationsService) list(ctx context.Context, opts *ListOptions) (*OrganizationList, bool, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, false, nil, err
	}
	var env listEnvelope
	req := s.c.request(http.MethodGet, "Organization")
	req.Values = opts.values()
	resp, err := s.c.do(ctx, req, decoder(&env))
	if err != nil {
		return nil, false, resp, err
	}
	items := make([]*Organization, len(env.Providers))
	for i := range env.Providers {
		items[i] = env.Providers[i].result()
	}
	list := &OrganizationList{Items: items, Total: len(items)}
	counted := env.FilterQueryCount != nil
	if counted {
		list.Total = int(*env.FilterQueryCount)
	}
	return list, counted, resp, nil
}

// walkInflight is how many pages an All walk fetches ahead of the one the
// caller is reading: the client's WithPrefetch.
func (s *OrganizationsService) walkInflight() int { return s.c.tc.Prefetch() }

// All ranges over the organizations opts selects, as All does in every
// orgsdk provider: lazy (no request before the first item is pulled),
// restartable (each range starts again from opts as they were when All
// was called), a failure yielded once and ending the range, nothing
// fetched after the loop breaks.
//
// Without opts.PerPage it makes one request, as Commvault answers the
// whole list. With it, the walk pages with start and limit, and the
// first answer decides how: a server that pages sends filterQueryCount,
// and the walk fetches ceil((filterQueryCount-Offset)/PerPage) pages in
// all (at most MaxPages, default 10,000; more is ErrTooManyPages); a
// server that ignores paging (older releases) sends no filterQueryCount
// or more than PerPage organizations, and that one answer is the whole
// list: the walk yields it and stops. A page that holds only
// organizations this walk has already yielded, before the last, ends it
// with ErrPaginationLoop (a server that ignores start but honours limit);
// an empty page ends it quietly (the list shrank during the walk). With
// WithPrefetch(n), the pages after the first are fetched up to n at a
// time, and yielded in server order all the same.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	var base ListOptions
	if opts != nil {
		base = *opts
		base.Filters = slices.Clone(opts.Filters)
		base.Fields = slices.Clone(opts.Fields)
	}
	return transport.IterateAt(ctx, provider, s.walkInflight(), func(ctx context.Context, k int) ([]*Organization, int, error) {
		o := base
		o.Offset = base.Offset + k*base.PerPage
		list, counted, _, err := s.list(ctx, &o)
		if err != nil {
			return nil, 0, err
		}
		return list.Items, pagesOf(&base, list, counted), nil
	}, transport.ItemKey(organizationKey), transport.MaxPages[*Organization](base.MaxPages))
}

// pagesOf is how many pages a walk from o has, judged by its first
// answer (see All).
func pagesOf(o *ListOptions, first *OrganizationList, counted bool) int {
	if o.PerPage <= 0 || !counted || len(first.Items) > o.PerPage {
		return 1
	}
	left := first.Total - o.Offset
	if left <= o.PerPage {
		return 1
	}
	return (left + o.PerPage - 1) / o.PerPage
}

// organizationKey is an organization's identity within a walk ("" for the
// CommCell's id 0: unknown).
func organizationKey(o *Organization) string {
	if o.ID == 0 {
		return ""
	}
	return strconv.Itoa(o.ID)
}

// Get returns an organization's details (GET Organization/{id}); id is
// Organization.ID (shortName.id) from List.
//
// API doc: https://documentation.commvault.com/v11/software/rest_api_get_organization_details.html
func (s *OrganizationsService) Get(ctx context.Context, id int) (*OrganizationInfo, *Response, error) {
	if id < 0 {
		return nil, nil, invalidArgument("organization id %d is negative", id)
	}
	var env infoEnvelope
	resp, err := s.c.do(ctx, s.c.request(http.MethodGet, "Organization", strconv.Itoa(id)), infoDecoder(&env))
	if err != nil {
		return nil, resp, err
	}
	return env.Info.result(), resp, nil
}

// DefaultPlan returns an organization's default plans
// (GET Organization/{id}/defaultplan); id 0 addresses the CommCell itself.
// Plans is empty when no default plan is set.
//
// API doc: https://documentation.commvault.com/2024e/commcell-console/rest_api_get_organization_default_plan.html
func (s *OrganizationsService) DefaultPlan(ctx context.Context, id int) (*DefaultPlans, *Response, error) {
	if id < 0 {
		return nil, nil, invalidArgument("organization id %d is negative", id)
	}
	var env infoEnvelope
	resp, err := s.c.do(ctx, s.c.request(http.MethodGet, "Organization", strconv.Itoa(id), "defaultplan"), infoDecoder(&env))
	if err != nil {
		return nil, resp, err
	}
	plans := env.Info.Properties.DefaultPlans
	if plans == nil {
		plans = []DefaultPlan{}
	}
	return &DefaultPlans{Organization: *env.Info.Organization.result(), Plans: plans}, resp, nil
}
