package commvaulttest

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The company lifecycle (issue 20), as a CommCell runs it: POST
// Organization creates a company (names and aliases are unique, in any
// case), PUT Organization?organizationId={id} renames it and adds,
// removes or replaces its plans and default plans, POST
// Organization/{id}/action/deactivate and .../activate change its state,
// DELETE Organization/{id} deletes it once deactivated (an active one is
// refused), and GET Tags/PROVIDER_ENTITY/{id} and PUT Tags read and set
// its tags. Every refusal is answered inside HTTP 200, as the real server
// does; a company that does not exist is "Organization [N] does not
// exist" with errorCode 2, the answer of GET Organization/{id}.

// catalogue is the CommCell's plans: the ones the seed uses and a
// database plan no seeded company has.
var catalogue = []defaultPlanW{
	{Subtype: subtypeLaptop, Plan: laptopPlan},
	{Subtype: subtypeServer, Plan: serverPlan},
	{Subtype: subtypeDatabase, Plan: databasePlan},
}

const subtypeDatabase = 33579013

var databasePlan = planW{PlanName: "Database plan", PlanID: 3}

// companyEntity is a company's entity type in the Tags API.
const companyEntity = 61

// opW is an operation type, sent as a number (1 OVERWRITE, 2 ADD,
// 3 DELETE) or by its name.
type opW int

func (o *opW) set(s string) error {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "0", "NONE":
		*o = 0
	case "1", "OVERWRITE":
		*o = 1
	case "2", "ADD":
		*o = 2
	case "3", "DELETE":
		*o = 3
	default:
		return fmt.Errorf("unknown operation type %q", s)
	}
	return nil
}

func (o *opW) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		return o.set(s)
	}
	return o.set(string(b))
}

func (o *opW) UnmarshalXMLAttr(a xml.Attr) error { return o.set(a.Value) }

type planRefW struct {
	PlanName string `json:"planName" xml:"planName,attr"`
	PlanID   int    `json:"planId" xml:"planId,attr"`
}

type planItemW struct {
	Plan planRefW `json:"plan" xml:"plan"`
}

// orgWriteReq is the body of POST and PUT Organization.
type orgWriteReq struct {
	Info struct {
		Organization struct {
			ConnectName      string   `json:"connectName" xml:"connectName,attr"`
			EmailDomainNames []string `json:"emailDomainNames" xml:"emailDomainNames"`
			ShortName        struct {
				DomainName string `json:"domainName" xml:"domainName,attr"`
			} `json:"shortName" xml:"shortName"`
		} `json:"organization" xml:"organization"`
		Properties struct {
			EnableAutoDiscovery       bool        `json:"enableAutoDiscovery" xml:"enableAutoDiscovery,attr"`
			PrimaryDomain             string      `json:"primaryDomain" xml:"primaryDomain,attr"`
			PrimaryContacts           []contactW  `json:"primaryContacts" xml:"primaryContacts"`
			DefaultPlansOperationType opW         `json:"defaultPlansOperationType" xml:"defaultPlansOperationType,attr"`
			DefaultPlans              []planItemW `json:"defaultPlans" xml:"defaultPlans"`
		} `json:"organizationProperties" xml:"organizationProperties"`
		PlanDetailsOperationType opW         `json:"planDetailsOperationType" xml:"planDetailsOperationType,attr"`
		PlanDetails              []planItemW `json:"planDetails" xml:"planDetails"`
	} `json:"organizationInfo" xml:"organizationInfo"`
	SendEmail      bool   `json:"sendEmail" xml:"sendEmail,attr"`
	NewAliasName   string `json:"newAliasName" xml:"newAliasName,attr"`
	NewCompanyName string `json:"newCompanyName" xml:"newCompanyName,attr"`
}

type deactivateReq struct {
	Options *struct {
		DisableBackup  bool `json:"disableBackup" xml:"disableBackup,attr"`
		DisableRestore bool `json:"disableRestore" xml:"disableRestore,attr"`
		DisableLogin   bool `json:"disableLogin" xml:"disableLogin,attr"`
	} `json:"deactivateOptions" xml:"deactivateOptions"`
}

type tagW struct {
	ID    int    `json:"id,omitempty" xml:"id,attr,omitempty"`
	Name  string `json:"name" xml:"name,attr"`
	Value string `json:"value" xml:"value,attr"`
}

type entityTagsW struct {
	EntityType int    `json:"entityType" xml:"entityType,attr"`
	EntityID   int    `json:"entityId" xml:"entityId,attr"`
	Tag        []tagW `json:"tag" xml:"tag"`
}

type setTagsReq struct {
	EntityTag []entityTagsW `json:"entityTag" xml:"entityTag"`
}

type tagsResp struct {
	XMLName xml.Name      `json:"-" xml:"App_GetEntityTagsResponse"`
	Tags    []entityTagsW `json:"tags,omitempty" xml:"tags"`
}

type entityW struct {
	GUID               string `json:"GUID" xml:"GUID,attr"`
	Type               int    `json:"_type_" xml:"_type_,attr"`
	ProviderID         int    `json:"providerId" xml:"providerId,attr"`
	ProviderDomainName string `json:"providerDomainName" xml:"providerDomainName,attr"`
}

type responseW struct {
	ErrorCode   int      `json:"errorCode" xml:"errorCode,attr"`
	ErrorString string   `json:"errorString,omitempty" xml:"errorString,attr,omitempty"`
	Entity      *entityW `json:"entity,omitempty" xml:"entity"`
}

// createResp is POST Organization's answer, as the REST reference shows
// it (processinginstructioninfo, then response with the new entity).
type createResp struct {
	XMLName    xml.Name   `json:"-" xml:"App_CreateOrganizationResponse"`
	Processing *procInfoW `json:"processinginstructioninfo,omitempty" xml:"processinginstructioninfo"`
	Response   responseW  `json:"response" xml:"response"`
}

type procInfoW struct {
	Attributes []struct {
		Name  string `json:"name" xml:"name,attr"`
		Value string `json:"value" xml:"value,attr"`
	} `json:"attributes" xml:"attributes"`
}

// actionResp is the answer of the deactivate and activate actions.
type actionResp struct {
	XMLName  xml.Name  `json:"-" xml:"App_GenericResponse"`
	Response responseW `json:"response" xml:"response"`
}

// lifecycle answers the lifecycle's requests and reports whether it did.
func (s *Server) lifecycle(w http.ResponseWriter, r *http.Request, parts []string, x bool) bool {
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "Organization") && r.Method == http.MethodPost:
		s.create(w, r, x)
	case len(parts) == 1 && strings.EqualFold(parts[0], "Organization") && r.Method == http.MethodPut:
		s.update(w, r, x)
	case len(parts) == 4 && strings.EqualFold(parts[0], "Organization") && strings.EqualFold(parts[2], "action") && r.Method == http.MethodPost:
		s.action(w, r, parts[1], strings.ToLower(parts[3]), x)
	case len(parts) == 2 && strings.EqualFold(parts[0], "Organization") && r.Method == http.MethodDelete:
		s.delete(w, parts[1], x)
	case len(parts) == 3 && strings.EqualFold(parts[0], "Tags") && strings.EqualFold(parts[1], "PROVIDER_ENTITY") && r.Method == http.MethodGet:
		s.tags(w, parts[2], x)
	case len(parts) == 1 && strings.EqualFold(parts[0], "Tags") && r.Method == http.MethodPut:
		s.setTags(w, r, x)
	default:
		return false
	}
	return true
}

// company returns the company the path's id names; it answers "does not
// exist" itself when there is none. Callers hold s.mu.
func (s *Server) company(w http.ResponseWriter, idText string, x bool) *record {
	id, err := strconv.Atoi(idText)
	o, ok := s.orgs[id]
	if err != nil || !ok || id == 0 {
		writeError(w, http.StatusOK, x, "flat", fmt.Sprintf("Organization [%s] does not exist", idText), 2)
		return nil
	}
	return o
}

// taken returns the company other than self with this name or alias, in
// any case. Callers hold s.mu.
func (s *Server) taken(self int, name, alias string) (what string, ok bool) {
	for id, o := range s.orgs {
		if id == self || id == 0 {
			continue
		}
		if name != "" && strings.EqualFold(o.name, name) {
			return fmt.Sprintf("Organization with name [%s] already exists", name), true
		}
		if alias != "" && strings.EqualFold(o.alias, alias) {
			return fmt.Sprintf("Organization with alias [%s] already exists", alias), true
		}
	}
	return "", false
}

// findPlan looks a plan up in the catalogue by id, else by name.
func findPlan(ref planRefW) (defaultPlanW, error) {
	for _, p := range catalogue {
		if (ref.PlanID != 0 && p.Plan.PlanID == ref.PlanID) || (ref.PlanID == 0 && ref.PlanName != "" && strings.EqualFold(p.Plan.PlanName, ref.PlanName)) {
			return p, nil
		}
	}
	name := ref.PlanName
	if ref.PlanID != 0 {
		name = strconv.Itoa(ref.PlanID)
	}
	return defaultPlanW{}, errors.New("Plan [" + name + "] does not exist")
}

func plansOf(items []planItemW) ([]defaultPlanW, error) {
	out := make([]defaultPlanW, 0, len(items))
	for _, it := range items {
		p, err := findPlan(it.Plan)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// applyPlans applies op to list: 1 replaces it, 2 adds, 3 removes.
func applyPlans(list []defaultPlanW, op opW, plans []defaultPlanW) []defaultPlanW {
	has := func(l []defaultPlanW, p defaultPlanW) bool {
		return slices.ContainsFunc(l, func(q defaultPlanW) bool { return q.Plan.PlanID == p.Plan.PlanID })
	}
	switch op {
	case 1:
		return slices.Clone(plans)
	case 2:
		for _, p := range plans {
			if !has(list, p) {
				list = append(list, p)
			}
		}
	case 3:
		list = slices.DeleteFunc(slices.Clone(list), func(q defaultPlanW) bool { return has(plans, q) })
	}
	return list
}

func writeResponseError(w http.ResponseWriter, x bool, msg string) {
	write(w, http.StatusOK, x, &createResp{Response: responseW{ErrorCode: 2, ErrorString: msg}})
}

func writeGeneric(w http.ResponseWriter, x bool, msg string) {
	if x {
		write(w, http.StatusOK, true, &genericResp{ErrorMessage: msg, ErrorCode: 0})
		return
	}
	write(w, http.StatusOK, false, map[string]any{"errorMessage": msg, "errorCode": 0})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, x bool) {
	var req orgWriteReq
	if err := readBody(r, &req); err != nil {
		writeResponseError(w, x, "Invalid request body")
		return
	}
	org := req.Info.Organization
	name, alias := strings.TrimSpace(org.ConnectName), strings.TrimSpace(org.ShortName.DomainName)
	if name == "" || alias == "" {
		writeResponseError(w, x, "Company name and alias are required")
		return
	}
	plans, err := plansOf(req.Info.PlanDetails)
	if err != nil {
		writeResponseError(w, x, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg, ok := s.taken(-1, name, alias); ok {
		writeResponseError(w, x, msg)
		return
	}
	id := 1
	for ; s.orgs[id] != nil; id++ {
	}
	o := &record{id: id, name: name, alias: alias, description: name, enabled: true,
		emailDomains: org.EmailDomainNames, guid: fmt.Sprintf("%08X-0000-4000-8000-%012X", id, id)}
	if c := req.Info.Properties.PrimaryContacts; len(c) > 0 {
		local, _, _ := strings.Cut(c[0].Email, "@")
		o.contactName, o.contactUser, o.contactID = c[0].FullName, alias+"\\"+local, 1000+id
	}
	for _, p := range plans {
		o.plans = append(o.plans, p.Plan)
	}
	s.orgs[id] = o
	resp := &createResp{Processing: &procInfoW{}, Response: responseW{Entity: &entityW{GUID: o.guid, Type: companyEntity, ProviderID: id, ProviderDomainName: alias}}}
	resp.Processing.Attributes = append(resp.Processing.Attributes, struct {
		Name  string `json:"name" xml:"name,attr"`
		Value string `json:"value" xml:"value,attr"`
	}{"exitval", "0"})
	write(w, http.StatusOK, x, resp)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, x bool) {
	var req orgWriteReq
	if err := readBody(r, &req); err != nil {
		writeError(w, http.StatusOK, x, "error", "Invalid request body", 2)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.company(w, r.URL.Query().Get("organizationId"), x)
	if o == nil {
		return
	}
	name, alias := strings.TrimSpace(req.NewCompanyName), strings.TrimSpace(req.NewAliasName)
	if msg, ok := s.taken(o.id, name, alias); ok {
		writeError(w, http.StatusOK, x, "error", msg, 2)
		return
	}
	info := req.Info
	var plans, defaults []defaultPlanW
	var err error
	if plans, err = plansOf(info.PlanDetails); err == nil {
		defaults, err = plansOf(info.Properties.DefaultPlans)
	}
	if err != nil {
		writeError(w, http.StatusOK, x, "error", err.Error(), 2)
		return
	}
	if (len(plans) > 0 && info.PlanDetailsOperationType == 0) || (len(defaults) > 0 && info.Properties.DefaultPlansOperationType == 0) {
		writeError(w, http.StatusOK, x, "error", "Plans given without an operation type", 2)
		return
	}
	current := make([]defaultPlanW, 0, len(o.plans))
	for _, p := range o.plans {
		dp, err := findPlan(planRefW(p))
		if err != nil {
			dp = defaultPlanW{Plan: p}
		}
		current = append(current, dp)
	}
	newPlans := applyPlans(current, info.PlanDetailsOperationType, plans)
	newDefaults := applyPlans(o.defaults, info.Properties.DefaultPlansOperationType, defaults)
	for _, d := range newDefaults {
		if !slices.ContainsFunc(newPlans, func(p defaultPlanW) bool { return p.Plan.PlanID == d.Plan.PlanID }) {
			writeError(w, http.StatusOK, x, "error", fmt.Sprintf("Plan [%s] is not associated with the company", d.Plan.PlanName), 2)
			return
		}
	}
	if name != "" {
		o.name = name
	}
	if alias != "" {
		o.alias = alias
	}
	o.plans = o.plans[:0]
	for _, p := range newPlans {
		o.plans = append(o.plans, p.Plan)
	}
	o.defaults = newDefaults
	writeGeneric(w, x, "")
}

func (s *Server) action(w http.ResponseWriter, r *http.Request, idText, action string, x bool) {
	var req deactivateReq
	if action == "deactivate" {
		if err := readBody(r, &req); err != nil || req.Options == nil {
			writeError(w, http.StatusOK, x, "error", "deactivateOptions are required", 2)
			return
		}
	} else if action != "activate" {
		writeError(w, http.StatusNotFound, x, "flat", "No such API", 404)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.company(w, idText, x)
	if o == nil {
		return
	}
	if action == "deactivate" {
		o.enabled = false
		o.disabled = [3]bool{req.Options.DisableBackup, req.Options.DisableRestore, req.Options.DisableLogin}
	} else {
		o.enabled = true
		o.disabled = [3]bool{}
	}
	write(w, http.StatusOK, x, &actionResp{})
}

func (s *Server) delete(w http.ResponseWriter, idText string, x bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.company(w, idText, x)
	if o == nil {
		return
	}
	if o.enabled {
		writeError(w, http.StatusOK, x, "flat", fmt.Sprintf("Company [%s] is active: deactivate it before deleting it", o.name), 2)
		return
	}
	delete(s.orgs, o.id)
	writeGeneric(w, x, "")
}

func (s *Server) tags(w http.ResponseWriter, idText string, x bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.company(w, idText, x)
	if o == nil {
		return
	}
	resp := &tagsResp{}
	if len(o.tags) > 0 {
		resp.Tags = []entityTagsW{{EntityType: companyEntity, EntityID: o.id, Tag: slices.Clone(o.tags)}}
	}
	write(w, http.StatusOK, x, resp)
}

func (s *Server) setTags(w http.ResponseWriter, r *http.Request, x bool) {
	var req setTagsReq
	if err := readBody(r, &req); err != nil || len(req.EntityTag) == 0 {
		writeError(w, http.StatusOK, x, "error", "Invalid request body", 2)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range req.EntityTag {
		if e.EntityType != companyEntity {
			writeError(w, http.StatusOK, x, "error", fmt.Sprintf("Entity type [%d] is not supported here", e.EntityType), 2)
			return
		}
		if s.company(w, strconv.Itoa(e.EntityID), x) == nil {
			return
		}
	}
	for _, e := range req.EntityTag {
		o := s.orgs[e.EntityID]
		o.tags = o.tags[:0]
		for i, t := range e.Tag {
			o.tags = append(o.tags, tagW{ID: 100*o.id + i + 1, Name: t.Name, Value: t.Value})
		}
	}
	if x {
		write(w, http.StatusOK, true, &genericResp{ErrorMessage: "Successfully executed given operation"})
		return
	}
	write(w, http.StatusOK, false, map[string]any{"error": map[string]any{"errorMessage": "Successfully executed given operation", "errorCode": 0}})
}
