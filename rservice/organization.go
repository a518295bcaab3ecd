package rservice

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Organization is an organization record. Blank fields come back as null
// (nil pointers here); fields left out of a ?fields= selection are zero.
// Times keep the offset the API sent.
//
// API docs: https://developer.4me.com/v1/organizations/#fields
type Organization struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Source   *string `json:"source,omitempty"`
	SourceID *string `json:"sourceID"`
	// FinancialID is the organization's identifier in the financial system.
	FinancialID *string `json:"financialID,omitempty"`
	Disabled    bool    `json:"disabled"`
	// BusinessUnit marks an internal organization treated as a separate
	// entity for reporting.
	BusinessUnit bool `json:"business_unit"`
	// BusinessUnitOrganization is the organization itself when it is a
	// business unit, else the business unit it belongs to.
	BusinessUnitOrganization *Reference   `json:"business_unit_organization,omitempty"`
	Parent                   *Reference   `json:"parent"`
	Manager                  *Reference   `json:"manager"`
	Substitute               *Reference   `json:"substitute,omitempty"`
	OrderTemplate            *Reference   `json:"order_template,omitempty"`
	UIExtension              *Reference   `json:"ui_extension,omitempty"`
	Region                   *string      `json:"region,omitempty"`
	Remarks                  *string      `json:"remarks,omitempty"`
	PictureURI               *string      `json:"picture_uri,omitempty"`
	Addresses                []Address    `json:"addresses,omitempty"`
	Contacts                 []Contact    `json:"contacts,omitempty"`
	Attachments              []Attachment `json:"attachments,omitempty"`
	// CustomFields are the values of the UI extension's custom fields.
	CustomFields []CustomField `json:"custom_fields,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	// Account is the 4me account the organization lives in; a live tenant
	// sends it on every organization (nil when it did not).
	Account *Account `json:"account,omitempty"`
	// NodeID is the record's id in the platform's GraphQL API; nil when
	// the answer did not carry it.
	NodeID *string `json:"nodeID,omitempty"`
	// EndUserPrivacy hides the organization's people from one another in
	// the self-service portal; nil when the answer did not carry it.
	EndUserPrivacy *bool `json:"end_user_privacy,omitempty"`
	// PermittedCustomers is kept as the raw JSON the API sent (an array
	// whose element shape is not documented yet); nil when absent.
	PermittedCustomers json.RawMessage `json:"permitted_customers,omitempty"`
}

// Reference is how the API points at another record (an organization, a
// person, a request template): {"id": 6, "name": "Widget Data Center"},
// sometimes with the account it lives in and more.
//
// API docs: https://developer.4me.com/v1/general/field_types/
type Reference struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name,omitempty"`
	Account  *Account `json:"account,omitempty"`
	Disabled *bool    `json:"disabled,omitempty"`
	SourceID *string  `json:"sourceID,omitempty"`
	NodeID   *string  `json:"nodeID,omitempty"`
}

// Account names the 4me account a referenced record belongs to.
type Account struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Address is a street, mailing or billing address (Label says which).
//
// API docs: https://developer.4me.com/v1/organizations/addresses/
type Address struct {
	ID          int64  `json:"id"`
	Label       string `json:"label"`
	Address     string `json:"address,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	Zip         string `json:"zip,omitempty"`
	Country     string `json:"country,omitempty"`
	Integration bool   `json:"integration"`
	// NodeID is the record's GraphQL id; nil when not sent.
	NodeID *string `json:"nodeID,omitempty"`
	// Account is the account the record lives in; nil when not sent.
	Account *Account `json:"account,omitempty"`
}

// Contact is a telephone number, email address or website. On the wire
// the protocol is the key that holds the value:
// {"id": 225, "label": "general", "telephone": "+1 (212) 369 2610"}.
//
// API docs: https://developer.4me.com/v1/organizations/contacts/
type Contact struct {
	ID    int64
	Label string
	// Protocol is "telephone", "email", "website" or another key the API
	// used; Value is what it held.
	Protocol string
	Value    string
	// Integration marks a contact maintained by an integration.
	Integration bool
	// NodeID is the record's GraphQL id; nil when not sent.
	NodeID *string
	// Account is the account the record lives in; nil when not sent.
	Account *Account
}

// Contact protocols the API documents.
const (
	ProtocolTelephone = "telephone"
	ProtocolEmail     = "email"
	ProtocolWebsite   = "website"
)

var contactFixed = map[string]bool{"id": true, "label": true, "integration": true, "nodeID": true, "account": true}

// UnmarshalJSON reads the protocol from whichever key is not id, label or
// integration; with several such keys the documented protocols win, then
// the alphabetically first.
func (c *Contact) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*c = Contact{}
		return nil
	}
	var out Contact
	if v, ok := raw["id"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &out.ID); err != nil {
			return transport.AtPath("id", err)
		}
	}
	if v, ok := raw["label"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &out.Label); err != nil {
			return transport.AtPath("label", err)
		}
	}
	if v, ok := raw["integration"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &out.Integration); err != nil {
			return transport.AtPath("integration", err)
		}
	}
	if v, ok := raw["nodeID"]; ok && !isNull(v) {
		out.NodeID = new(string)
		if err := json.Unmarshal(v, out.NodeID); err != nil {
			return transport.AtPath("nodeID", err)
		}
	}
	if v, ok := raw["account"]; ok && !isNull(v) {
		out.Account = new(Account)
		if err := json.Unmarshal(v, out.Account); err != nil {
			return transport.AtPath("account", err)
		}
	}
	var keys []string
	for k := range raw {
		if !contactFixed[k] {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		ri, rj := protocolRank(keys[i]), protocolRank(keys[j])
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 0 {
		out.Protocol = keys[0]
		if v := raw[keys[0]]; !isNull(v) {
			if err := json.Unmarshal(v, &out.Value); err != nil {
				return transport.AtPath(keys[0], err)
			}
		}
	}
	*c = out
	return nil
}

func protocolRank(k string) int {
	switch k {
	case ProtocolTelephone, ProtocolEmail, ProtocolWebsite:
		return 0
	}
	return 1
}

// MarshalJSON writes the wire form, with the protocol as the key.
func (c Contact) MarshalJSON() ([]byte, error) {
	m := map[string]any{"id": c.ID, "label": c.Label}
	if c.Integration {
		m["integration"] = true
	}
	if c.NodeID != nil {
		m["nodeID"] = *c.NodeID
	}
	if c.Account != nil {
		m["account"] = c.Account
	}
	if c.Protocol != "" {
		if contactFixed[c.Protocol] {
			return nil, errors.New("contact protocol collides with a fixed key")
		}
		m[c.Protocol] = c.Value
	}
	return json.Marshal(m)
}

// Attachment is a file attached to the organization.
//
// API docs: https://developer.4me.com/v1/general/attachments/
type Attachment struct {
	ID          int64  `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	Key         string `json:"key,omitempty"`
	Size        int64  `json:"size,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
	URI         string `json:"uri,omitempty"`
}

// CustomField is one value of a UI extension's custom fields: its id in the
// extension and a JSON value whose type the extension defines.
//
// API docs: https://developer.4me.com/v1/general/custom_fields/
type CustomField struct {
	ID    string          `json:"id"`
	Value json.RawMessage `json:"value"`
}

// OrganizationInput is the body of Create and Update. Every field is
// Optional: left out unless Set, or cleared with Null. References are
// written by id (parent_id, manager_id, ...).
//
// API docs: https://developer.4me.com/v1/organizations/#fields
type OrganizationInput struct {
	// Name is required on Create (max 128 characters).
	Name         Optional[string] `json:"name,omitzero"`
	BusinessUnit Optional[bool]   `json:"business_unit,omitzero"`
	Disabled     Optional[bool]   `json:"disabled,omitzero"`
	FinancialID  Optional[string] `json:"financialID,omitzero"`
	// ParentID is the parent organization's id.
	ParentID Optional[int64] `json:"parent_id,omitzero"`
	// ManagerID and SubstituteID are people's ids.
	ManagerID    Optional[int64] `json:"manager_id,omitzero"`
	SubstituteID Optional[int64] `json:"substitute_id,omitzero"`
	// OrderTemplateID is a request template's id.
	OrderTemplateID Optional[int64]         `json:"order_template_id,omitzero"`
	PictureURI      Optional[string]        `json:"picture_uri,omitzero"`
	Region          Optional[string]        `json:"region,omitzero"`
	Remarks         Optional[string]        `json:"remarks,omitzero"`
	Source          Optional[string]        `json:"source,omitzero"`
	SourceID        Optional[string]        `json:"sourceID,omitzero"`
	CustomFields    Optional[[]CustomField] `json:"custom_fields,omitzero"`
	// RemarksAttachments are files already uploaded to the account's
	// attachment storage that Remarks uses; nil sends none. They are write
	// only: reads never return them.
	RemarksAttachments []AttachmentInput `json:"remarks_attachments,omitempty"`
	// CustomFieldsAttachments are the uploaded files CustomFields refer
	// to; nil sends none. Write only, like RemarksAttachments.
	CustomFieldsAttachments []AttachmentInput `json:"custom_fields_attachments,omitempty"`
}

// AttachmentInput points a write at a file already uploaded to the
// account's attachment storage: the storage key the upload returned, the
// file's size, and whether a rich-text field shows it inline (the text
// then refers to it as ![](key)). The wire shape is the one the official
// 4me SDKs send: {"key": "...", "filesize": 12345, "inline": true}.
//
// API docs: https://developer.4me.com/v1/general/attachments/
type AttachmentInput struct {
	// Key is required: the storage key of the uploaded file.
	Key string `json:"key"`
	// FileSize is the file's size in bytes; 0 leaves it out.
	FileSize int64 `json:"filesize,omitempty"`
	// Inline marks an image shown inside the rich-text field.
	Inline bool `json:"inline,omitempty"`
}

// validate checks what the API documents, before any I/O.
func (in *OrganizationInput) validate(create bool) error {
	if in == nil {
		return invalidArgument("nil OrganizationInput")
	}
	if create {
		if name, ok := in.Name.Get(); !ok || name == "" {
			return invalidArgument("name is required")
		}
		// The API requires a request template for purchases on every
		// organization; checking here saves a request that can only fail
		// with a 422.
		if _, ok := in.OrderTemplateID.Get(); !ok {
			return invalidArgument("order_template_id is required on create (the request template used for purchases)")
		}
	} else if isEmptyInput(in) {
		return invalidArgument("nothing to update")
	}
	if in.Name.IsNull() {
		return invalidArgument("name cannot be cleared")
	}
	texts := []struct {
		name string
		v    Optional[string]
		max  int
	}{
		{"name", in.Name, 128}, {"financialID", in.FinancialID, 128}, {"region", in.Region, 128},
		{"remarks", in.Remarks, 64 << 10}, {"source", in.Source, 30}, {"sourceID", in.SourceID, 128},
		{"picture_uri", in.PictureURI, 64 << 10},
	}
	for _, t := range texts {
		v, ok := t.v.Get()
		if !ok {
			continue
		}
		if t.name == "name" && v == "" {
			return invalidArgument("name cannot be blank")
		}
		if n := len([]rune(v)); n > t.max {
			return invalidArgument("%s is %d characters long; the API takes at most %d", t.name, n, t.max)
		}
	}
	ids := []struct {
		name string
		v    Optional[int64]
	}{{"parent_id", in.ParentID}, {"manager_id", in.ManagerID}, {"substitute_id", in.SubstituteID}, {"order_template_id", in.OrderTemplateID}}
	for _, r := range ids {
		if v, ok := r.v.Get(); ok && v <= 0 {
			return invalidArgument("%s %d is not a valid id (use Null to clear it)", r.name, v)
		}
	}
	attachments := []struct {
		name string
		v    []AttachmentInput
	}{{"remarks_attachments", in.RemarksAttachments}, {"custom_fields_attachments", in.CustomFieldsAttachments}}
	for _, a := range attachments {
		for i, at := range a.v {
			if strings.TrimSpace(at.Key) == "" {
				return invalidArgument("%s[%d] has no key", a.name, i)
			}
			if at.FileSize < 0 {
				return invalidArgument("%s[%d] has a negative filesize", a.name, i)
			}
		}
	}
	if cfs, ok := in.CustomFields.Get(); ok {
		for i, cf := range cfs {
			if cf.ID == "" {
				return invalidArgument("custom field %d has no id", i)
			}
			if len(cf.Value) > 0 && !json.Valid(cf.Value) {
				return invalidArgument("custom field %q has a value that is not JSON", cf.ID)
			}
		}
	}
	return nil
}

func isEmptyInput(in *OrganizationInput) bool {
	b, err := json.Marshal(in)
	return err == nil && bytes.Equal(b, []byte("{}"))
}

func isNull(b json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }
