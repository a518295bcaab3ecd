package rservicetest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// org is the fake's record: the wire fields plus the hidden facts the views
// select on.
type org struct {
	ID              int64
	Name            string
	Source          *string
	SourceID        *string
	FinancialID     *string
	Region          *string
	Remarks         *string
	PictureURI      *string
	Disabled        bool
	BusinessUnit    bool
	ParentID        *int64
	ManagerID       *int64
	SubstituteID    *int64
	OrderTemplateID *int64
	BusinessUnitOrg *int64
	Addresses       []map[string]any
	Contacts        []map[string]any
	CustomFields    json.RawMessage
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Hidden: what the predefined filters look at.
	External  bool
	Trusted   bool
	Directory bool
}

// defaultListFields are the fields a collection returns without ?fields=.
var defaultListFields = []string{"id", "sourceID", "name", "parent", "manager", "created_at", "updated_at"}

// allFields are the fields of a single organization, and what ?fields= may
// name.
var allFields = map[string]bool{
	"addresses": true, "business_unit": true, "business_unit_organization": true, "contacts": true,
	"created_at": true, "custom_fields": true, "disabled": true, "financialID": true, "id": true,
	"manager": true, "name": true, "order_template": true, "parent": true, "picture_uri": true,
	"region": true, "remarks": true, "source": true, "sourceID": true, "substitute": true,
	"ui_extension": true, "updated_at": true, "attachments": true,
}

var cst = time.FixedZone("-05:00", -5*3600)

func ptr[T any](v T) *T { return &v }

// seed fills the store with the people and request templates references
// name and, unless WithoutSeed, the seed document's Widget organizations
// (a hierarchy with parents, managers and a business unit) and 60
// generated ones. Callers hold s.mu or own s alone.
func (s *Server) seed() {
	s.people = map[int64]string{
		6:   "Howard Tanner",
		120: "Carolyn Goldrat",
		121: "Buck Kreuter",
		122: "Ellen Brown",
		123: "Dwight Schuster",
	}
	s.templates = map[int64]string{30: "Purchase request", 31: "New hire"}
	s.clear()
	s.nextSubID = firstSubID
	if s.noSeed {
		return
	}
	created := time.Date(2016, 3, 22, 21, 2, 50, 0, cst)
	add := func(o *org) { s.orgs[o.ID] = o }
	add(&org{ID: 6, Name: "Widget Data Center", ManagerID: ptr[int64](6), Trusted: true,
		OrderTemplateID: ptr[int64](30), CreatedAt: created, UpdatedAt: created,
		Contacts: []map[string]any{{"id": 220, "label": "general", "email": "info@widget.com", "nodeID": nodeID("Contact", 220)}}})
	add(&org{ID: 51, Name: "Widget North America, Inc.", ManagerID: ptr[int64](120), BusinessUnit: true,
		BusinessUnitOrg: ptr[int64](51), Region: ptr("NA"), FinancialID: ptr("WNA-0001"), Trusted: true,
		CreatedAt: created, UpdatedAt: created})
	add(&org{ID: 44, Name: "Widget Data Center, External IT", ParentID: ptr[int64](6), ManagerID: ptr[int64](6),
		External: true, CreatedAt: created, UpdatedAt: time.Date(2016, 3, 25, 16, 54, 52, 0, cst)})
	add(&org{ID: 50, Name: "Widget North America, Finance", ParentID: ptr[int64](51), ManagerID: ptr[int64](120),
		SubstituteID: ptr[int64](121), BusinessUnitOrg: ptr[int64](51), Region: ptr("NA"),
		Remarks:   ptr("The Finance department of Widget North America, Inc. is responsible for purchasing, accounting, and invoicing within Widget North America, Inc."),
		CreatedAt: created, UpdatedAt: time.Date(2016, 3, 22, 21, 3, 36, 0, cst),
		Addresses: []map[string]any{{"address": "1172 Park Avenue", "city": "New York", "country": "US", "id": 71,
			"integration": false, "label": "street", "state": "NY", "zip": "10128", "nodeID": nodeID("Address", 71)}},
		Contacts: []map[string]any{
			{"id": 225, "label": "general", "telephone": "+1 (212) 369 2610", "nodeID": nodeID("Contact", 225)},
			{"id": 226, "label": "fax", "telephone": "+1 (212) 369 2611", "nodeID": nodeID("Contact", 226)},
			{"id": 227, "label": "general", "website": "www.widget.com", "nodeID": nodeID("Contact", 227)},
		}})
	managers := []int64{6, 120, 121, 122, 123}
	base := time.Date(2016, 4, 1, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 60; i++ {
		o := &org{
			ID:        int64(100 + i),
			Name:      fmt.Sprintf("Generated Organization %03d", i),
			ManagerID: ptr(managers[i%len(managers)]),
			Disabled:  i%5 == 0,
			External:  i%3 == 0,
			Trusted:   i%4 == 0,
			Directory: i%7 == 0,
			CreatedAt: base.Add(time.Duration(i) * 24 * time.Hour),
			UpdatedAt: base.Add(time.Duration(i)*24*time.Hour + time.Duration(i)*time.Hour),
		}
		if i%2 == 0 {
			o.ParentID = ptr[int64](6)
		} else {
			o.ParentID = ptr[int64](51)
		}
		if i%10 == 0 {
			o.ParentID = nil
		}
		if i%4 == 1 {
			o.SubstituteID = ptr[int64](6)
		}
		if i%3 == 1 {
			o.SourceID = ptr(fmt.Sprintf("gen-%03d", i))
			o.Source = ptr("importer")
		}
		if i%6 == 0 {
			o.FinancialID = ptr(fmt.Sprintf("FIN-%03d", i))
		}
		if i%2 == 1 {
			o.Remarks = ptr(fmt.Sprintf("Generated record %d, for tests.", i))
		}
		s.orgs[o.ID] = o
	}
}

// nodeID is the fake's GraphQL id of a record: made up (the platform's
// are opaque base64 text too), the same for the same record every time.
func nodeID(kind string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("orgsdk-fake/" + kind + "/" + strconv.FormatInt(id, 10)))
}

// accountName is the name the fake gives its account.
const accountName = "Widget Data Center"

// account is the account o lives in, as a live tenant sends it on every
// organization: the directory account for the directory's organizations,
// the server's own for the rest.
func (s *Server) account(o *org) map[string]any {
	if o.Directory {
		return map[string]any{"id": "widget-dir", "name": "Widget Directory"}
	}
	return map[string]any{"id": s.Account, "name": accountName}
}

// orgRef renders a reference to an organization, or nil: id and name, and
// what a live tenant adds (account, nodeID; disabled and sourceID when
// set).
func (s *Server) orgRef(id *int64) any {
	if id == nil {
		return nil
	}
	m := map[string]any{"id": *id, "nodeID": nodeID("Organization", *id)}
	if o, ok := s.orgs[*id]; ok {
		m["name"] = o.Name
		m["account"] = s.account(o)
		if o.Disabled {
			m["disabled"] = true
		}
		if o.SourceID != nil {
			m["sourceID"] = *o.SourceID
		}
	}
	return m
}

// namedRef renders a reference to a person or a request template, or nil.
func (s *Server) namedRef(kind string, names map[int64]string, id *int64) any {
	if id == nil {
		return nil
	}
	return map[string]any{"id": *id, "name": names[*id], "nodeID": nodeID(kind, *id),
		"account": map[string]any{"id": s.Account, "name": accountName}}
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// render returns the wire form of o: every field, or id plus fields.
func (s *Server) render(o *org, fields []string) map[string]any {
	full := map[string]any{
		"id":                         o.ID,
		"name":                       o.Name,
		"source":                     strOrNil(o.Source),
		"sourceID":                   strOrNil(o.SourceID),
		"financialID":                strOrNil(o.FinancialID),
		"region":                     strOrNil(o.Region),
		"remarks":                    strOrNil(o.Remarks),
		"picture_uri":                strOrNil(o.PictureURI),
		"disabled":                   o.Disabled,
		"business_unit":              o.BusinessUnit,
		"business_unit_organization": s.orgRef(o.BusinessUnitOrg),
		"parent":                     s.orgRef(o.ParentID),
		"manager":                    s.namedRef("Person", s.people, o.ManagerID),
		"substitute":                 s.namedRef("Person", s.people, o.SubstituteID),
		"order_template":             s.namedRef("RequestTemplate", s.templates, o.OrderTemplateID),
		"ui_extension":               nil,
		"addresses":                  nonNil(o.Addresses),
		"contacts":                   nonNil(o.Contacts),
		"attachments":                []any{},
		"custom_fields":              rawOrNil(o.CustomFields),
		"created_at":                 o.CreatedAt.Format(time.RFC3339),
		"updated_at":                 o.UpdatedAt.Format(time.RFC3339),
		"account":                    s.account(o),
		"nodeID":                     nodeID("Organization", o.ID),
		"end_user_privacy":           false,
		"permitted_customers":        []any{},
	}
	if fields == nil {
		return full
	}
	// Like id, account and nodeID come whatever ?fields= says (the live
	// tenant's recorded answers to a ?fields= list carry them).
	out := map[string]any{"id": o.ID, "account": full["account"], "nodeID": full["nodeID"]}
	for _, f := range fields {
		if v, ok := full[f]; ok {
			out[f] = v
		}
	}
	return out
}

func nonNil(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func rawOrNil(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return r
}
