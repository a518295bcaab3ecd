package commvault

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// OrganizationInput is a new company (tenant), what Create sends.
//
// API doc: https://api.commvault.com/docs/SP36/api/cv/Organizationoperations/create-a-company
type OrganizationInput struct {
	// Name is the company's display name (connectName); required. The
	// server refuses a name another company has.
	Name string
	// Alias is the company's alias (shortName.domainName), the domain or
	// NetBIOS name its users log in with ("alias\\user"); required.
	Alias string
	// EmailDomains are the SMTP domains of the company's users
	// (emailDomainNames); none by default.
	EmailDomains []string
	// PrimaryContacts are the company's contacts; each needs a FullName
	// and an Email (User is ignored). None by default.
	PrimaryContacts []Contact
	// PrimaryDomain is the company's primary (external) domain name;
	// empty by default (no primary domain).
	PrimaryDomain string
	// EnableAutoDiscovery lets the company's clients be discovered
	// automatically; false by default.
	EnableAutoDiscovery bool
	// Plans are the plans the company may use, each by PlanID or by
	// PlanName (the server goes by the id when both are set); none by
	// default.
	Plans []PlanRef
	// SendWelcomeEmail sends the primary contacts a welcome email
	// (sendEmail); false by default.
	SendWelcomeEmail bool
}

// CreatedOrganization is what Create answers: the new company's id (the
// one Get, Update and the other calls take), alias and GUID, from the
// answer's response.entity.
//
// API doc: https://api.commvault.com/docs/SP36/api/cv/Organizationoperations/create-a-company
type CreatedOrganization struct {
	// ID is response.entity.providerId.
	ID int `json:"id"`
	// Alias is response.entity.providerDomainName.
	Alias string `json:"alias"`
	// GUID is response.entity.GUID.
	GUID string `json:"guid"`
}

// createRequest is POST Organization's body. The XML root's name is not
// published (App_CreateOrganizationRequest is this package's); Commvault
// reads the elements below the root.
type createRequest struct {
	XMLName   xml.Name   `json:"-" xml:"App_CreateOrganizationRequest"`
	Info      createInfo `json:"organizationInfo" xml:"organizationInfo"`
	SendEmail bool       `json:"sendEmail,omitempty" xml:"sendEmail,attr,omitempty"`
}

type createInfo struct {
	Organization createOrg        `json:"organization" xml:"organization"`
	Properties   createProps      `json:"organizationProperties" xml:"organizationProperties"`
	PlanDetails  []planDetailWire `json:"planDetails,omitempty" xml:"planDetails"`
}

type createOrg struct {
	ConnectName      string    `json:"connectName" xml:"connectName,attr"`
	EmailDomainNames []string  `json:"emailDomainNames,omitempty" xml:"emailDomainNames"`
	ShortName        aliasWire `json:"shortName" xml:"shortName"`
}

type aliasWire struct {
	DomainName string `json:"domainName" xml:"domainName,attr"`
}

type contactWire struct {
	FullName string `json:"fullName" xml:"fullName,attr"`
	Email    string `json:"email" xml:"email,attr"`
}

type createProps struct {
	EnableAutoDiscovery bool          `json:"enableAutoDiscovery" xml:"enableAutoDiscovery,attr"`
	PrimaryDomain       string        `json:"primaryDomain,omitempty" xml:"primaryDomain,attr,omitempty"`
	PrimaryContacts     []contactWire `json:"primaryContacts,omitempty" xml:"primaryContacts"`
}

// createEntity is response.entity of the create answer.
type createEntity struct {
	ProviderID         Int    `json:"providerId" xml:"providerId,attr"`
	ProviderDomainName string `json:"providerDomainName" xml:"providerDomainName,attr"`
	GUID               string `json:"GUID" xml:"GUID,attr"`
}

type createResponse struct {
	Entity *createEntity `json:"entity" xml:"entity"`
}

// createEnvelope is the create answer. In JSON, response is the embedded
// errFields' own (so its errorCode is checked) and is read again for the
// entity; in XML, XMLResponse reads it (the guard of decodeBody checks its
// errorCode).
type createEnvelope struct {
	errFields
	XMLResponse *createResponse `json:"-" xml:"response"`
}

func (in *OrganizationInput) wire() (*createRequest, error) {
	if in == nil {
		return nil, invalidArgument("nil organization input")
	}
	name, alias := strings.TrimSpace(in.Name), strings.TrimSpace(in.Alias)
	if name == "" {
		return nil, invalidArgument("organization name is required and must not be blank")
	}
	if alias == "" {
		return nil, invalidArgument("organization alias is required and must not be blank")
	}
	req := &createRequest{SendEmail: in.SendWelcomeEmail}
	req.Info.Organization = createOrg{ConnectName: name, ShortName: aliasWire{DomainName: alias}}
	for i, d := range in.EmailDomains {
		d = strings.TrimSpace(d)
		if d == "" || strings.Contains(d, "@") {
			return nil, invalidArgument("EmailDomains[%d] %q is not a domain name", i, d)
		}
		req.Info.Organization.EmailDomainNames = append(req.Info.Organization.EmailDomainNames, d)
	}
	req.Info.Properties = createProps{EnableAutoDiscovery: in.EnableAutoDiscovery, PrimaryDomain: strings.TrimSpace(in.PrimaryDomain)}
	for i, ct := range in.PrimaryContacts {
		full, email := strings.TrimSpace(ct.FullName), strings.TrimSpace(ct.Email)
		switch {
		case full == "":
			return nil, invalidArgument("PrimaryContacts[%d]: full name is required", i)
		case !strings.Contains(email, "@"):
			return nil, invalidArgument("PrimaryContacts[%d]: email %q has no @", i, email)
		}
		req.Info.Properties.PrimaryContacts = append(req.Info.Properties.PrimaryContacts, contactWire{FullName: full, Email: email})
	}
	plans, err := planWires("Plans", in.Plans)
	if err != nil {
		return nil, err
	}
	if len(plans) > 0 {
		req.Info.PlanDetails = plans
	}
	return req, nil
}

// Create creates a company (POST Organization) and returns its id, alias
// and GUID. The input is checked before any I/O: a nil input, a blank
// name or alias, a contact without a full name or an email, or a plan
// with neither id nor name is an error matching ErrInvalidArgument.
//
// The server refuses a name or alias that another company has inside an
// HTTP 200 answer; that refusal is an *APIError matching ErrConflict (its
// Code is the server's errorCode). A plan that does not exist is an
// *APIError too. Create is a write: it is never sent twice (see the
// package doc).
//
// API doc: https://api.commvault.com/docs/SP36/api/cv/Organizationoperations/create-a-company
func (s *OrganizationsService) Create(ctx context.Context, in *OrganizationInput) (*CreatedOrganization, *Response, error) {
	req, err := in.wire()
	if err != nil {
		return nil, nil, err
	}
	var ent createEntity
	resp, err := s.c.write(ctx, writeCreate, http.MethodPost, nil, req, func(_ *http.Response, body []byte) error {
		var env createEnvelope
		ent = createEntity{}
		if err := decodeBody(body, &env, false); err != nil {
			return err
		}
		var found *createEntity
		if env.XMLResponse != nil {
			found = env.XMLResponse.Entity
		} else if raw := bytes.TrimSpace(env.Response); len(raw) > 0 && raw[0] == '{' {
			var r createResponse
			if json.Unmarshal(raw, &r) == nil {
				found = r.Entity
			}
		}
		if found == nil || found.ProviderID <= 0 {
			return missing("response.entity.providerId", body)
		}
		ent = *found
		return nil
	}, "Organization")
	if err != nil {
		return nil, resp, err
	}
	return &CreatedOrganization{ID: int(ent.ProviderID), Alias: ent.ProviderDomainName, GUID: ent.GUID}, resp, nil
}
