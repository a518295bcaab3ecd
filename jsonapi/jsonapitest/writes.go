package jsonapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/orgsdk/orgsdk/internal/fake"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// The write side of the fake: the request documents it accepts, checked
// with the rules its own answers meet (one JSON object, no member twice,
// data a resource object of the route's type with an attributes object and
// relationships of resource identifiers), and the answers MPDX gives
// (api_practice: app/controllers/api_controller.rb): 400 with a
// source.pointer per invalid attribute, 409 for a stale updated_in_db_at,
// 403 for a non-admin create of an organization, 201 with the created
// document, 204 on delete.

// requestKeys are the members a request document may not hold twice, as
// in the client's answers.
var requestKeys = transport.NewKeySet("data", "type", "id", "attributes", "relationships", "included", "meta", "errors")

// maxRequestBody bounds a request document.
const maxRequestBody = 1 << 20

// inDocument is a request document as the fake reads it.
type inDocument struct {
	Data *struct {
		Type          string                     `json:"type"`
		ID            *string                    `json:"id"`
		Attributes    map[string]json.RawMessage `json:"attributes"`
		Relationships map[string]struct {
			Data *struct {
				Type string `json:"type"`
				ID   string `json:"id"`
			} `json:"data"`
		} `json:"relationships"`
	} `json:"data"`
}

// readDocument reads and checks a request document of resource type typ.
// On failure it has answered and returns false.
func readDocument(w http.ResponseWriter, r *http.Request, typ string) (*inDocument, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		writeError(w, http.StatusBadRequest, "Bad Request", "the request document cannot be read or is too large", nil)
		return nil, false
	}
	if err := requestKeys.CheckAnswer(body, '{'); err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request", "the request document is not a JSON object: "+err.Error(), nil)
		return nil, false
	}
	var doc inDocument
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request", "the request document is malformed: "+err.Error(), nil)
		return nil, false
	}
	if doc.Data == nil {
		writeError(w, http.StatusBadRequest, "Bad Request", "the request document has no data object", map[string]string{"pointer": "/data"})
		return nil, false
	}
	if doc.Data.Type == "" {
		// MPDX's JsonApiService::MissingTypeError is answered 409.
		writeError(w, http.StatusConflict, "Conflict", "data has no type", map[string]string{"pointer": "/data/type"})
		return nil, false
	}
	if doc.Data.Type != typ {
		writeError(w, http.StatusConflict, "Conflict", fmt.Sprintf("type %q is not %q", doc.Data.Type, typ), map[string]string{"pointer": "/data/type"})
		return nil, false
	}
	if _, ok := doc.Data.Attributes["id"]; ok {
		writeError(w, http.StatusForbidden, "A primary `id` cannot be sent at `/data/attributes/id`, it must be sent at `/data/id`", "", nil)
		return nil, false
	}
	for name, rel := range doc.Data.Relationships {
		if rel.Data != nil && (rel.Data.Type == "" || rel.Data.ID == "") {
			writeError(w, http.StatusBadRequest, "Bad Request", "relationship "+name+" has no type or id", map[string]string{"pointer": "/data/relationships/" + name})
			return nil, false
		}
	}
	return &doc, true
}

// attrString reads a string attribute; null and absent read as "" with
// sent telling them apart from a sent value.
func (d *inDocument) attrString(name string) (v string, sent bool, err error) {
	raw, ok := d.Data.Attributes[name]
	if !ok {
		return "", false, nil
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		return "", true, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, errors.New("is not a string")
	}
	return v, true, nil
}

// fieldError is one invalid attribute, as MPDX's ErrorSerializer writes it.
type fieldError struct {
	attr, title, detail string
	meta                map[string]any
}

// writeFieldErrors answers status with one error object per invalid
// attribute, each pointing at it.
func writeFieldErrors(w http.ResponseWriter, status int, errs []fieldError) {
	objs := make([]any, len(errs))
	for i, e := range errs {
		o := map[string]any{
			"status": fmt.Sprint(status),
			"source": map[string]string{"pointer": "/data/attributes/" + e.attr},
			"title":  e.title,
			"detail": e.detail,
		}
		if e.meta != nil {
			o["meta"] = e.meta
		}
		objs[i] = o
	}
	b, _ := json.Marshal(map[string]any{"errors": objs})
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// humanize words an attribute as Rails's full messages do.
func humanize(attr string) string {
	s := strings.ReplaceAll(strings.TrimSuffix(attr, "_id"), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func blank(attr string) fieldError {
	return fieldError{attr: attr, title: "can't be blank", detail: humanize(attr) + " can't be blank"}
}

// createOrganization is POST /admin/organizations: admins only (403
// otherwise), name required (400 with its pointer), 201 with the document.
func (s *Server) createOrganization(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here", nil)
		return
	}
	s.mu.Lock()
	admin := s.admin
	s.mu.Unlock()
	if !admin {
		writeError(w, http.StatusForbidden, "Forbidden", "must be admin level user to create organizations", nil)
		return
	}
	doc, ok := readDocument(w, r, "organizations")
	if !ok {
		return
	}
	var errs []fieldError
	name, _, err := doc.attrString("name")
	if err != nil {
		errs = append(errs, fieldError{attr: "name", title: err.Error(), detail: "Name " + err.Error()})
	} else if strings.TrimSpace(name) == "" {
		errs = append(errs, blank("name"))
	}
	country, _, err := doc.attrString("country")
	if err != nil {
		errs = append(errs, fieldError{attr: "country", title: err.Error(), detail: "Country " + err.Error()})
	}
	if _, _, err := doc.attrString("org_help_url"); err != nil {
		errs = append(errs, fieldError{attr: "org_help_url", title: err.Error(), detail: "Org help url " + err.Error()})
	}
	if len(errs) > 0 {
		writeFieldErrors(w, http.StatusBadRequest, errs)
		return
	}
	org := Organization{Name: name}
	if country != "" {
		org.Country = &country
	}
	s.mu.Lock()
	now := s.tick()
	org.CreatedAt, org.UpdatedAt, org.UpdatedInDBAt = now, now, now
	s.mu.Unlock()
	id := s.Add(org)
	created, _ := s.Organization(id)
	out, err := document([]Organization{created}, nil)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
		return
	}
	out["data"] = out["data"].([]any)[0]
	fake.WriteJSON(w, http.StatusCreated, contentType, out)
}
