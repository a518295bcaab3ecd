package jsonapi

import (
	"context"
	"net/http"
	"strings"
)

// OrganizationInput is the body of an organization create: only the
// attributes set are sent. MPDX's admin endpoint permits these three; it
// fills in the rest (an offline organization) itself.
//
// API doc: MPDX API, Admin > Organizations [CREATE] (api_practice: app/controllers/api/v2/admin/organizations_controller.rb)
type OrganizationInput struct {
	// Name is the organization's name; required, not blank.
	Name Optional[string]
	// OrgHelpURL is the URL of the organization's help page.
	OrgHelpURL Optional[string]
	// Country is the organization's primary country.
	Country Optional[string]
}

func (in *OrganizationInput) validate() error {
	if in == nil {
		return invalidArgument("organization input is nil")
	}
	name, ok := in.Name.Get()
	if !ok || strings.TrimSpace(name) == "" {
		return invalidArgument("organization name is required and must not be blank")
	}
	return nil
}

func (in *OrganizationInput) document() ([]byte, error) {
	a := attrs{}
	put(a, "name", in.Name)
	put(a, "org_help_url", in.OrgHelpURL)
	put(a, "country", in.Country)
	return requestDocument(resourceObject{Type: resourceType, Attributes: a})
}

// Create creates an organization with POST /admin/organizations, which
// MPDX allows admin users only: anyone else gets a 403, matching
// ErrForbidden. It returns the created organization from the 201
// document. The request is sent once: a failure after it may have reached
// the server is returned, never retried, so an organization is never
// created twice.
//
// API doc: MPDX API, Admin > Organizations [CREATE]; https://jsonapi.org/format/#crud-creating
func (s *OrganizationsService) Create(ctx context.Context, in *OrganizationInput) (*Organization, *Response, error) {
	if err := in.validate(); err != nil {
		return nil, nil, err
	}
	doc, err := in.document()
	if err != nil {
		return nil, nil, err
	}
	var out *OrganizationDocument
	resp, err := s.c.write(ctx, http.MethodPost, doc, func(r *http.Response, body []byte) error {
		var err error
		out, err = decodeOne(body, r.StatusCode)
		return err
	}, "admin", "organizations")
	if err != nil {
		return nil, resp, err
	}
	return out.Organization, resp, nil
}
