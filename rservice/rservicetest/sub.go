package rservicetest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/internal/fake"
)

// subWritable are the keys an address or contact body may hold.
var subWritable = map[string]map[string]bool{
	"addresses": {"label": true, "address": true, "city": true, "state": true, "zip": true, "country": true, "integration": true},
	"contacts":  {"label": true, "telephone": true, "email": true, "website": true, "integration": true},
}

// firstSubID is the first id the server gives a new address or contact.
const firstSubID = 5000

// personOrg says which seeded organization each person belongs to; the
// people of an organization are listed from it.
var personOrg = map[int64]int64{6: 6, 120: 51, 121: 51, 122: 50, 123: 50}

// disabledPeople are the seeded people the disabled view lists.
var disabledPeople = map[int64]bool{123: true}

// personSite is the site every seeded person works at.
var personSite = map[string]any{"id": 13, "name": "Widget Data Center"}

// person renders a person as the people collections do by default (id,
// sourceID, name, organization, site, manager, created_at, updated_at),
// with disabled and what a live tenant adds (account, nodeID). Howard
// Tanner (6) manages everyone else. Callers hold s.mu.
func (s *Server) person(id int64, name string) map[string]any {
	org := personOrg[id]
	var manager any
	if id != 6 {
		manager = s.namedRef("Person", s.people, ptr[int64](6))
	}
	return map[string]any{"id": id, "sourceID": nil, "name": name,
		"organization": s.orgRef(&org), "site": personSite, "manager": manager,
		"disabled": disabledPeople[id], "account": map[string]any{"id": s.Account, "name": accountName},
		"nodeID": nodeID("Person", id), "created_at": "2016-03-22T21:02:50-05:00", "updated_at": "2016-03-22T21:02:50-05:00"}
}

// addressLabels are the labels an address may have.
var addressLabels = map[string]bool{"street": true, "mailing": true, "billing": true}

// serveSub answers /organizations/{id}/{sub}[/{item}]. Callers checked
// auth and the budget.
func (s *Server) serveSub(w http.ResponseWriter, r *http.Request, segs []string) {
	orgID, err := strconv.ParseInt(segs[1], 10, 64)
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	_, exists := s.orgs[orgID]
	s.mu.Unlock()
	if !exists {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	sub, rest := segs[2], segs[3:]
	switch sub {
	case "children", "people":
		view, ok := readOnlyView(w, r, rest, "enabled", "disabled")
		if !ok {
			return
		}
		if sub == "children" {
			s.listWhere(w, r, view, func(o *org) bool { return o.ParentID != nil && *o.ParentID == orgID })
			return
		}
		var rows []map[string]any
		s.mu.Lock()
		for id, name := range s.people {
			if personOrg[id] != orgID || (view != "" && (view == "disabled") != disabledPeople[id]) {
				continue
			}
			rows = append(rows, s.person(id, name))
		}
		s.mu.Unlock()
		servePage(w, r, rows)
	case "addresses", "contacts":
		s.serveRecords(w, r, orgID, sub, rest)
	case "contracts", "slas", "time_allocations":
		s.serveReadOnly(w, r, orgID, sub, rest)
	default:
		writeMessage(w, http.StatusNotFound, "Not Found")
	}
}

// contracts are the fake's contracts, by customer organization: made up,
// in the shape of the API's contract records (the SDK leaves these to
// NewRequest/Do).
var contracts = map[int64][]map[string]any{
	50: {
		{"id": 12, "name": "Widget Finance Desktop Support", "status": "active", "start_date": "2016-01-01", "expiry_date": "2026-12-31"},
		{"id": 11, "name": "Widget Finance Legacy Hosting", "status": "expired", "start_date": "2012-01-01", "expiry_date": "2015-12-31"},
	},
}

// serveReadOnly answers the lists the SDK leaves to NewRequest/Do:
// /contracts (+ /active, /inactive), /slas and /time_allocations. Only
// contracts hold records; the others are empty, paged like every list.
func (s *Server) serveReadOnly(w http.ResponseWriter, r *http.Request, orgID int64, sub string, rest []string) {
	var views []string
	if sub == "contracts" {
		views = []string{"active", "inactive"}
	}
	view, ok := readOnlyView(w, r, rest, views...)
	if !ok {
		return
	}
	var rows []map[string]any
	if sub == "contracts" {
		s.mu.Lock()
		customer := s.orgRef(&orgID)
		s.mu.Unlock()
		for _, c := range contracts[orgID] {
			if view != "" && (view == "active") != (c["status"] == "active") {
				continue
			}
			row := maps.Clone(c)
			row["customer"] = customer
			row["nodeID"] = nodeID("Contract", recID(c))
			rows = append(rows, row)
		}
	}
	servePage(w, r, rows)
}

// readOnlyView reads the view segment after a read-only list (one of
// views, or none) and checks the method; when it answers the request
// itself (404, 405) ok is false.
func readOnlyView(w http.ResponseWriter, r *http.Request, rest []string, views ...string) (view string, ok bool) {
	if len(rest) == 1 && slices.Contains(views, rest[0]) {
		view = rest[0]
	} else if len(rest) > 0 {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return "", false
	}
	if r.Method != http.MethodGet {
		writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return "", false
	}
	return view, true
}

// records returns the slice of o that sub names. Callers hold s.mu.
func records(o *org, sub string) *[]map[string]any {
	if sub == "addresses" {
		return &o.Addresses
	}
	return &o.Contacts
}

func (s *Server) serveRecords(w http.ResponseWriter, r *http.Request, orgID int64, sub string, rest []string) {
	if len(rest) > 1 {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	var itemID int64
	if len(rest) == 1 {
		id, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil {
			writeMessage(w, http.StatusNotFound, "Not Found")
			return
		}
		itemID = id
	}
	var body map[string]json.RawMessage
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		b, ok := s.readBody(w, r)
		if !ok {
			return
		}
		body = b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[orgID]
	list := records(o, sub)
	idx := -1
	for i, rec := range *list {
		if recID(rec) == itemID {
			idx = i
		}
	}
	if itemID != 0 && idx < 0 {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	switch {
	case r.Method == http.MethodGet && itemID == 0:
		rows := slices.Clone(*list)
		slices.SortFunc(rows, func(a, b map[string]any) int { return int(recID(a) - recID(b)) })
		s.mu.Unlock()
		servePage(w, r, rows)
		s.mu.Lock()
	case r.Method == http.MethodGet:
		fake.WriteJSON(w, http.StatusOK, "", (*list)[idx])
	case r.Method == http.MethodPost && itemID == 0:
		rec := map[string]any{}
		if sub == "addresses" {
			rec["integration"] = false
		}
		if errs := applyRecord(rec, body, sub, true); len(errs) > 0 {
			validationFailed(w, errs)
			return
		}
		if s.nextSubID < firstSubID {
			s.nextSubID = firstSubID
		}
		id := s.nextSubID
		s.nextSubID++
		rec["id"] = id
		kind := "Contact"
		if sub == "addresses" {
			kind = "Address"
		}
		rec["nodeID"] = nodeID(kind, id)
		*list = append(slices.Clone(*list), rec)
		fake.WriteJSON(w, http.StatusCreated, "", rec)
	case r.Method == http.MethodPatch && itemID != 0:
		rec := map[string]any{}
		for k, v := range (*list)[idx] {
			rec[k] = v
		}
		if errs := applyRecord(rec, body, sub, false); len(errs) > 0 {
			validationFailed(w, errs)
			return
		}
		next := slices.Clone(*list)
		next[idx] = rec
		*list = next
		fake.WriteJSON(w, http.StatusOK, "", rec)
	case r.Method == http.MethodDelete && itemID != 0:
		*list = slices.Delete(slices.Clone(*list), idx, idx+1)
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodDelete:
		*list = nil
		w.WriteHeader(http.StatusNoContent)
	default:
		writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
}

func recID(rec map[string]any) int64 {
	switch v := rec["id"].(type) {
	case int64:
		return v
	case int:
		return int64(v)
	case float64:
		return int64(v)
	}
	return 0
}

var protocols = []string{"telephone", "email", "website"}

// applyRecord writes body onto rec and returns the API's [field, message]
// errors.
func applyRecord(rec map[string]any, body map[string]json.RawMessage, sub string, create bool) [][2]string {
	var errs [][2]string
	for k, raw := range body {
		if !subWritable[sub][k] {
			errs = append(errs, [2]string{k, "is not a known field"})
			continue
		}
		if k == "integration" {
			var b bool
			if json.Unmarshal(raw, &b) != nil {
				errs = append(errs, [2]string{k, "Integration is not a boolean"})
				continue
			}
			rec[k] = b
			continue
		}
		var v *string
		if json.Unmarshal(raw, &v) != nil {
			errs = append(errs, [2]string{k, strings.ToUpper(k[:1]) + k[1:] + " is not text"})
			continue
		}
		if v == nil {
			if k == "label" {
				errs = append(errs, [2]string{"label", "Label can't be blank"})
				continue
			}
			delete(rec, k)
			continue
		}
		if slices.Contains(protocols, k) {
			for _, p := range protocols {
				delete(rec, p)
			}
		}
		rec[k] = *v
	}
	if l, _ := rec["label"].(string); strings.TrimSpace(l) == "" {
		errs = append(errs, [2]string{"label", "Label can't be blank"})
	} else if sub == "addresses" && !addressLabels[l] {
		errs = append(errs, [2]string{"label", "Label is not included in the list"})
	}
	if sub == "contacts" && create {
		has := false
		for _, p := range protocols {
			if _, ok := rec[p]; ok {
				has = true
			}
		}
		if !has {
			errs = append(errs, [2]string{"telephone", "Telephone, email or website is required"})
		}
	}
	slices.SortFunc(errs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return errs
}

// servePage answers one page of rows (already in order) with the real
// paging: per_page (default 20, at most 100), a search_after cursor after
// the last row's id, Link rel="first"/"next" and X-Pagination-* headers.
func servePage(w http.ResponseWriter, r *http.Request, rows []map[string]any) {
	q := r.URL.Query()
	perPage, ok := perPageOf(w, q)
	if !ok {
		return
	}
	if len(rows) > 0 && rows[0]["name"] != nil {
		slices.SortStableFunc(rows, func(a, b map[string]any) int {
			an, _ := a["name"].(string)
			bn, _ := b["name"].(string)
			if c := strings.Compare(an, bn); c != 0 {
				return c
			}
			return int(recID(a) - recID(b))
		})
	}
	start := 0
	if after := q.Get("search_after"); after != "" {
		id, err := strconv.ParseInt(after, 10, 64)
		found := false
		for i, row := range rows {
			if err == nil && recID(row) == id {
				start, found = i+1, true
			}
		}
		if !found {
			writeMessage(w, http.StatusBadRequest, "Invalid search_after")
			return
		}
	}
	end := min(start+perPage, len(rows))
	next := ""
	if end < len(rows) {
		next = strconv.FormatInt(recID(rows[end-1]), 10)
	}
	writePaging(w, r, perPage, start, len(rows), next)
	fake.WriteJSON(w, http.StatusOK, "", nonNil(rows[start:end]))
}
