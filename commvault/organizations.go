package commvault

import (
	"context"
	"encoding/xml"
	"iter"
	"net/http"
	"strconv"

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

// ListOptions would narrow List. Commvault's GET Organization answers
// every organization the user can see in one answer and documents no
// filter or paging parameter, so it has no fields: it exists so that List
// and All have the same signatures in every orgsdk provider. Pass nil.
type ListOptions struct{}

// OrganizationList is the answer of List. Commvault does not page it, so
// Items is every organization and Total is len(Items); there is no cursor.
type OrganizationList struct {
	Items []*Organization `json:"items"`
	Total int             `json:"total"`
}

// List returns every organization the user can see (GET Organization).
// opts may be nil; see ListOptions.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*OrganizationList, *Response, error) {
	_ = opts // no documented parameters; see ListOptions
	var env listEnvelope
	resp, err := s.c.do(ctx, s.c.request(http.MethodGet, "Organization"), decoder(&env))
	if err != nil {
		return nil, resp, err
	}
	items := make([]*Organization, len(env.Providers))
	for i := range env.Providers {
		items[i] = env.Providers[i].result()
	}
	return &OrganizationList{Items: items, Total: len(items)}, resp, nil
}

// All ranges over every organization the user can see, as All does in
// every orgsdk provider. Commvault sends them in one answer, so the range
// makes one GET Organization when it starts (none before) and yields its
// items; a failure is yielded once and ends the range. Each range starts
// again with a new request. opts may be nil; see ListOptions.
//
// A walk here is one request, so it always ends after it: the page cap
// other providers take in ListOptions.MaxPages is one page here, fixed,
// and what that one answer may hold is bounded by WithMaxBodyBytes. An
// HTML page, or a body that is not the format its Content-Type names, is
// a DecodeError, never an empty list.
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	return transport.Iterate(ctx, provider, "", false, func(ctx context.Context, _ string) (transport.Page[*Organization], error) {
		list, _, err := s.List(ctx, opts)
		if err != nil {
			return transport.Page[*Organization]{}, err
		}
		return transport.Page[*Organization]{Items: list.Items}, nil
	})
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
