package jsonapitest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/fake"
	"github.com/orgsdk/orgsdk/jsonapi"
)

// PersonID is the person of the fake's signed-in user: accounts are
// created for it, and a create for another person is answered 403.
const PersonID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

// Account is an organization account as AddOrganizationAccount takes it
// and OrganizationAccount and OrganizationAccounts return it: the client's type. The fake keeps the password
// it was sent apart and never writes it into an answer, as MPDX does.
type Account = jsonapi.OrganizationAccount

// account is what the fake holds: the resource and its write-only
// password.
type account struct {
	Account
	password string
}

// AddOrganizationAccount stores a as if the signed-in user had created it and returns
// its ID (generated like Add's when empty; an ID held replaces that
// account). An empty PersonID is PersonID; zero times get the fake's
// clock.
func (s *Server) AddOrganizationAccount(a Account) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addAccount(account{Account: a})
}

func (s *Server) addAccount(a account) string {
	if a.ID == "" {
		a.ID = s.newAccountID()
	}
	if a.PersonID == "" {
		a.PersonID = PersonID
	}
	a.Organization, a.Relationships, a.Links, a.Meta = nil, nil, nil, nil
	now := s.tick()
	for _, t := range []*time.Time{&a.CreatedAt, &a.UpdatedAt, &a.UpdatedInDBAt} {
		if t.IsZero() {
			*t = now
		}
	}
	for i := range s.accounts {
		if s.accounts[i].ID == a.ID {
			s.accounts[i] = a
			return a.ID
		}
	}
	s.accounts = append(s.accounts, a)
	return a.ID
}

func (s *Server) newAccountID() string {
	for {
		s.nextAccount++
		id := fmt.Sprintf("00000000-0000-4000-a000-%012d", s.nextAccount)
		if s.accountIndex(id) < 0 {
			return id
		}
	}
}

func (s *Server) accountIndex(id string) int {
	for i := range s.accounts {
		if s.accounts[i].ID == id {
			return i
		}
	}
	return -1
}

// OrganizationAccount returns a copy of the account id as the server holds it now,
// and whether there is one.
func (s *Server) OrganizationAccount(id string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.accountIndex(id); i >= 0 {
		return s.accounts[i].Account, true
	}
	return Account{}, false
}

// OrganizationAccounts returns a copy of every account, oldest first.
func (s *Server) OrganizationAccounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, len(s.accounts))
	for i, a := range s.accounts {
		out[i] = a.Account
	}
	return out
}

// SetAdmin says whether the signed-in user is an MPDX admin, who alone may
// create organizations (others get 403). The fake's user is one by
// default, and again after Reset.
func (s *Server) SetAdmin(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.admin = on
}

// tick is the fake's clock: a second later on every call, so every write
// gives a new updated_in_db_at. Callers hold s.mu.
func (s *Server) tick() time.Time {
	s.clock++
	return time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s.clock) * time.Second)
}

// accountSorts are the orders the fake serves; others are answered 400.
var accountSorts = map[string]func(a, b *account) bool{
	"created_at": func(a, b *account) bool { return a.CreatedAt.Before(b.CreatedAt) },
	"username":   func(a, b *account) bool { return deref(a.Username) < deref(b.Username) },
}

// accountFilters are the filter[...] keys the fake applies; others are
// dropped, as on MPDX.
var accountFilters = map[string]func(a *account) string{
	"organization_id": func(a *account) string { return a.OrganizationID },
	"username":        func(a *account) string { return deref(a.Username) },
	"remote_id":       func(a *account) string { return deref(a.RemoteID) },
}

func (s *Server) accountsRoute(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.listAccounts(w, r)
	case http.MethodPost:
		s.createAccount(w, r)
	default:
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here", nil)
	}
}

func (s *Server) accountRoute(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.getAccount(w, r)
	case http.MethodPatch, http.MethodPut:
		s.updateAccount(w, r)
	case http.MethodDelete:
		s.deleteAccount(w, r)
	default:
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed", r.Method+" is not supported here", nil)
	}
}

// accountShape reads include (organization only) and
// fields[organization_accounts].
func accountShape(w http.ResponseWriter, r *http.Request) (include bool, fields map[string]bool, ok bool) {
	q := r.URL.Query()
	if inc := q.Get("include"); inc != "" {
		for _, p := range strings.Split(inc, ",") {
			if strings.TrimSpace(p) != "organization" {
				writeError(w, http.StatusBadRequest, "Bad Request",
					fmt.Sprintf("include %q cannot be served: the fake includes organization only", p), map[string]string{"parameter": "include"})
				return false, nil, false
			}
		}
		include = true
	}
	if raw, set := q["fields[organization_accounts]"]; set {
		fields = map[string]bool{}
		for _, v := range raw {
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					fields[name] = true
				}
			}
		}
	}
	return include, fields, true
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, pageSent, ok := intParam(w, q, "page", 1)
	if !ok {
		return
	}
	perPage, perPageSent, ok := intParam(w, q, "per_page", 25)
	if !ok {
		return
	}
	perPage = min(perPage, 500)
	sortBy := q.Get("sort")
	less, known := accountSorts[strings.TrimPrefix(sortBy, "-")]
	if sortBy != "" && !known {
		writeError(w, http.StatusBadRequest, "Bad Request", fmt.Sprintf("sort %q is not supported", sortBy), map[string]string{"parameter": "sort"})
		return
	}
	include, fields, ok := accountShape(w, r)
	if !ok {
		return
	}
	filters := map[string]string{}
	for k, vs := range q {
		if strings.HasPrefix(k, "filter[") && strings.HasSuffix(k, "]") && len(vs) > 0 {
			if key := k[len("filter[") : len(k)-1]; accountFilters[key] != nil {
				filters[key] = vs[0]
			}
		}
	}
	s.mu.Lock()
	var rows []account
	for _, a := range s.accounts {
		keep := true
		for k, want := range filters {
			keep = keep && strings.EqualFold(accountFilters[k](&a), want)
		}
		if keep {
			rows = append(rows, a)
		}
	}
	orgs := append([]Organization(nil), s.orgs...)
	s.mu.Unlock()
	if less != nil {
		desc := strings.HasPrefix(sortBy, "-")
		sort.SliceStable(rows, func(i, j int) bool {
			if desc {
				return less(&rows[j], &rows[i])
			}
			return less(&rows[i], &rows[j])
		})
	}
	total := len(rows)
	lo := min((page-1)*perPage, total)
	hi := min(lo+perPage, total)
	data := make([]any, 0, hi-lo)
	for i := lo; i < hi; i++ {
		data = append(data, accountNode(rows[i].Account, fields))
	}
	doc := map[string]any{"data": data}
	if include {
		inc, err := includedOrganizations(rows[lo:hi], orgs)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
			return
		}
		doc["included"] = inc
	}
	pagination := map[string]any{"page": page, "per_page": perPage, "total_count": total, "total_pages": (total + perPage - 1) / perPage}
	if pageSent {
		pagination["page"] = fmt.Sprint(page)
	}
	if perPageSent {
		pagination["per_page"] = fmt.Sprint(perPage)
	}
	var sortMeta any
	if sortBy != "" {
		sortMeta = sortBy
	}
	doc["meta"] = map[string]any{"pagination": pagination, "sort": sortMeta, "filter": filters}
	fake.WriteJSON(w, http.StatusOK, contentType, doc)
}

// accountNode is an account as MPDX's serializer writes it: no password.
func accountNode(a Account, fields map[string]bool) map[string]any {
	at := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	str := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	attrs := map[string]any{
		"disable_downloads": a.DisableDownloads,
		"last_download":     at(a.LastDownload),
		"locked_at":         at(a.LockedAt),
		"remote_id":         str(a.RemoteID),
		"username":          str(a.Username),
		"created_at":        a.CreatedAt.UTC().Format(time.RFC3339),
		"updated_at":        a.UpdatedAt.UTC().Format(time.RFC3339),
		"updated_in_db_at":  a.UpdatedInDBAt.UTC().Format(time.RFC3339),
	}
	if fields != nil {
		for k := range attrs {
			if !fields[k] {
				delete(attrs, k)
			}
		}
	}
	ident := func(typ, id string) map[string]any {
		if id == "" {
			return map[string]any{"data": nil}
		}
		return map[string]any{"data": map[string]any{"type": typ, "id": id}}
	}
	return map[string]any{
		"id": a.ID, "type": "organization_accounts", "attributes": attrs,
		"relationships": map[string]any{
			"organization": ident("organizations", a.OrganizationID),
			"person":       ident("people", a.PersonID),
		},
	}
}

// includedOrganizations are the organizations rows point at, once each.
func includedOrganizations(rows []account, orgs []Organization) ([]any, error) {
	var picked []Organization
	seen := map[string]bool{}
	for _, a := range rows {
		if seen[a.OrganizationID] {
			continue
		}
		for _, o := range orgs {
			if o.ID == a.OrganizationID {
				picked = append(picked, o)
				seen[o.ID] = true
			}
		}
	}
	doc, err := document(picked, nil)
	if err != nil {
		return nil, err
	}
	return doc["data"].([]any), nil
}

func (s *Server) writeAccount(w http.ResponseWriter, r *http.Request, status int, a account) {
	include, fields, ok := accountShape(w, r)
	if !ok {
		return
	}
	doc := map[string]any{"data": accountNode(a.Account, fields)}
	if include {
		s.mu.Lock()
		orgs := append([]Organization(nil), s.orgs...)
		s.mu.Unlock()
		inc, err := includedOrganizations([]account{a}, orgs)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
			return
		}
		doc["included"] = inc
	}
	fake.WriteJSON(w, status, contentType, doc)
}

func notFoundAccount(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, "Not Found", fmt.Sprintf("Couldn't find Person::OrganizationAccount with 'id'=%s", id), nil)
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	i := s.accountIndex(id)
	var a account
	if i >= 0 {
		a = s.accounts[i]
	}
	s.mu.Unlock()
	if i < 0 {
		notFoundAccount(w, id)
		return
	}
	s.writeAccount(w, r, http.StatusOK, a)
}

// relationshipID is the id a relationship names, "" when not sent.
func (d *inDocument) relationshipID(name string) string {
	if rel, ok := d.Data.Relationships[name]; ok && rel.Data != nil {
		return rel.Data.ID
	}
	return ""
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	doc, ok := readDocument(w, r, "organization_accounts")
	if !ok {
		return
	}
	var errs []fieldError
	orgID, personID := doc.relationshipID("organization"), doc.relationshipID("person")
	if orgID == "" {
		errs = append(errs, blank("organization_id"))
	}
	if personID == "" {
		errs = append(errs, blank("person_id"))
	}
	username, _, err := doc.attrString("username")
	if err != nil || username == "" {
		errs = append(errs, blank("username"))
	}
	password, _, err := doc.attrString("password")
	if err != nil || password == "" {
		errs = append(errs, blank("password"))
	}
	if len(errs) > 0 {
		writeFieldErrors(w, http.StatusBadRequest, errs)
		return
	}
	if personID != PersonID {
		writeError(w, http.StatusForbidden, "Forbidden", "Not allowed to perform that action on the resource", nil)
		return
	}
	s.mu.Lock()
	if s.index(orgID) < 0 {
		s.mu.Unlock()
		writeFieldErrors(w, http.StatusBadRequest, []fieldError{{attr: "organization", title: "must exist", detail: "Organization must exist"}})
		return
	}
	a := account{Account: Account{OrganizationID: orgID, PersonID: personID, Username: &username}, password: password}
	id := s.addAccount(a)
	a = s.accounts[s.accountIndex(id)]
	s.mu.Unlock()
	s.writeAccount(w, r, http.StatusCreated, a)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	doc, ok := readDocument(w, r, "organization_accounts")
	if !ok {
		return
	}
	if doc.Data.ID != nil && *doc.Data.ID != id {
		writeError(w, http.StatusConflict, "Conflict", "data.id does not match the id in the URL", map[string]string{"pointer": "/data/id"})
		return
	}
	s.mu.Lock()
	cur, fail := s.applyUpdate(id, doc)
	s.mu.Unlock()
	if fail != nil {
		fail(w)
		return
	}
	s.writeAccount(w, r, http.StatusOK, cur)
}

// applyUpdate checks an update as MPDX does (the version first, unless
// overwrite) and applies it; fail answers when it was refused. Callers
// hold s.mu.
func (s *Server) applyUpdate(id string, doc *inDocument) (account, func(http.ResponseWriter)) {
	i := s.accountIndex(id)
	if i < 0 {
		return account{}, func(w http.ResponseWriter) { notFoundAccount(w, id) }
	}
	fields := func(status int, errs ...fieldError) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { writeFieldErrors(w, status, errs) }
	}
	cur := s.accounts[i]
	stamp, sent, err := doc.attrString("updated_in_db_at")
	if strings.TrimSpace(string(doc.Data.Attributes["overwrite"])) != "true" {
		if !sent || stamp == "" || err != nil {
			return account{}, fields(http.StatusBadRequest, fieldError{attr: "updated_in_db_at",
				title:  "has to be sent in the list of attributes in order to update resource",
				detail: "Updated in db at has to be sent in the list of attributes in order to update resource"})
		}
		t, perr := time.Parse(time.RFC3339Nano, stamp)
		// MPDX compares whole seconds (updated_at_was.to_i).
		if perr != nil || t.Unix() != cur.UpdatedAt.Unix() {
			current := cur.UpdatedAt.UTC().Format(time.RFC3339)
			msg := "is not equal to the current value in the database (" + current + ")"
			return account{}, fields(http.StatusConflict, fieldError{attr: "updated_in_db_at", title: msg,
				detail: "Updated in db at " + msg, meta: map[string]any{"updated_in_db_at": current}})
		}
	}
	if v, sent, err := doc.attrString("username"); sent {
		if err != nil || v == "" {
			return account{}, fields(http.StatusBadRequest, blank("username"))
		}
		cur.Username = &v
	}
	if v, sent, _ := doc.attrString("password"); sent && v != "" {
		cur.password = v
	}
	if v := doc.relationshipID("organization"); v != "" {
		if s.index(v) < 0 {
			return account{}, fields(http.StatusBadRequest, fieldError{attr: "organization", title: "must exist", detail: "Organization must exist"})
		}
		cur.OrganizationID = v
	}
	now := s.tick()
	cur.UpdatedAt, cur.UpdatedInDBAt = now, now
	s.accounts[i] = cur
	return cur, nil
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	i := s.accountIndex(id)
	if i >= 0 {
		s.accounts = append(s.accounts[:i], s.accounts[i+1:]...)
	}
	s.mu.Unlock()
	if i < 0 {
		notFoundAccount(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// seedAccounts are the user's two accounts of the seed data, at Cru and
// at Agape UK.
func seedAccounts() []account {
	str := func(v string) *string { return &v }
	return []account{
		{Account: Account{ID: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", OrganizationID: "2b8e6f0c-7d1a-4c3e-9f5b-1a2b3c4d5e6f", Username: str("jdoe@cru.org"), RemoteID: str("CRU-1001")}, password: "seed-password-cru"},
		{Account: Account{ID: "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c", OrganizationID: "8c4d2e1f-3a5b-4c6d-8e7f-9a0b1c2d3e4f", Username: str("jdoe"), DisableDownloads: true}, password: "seed-password-agape"},
	}
}
