package rservicetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/fake"
)

// writable are the keys a create or update body may hold.
var writable = map[string]bool{
	"name": true, "business_unit": true, "disabled": true, "financialID": true,
	"parent_id": true, "manager_id": true, "substitute_id": true, "order_template_id": true,
	"picture_uri": true, "region": true, "remarks": true, "source": true, "sourceID": true,
	"custom_fields": true, "remarks_attachments": true, "custom_fields_attachments": true,
}

func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Cannot read body")
		return nil, false
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(data, &body); err != nil || body == nil {
		writeMessage(w, http.StatusBadRequest, "Invalid JSON body")
		return nil, false
	}
	return body, true
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if _, has := body["source"]; !has {
		if src := r.Header.Get("X-4me-Source"); src != "" {
			b, _ := json.Marshal(src)
			body["source"] = b
		}
	}
	s.mu.Lock()
	now := s.now().UTC().Truncate(time.Second)
	o := &org{CreatedAt: now, UpdatedAt: now}
	errs := s.apply(o, body, true)
	if len(errs) > 0 {
		s.mu.Unlock()
		validationFailed(w, errs)
		return
	}
	o.ID = s.newID()
	s.orgs[o.ID] = o
	out := s.render(o, nil)
	s.mu.Unlock()
	w.Header().Set("Location", Prefix+"organizations/"+jsonNumber(o.ID))
	fake.WriteJSON(w, http.StatusCreated, "", out)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, id int64) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	cur, exists := s.orgs[id]
	if !exists {
		s.mu.Unlock()
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	o := *cur
	errs := s.apply(&o, body, false)
	if len(errs) > 0 {
		s.mu.Unlock()
		validationFailed(w, errs)
		return
	}
	o.UpdatedAt = s.now().UTC().Truncate(time.Second)
	s.orgs[id] = &o
	out := s.render(&o, nil)
	s.mu.Unlock()
	fake.WriteJSON(w, http.StatusOK, "", out)
}

func validationFailed(w http.ResponseWriter, errs [][2]string) {
	fake.WriteJSON(w, http.StatusUnprocessableEntity, "", map[string]any{"message": "Validation Failed", "errors": errs})
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// apply writes body onto o and returns the API's [field, message] errors.
// Called with s.mu held.
func (s *Server) apply(o *org, body map[string]json.RawMessage, create bool) [][2]string {
	var errs [][2]string
	fail := func(field, msg string) { errs = append(errs, [2]string{field, msg}) }
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	isNull := func(b json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }
	text := func(field, label string, raw json.RawMessage, max int) (*string, bool) {
		if isNull(raw) {
			return nil, true
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			fail(field, label+" is invalid")
			return nil, false
		}
		if utf8.RuneCountInString(v) > max {
			fail(field, label+" is too long")
			return nil, false
		}
		if v == "" {
			return nil, true
		}
		return &v, true
	}
	flag := func(field, label string, raw json.RawMessage) (bool, bool) {
		if isNull(raw) {
			return false, true
		}
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			fail(field, label+" is invalid")
			return false, false
		}
		return v, true
	}
	ref := func(field, label string, raw json.RawMessage, exists func(int64) bool) (*int64, bool) {
		if isNull(raw) {
			return nil, true
		}
		var id int64
		if err := json.Unmarshal(raw, &id); err != nil || !exists(id) {
			fail(field, label+" is invalid")
			return nil, false
		}
		return &id, true
	}
	person := func(id int64) bool { _, ok := s.people[id]; return ok }
	for _, k := range keys {
		raw := body[k]
		if !writable[k] {
			fail(k, "is not a writable field")
			continue
		}
		switch k {
		case "name":
			if v, ok := text("name", "Name", raw, 128); ok {
				if v == nil {
					fail("name", "Name can't be blank")
					continue
				}
				o.Name = *v
			}
		case "business_unit":
			if v, ok := flag(k, "Business unit", raw); ok {
				o.BusinessUnit = v
			}
		case "disabled":
			if v, ok := flag(k, "Disabled", raw); ok {
				o.Disabled = v
			}
		case "financialID":
			if v, ok := text(k, "Financial ID", raw, 128); ok {
				o.FinancialID = v
			}
		case "region":
			if v, ok := text(k, "Region", raw, 128); ok {
				o.Region = v
			}
		case "remarks":
			if v, ok := text(k, "Remarks", raw, 64<<10); ok {
				o.Remarks = v
			}
		case "picture_uri":
			if v, ok := text(k, "Picture URI", raw, 64<<10); ok {
				o.PictureURI = v
			}
		case "source":
			if v, ok := text(k, "Source", raw, 30); ok {
				o.Source = v
			}
		case "sourceID":
			if v, ok := text(k, "Source ID", raw, 128); ok {
				o.SourceID = v
			}
		case "parent_id":
			if v, ok := ref("parent", "Parent", raw, func(id int64) bool { _, ok := s.orgs[id]; return ok && id != o.ID }); ok {
				o.ParentID = v
			}
		case "manager_id":
			if v, ok := ref("manager", "Manager", raw, person); ok {
				o.ManagerID = v
			}
		case "substitute_id":
			if v, ok := ref("substitute", "Substitute", raw, person); ok {
				o.SubstituteID = v
			}
		case "order_template_id":
			if v, ok := ref("order_template", "Order template", raw, func(id int64) bool { _, ok := s.templates[id]; return ok }); ok {
				o.OrderTemplateID = v
			}
		case "custom_fields":
			if isNull(raw) {
				o.CustomFields = nil
				continue
			}
			var list []struct {
				ID    string          `json:"id"`
				Value json.RawMessage `json:"value"`
			}
			if err := json.Unmarshal(raw, &list); err != nil {
				fail(k, "Custom fields are invalid")
				continue
			}
			o.CustomFields = append(json.RawMessage(nil), raw...)
		case "remarks_attachments", "custom_fields_attachments":
			// Write only: checked for the documented shape, then dropped
			// (the fake keeps no attachment storage).
			var list []struct {
				Key      string `json:"key"`
				FileSize *int64 `json:"filesize"`
				Inline   *bool  `json:"inline"`
			}
			if err := json.Unmarshal(raw, &list); err != nil {
				fail(k, "Attachments are invalid")
				continue
			}
			for _, a := range list {
				if a.Key == "" {
					fail(k, "Attachment key can't be blank")
					break
				}
			}
		}
	}
	if create {
		if _, has := body["name"]; !has {
			fail("name", "Name can't be blank")
		}
		if o.OrderTemplateID == nil {
			fail("order_template", "Order template can't be blank")
		}
	}
	if o.Name != "" {
		for id, other := range s.orgs {
			if id != o.ID && strings.EqualFold(other.Name, o.Name) {
				fail("name", "Name has already been taken")
				break
			}
		}
	}
	return errs
}
