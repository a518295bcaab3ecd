// Package rservicetest is an in-memory fake of the R-Service (4me)
// Organizations API for tests and examples: bearer auth, the eight
// predefined views, every filter operator on the filterable fields, sort,
// field selection, cursor pages with Link and X-Pagination-* headers,
// X-RateLimit-* headers with a 429 when the budget is spent, creates with
// name validation, PATCH with null clearing, and injectable faults.
//
// Point a client at it with rservice.WithBaseURL(srv.URL):
//
//	srv := rservicetest.NewServer()
//	defer srv.Close()
//	c, _ := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))
package rservicetest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orgsdk/orgsdk/internal/fake"
	"github.com/orgsdk/orgsdk/rservice"
)

// Fault makes the server answer the next requests with an error status;
// see InjectFault.
type Fault = fake.Fault

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API root to pass to rservice.WithBaseURL; the API lives
	// under /v1/ like the real one.
	URL string
	// Token is the only bearer token the server accepts.
	Token string
	// Account is the account id the server accepts in X-4me-Account (the
	// header is optional).
	Account string
	// APIUserID is the person the token belongs to (for ManagedByMe).
	APIUserID int64

	srv    *httptest.Server
	faults *fake.Faults

	mu        sync.Mutex
	orgs      map[int64]*org
	people    map[int64]string
	templates map[int64]string
	nextID    int64
	limit     int
	window    time.Duration
	remaining int
	windowEnd time.Time
	now       func() time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit sets the request budget per window (3600 per hour by
// default, like the real API). A small budget makes 429 tests quick.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(s *Server) {
		if limit > 0 && window > 0 {
			s.limit, s.window = limit, window
		}
	}
}

// NewServer starts a fake seeded with the Widget organizations of the API
// documentation and 60 generated ones. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		Token:     newToken(),
		Account:   "widget",
		APIUserID: 6,
		orgs:      map[int64]*org{},
		limit:     3600,
		window:    time.Hour,
		now:       time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.seed()
	s.faults = &fake.Faults{DefaultBody: func(status int) (string, string) {
		b, _ := json.Marshal(map[string]string{"message": http.StatusText(status)})
		return "application/json", string(b)
	}}
	s.srv = httptest.NewServer(s.faults.Middleware(http.HandlerFunc(s.serve)))
	s.URL = s.srv.URL + "/v1/"
	return s
}

func newToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// InjectFault queues a fault: the next matching requests get its status
// (with Retry-After if set) instead of being served.
func (s *Server) InjectFault(f Fault) { s.faults.Inject(f) }

// Hits returns how many requests reached the server, faults included.
func (s *Server) Hits() int { return s.faults.Hits() }

// HitsFor returns how many requests had this method and full path
// ("/v1/organizations/50"), faults included.
func (s *Server) HitsFor(method, path string) int { return s.faults.HitsFor(method, path) }

// Requests returns every request that reached the server, faulted ones
// included, in arrival order: method, escaped path, the query exactly as
// sent, headers and body.
func (s *Server) Requests() []fake.Request { return s.faults.Requests() }

// Reset puts the seed data back and clears injected faults, the request
// log, the hit counters and the rate-limit window; the token and the
// rate-limit budget stay.
func (s *Server) Reset() {
	s.faults.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs = map[int64]*org{}
	s.seed()
	s.windowEnd = time.Time{}
}

// Add stores organizations as if created through the API and returns their
// ids, in order. An organization with ID 0, or with an ID already taken,
// gets the next free one. References are kept by id (Parent, Manager,
// Substitute, OrderTemplate; names come from the server's own records);
// addresses, contacts and custom fields are not copied. Zero
// CreatedAt/UpdatedAt become now. Nil entries are skipped (id 0).
func (s *Server) Add(orgs ...*rservice.Organization) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Truncate(time.Second)
	ids := make([]int64, len(orgs))
	for i, in := range orgs {
		if in == nil {
			continue
		}
		o := &org{
			ID: in.ID, Name: in.Name, Source: in.Source, SourceID: in.SourceID, FinancialID: in.FinancialID,
			Region: in.Region, Remarks: in.Remarks, PictureURI: in.PictureURI, Disabled: in.Disabled,
			BusinessUnit: in.BusinessUnit, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
		}
		refID := func(r *rservice.Reference) *int64 {
			if r == nil {
				return nil
			}
			return ptr(r.ID)
		}
		o.ParentID, o.ManagerID = refID(in.Parent), refID(in.Manager)
		o.SubstituteID, o.OrderTemplateID = refID(in.Substitute), refID(in.OrderTemplate)
		o.BusinessUnitOrg = refID(in.BusinessUnitOrganization)
		if _, taken := s.orgs[o.ID]; o.ID <= 0 || taken {
			for {
				if _, taken := s.orgs[s.nextID]; !taken {
					break
				}
				s.nextID++
			}
			o.ID = s.nextID
			s.nextID++
		}
		if o.CreatedAt.IsZero() {
			o.CreatedAt = now
		}
		if o.UpdatedAt.IsZero() {
			o.UpdatedAt = o.CreatedAt
		}
		s.orgs[o.ID] = o
		ids[i] = o.ID
	}
	return ids
}

// Organizations returns every stored organization as a client would read
// it with Get, ordered by id: a snapshot for assertions.
func (s *Server) Organizations() []*rservice.Organization {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.orgs))
	for id := range s.orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	bodies := make([][]byte, len(ids))
	for i, id := range ids {
		bodies[i], _ = json.Marshal(s.render(s.orgs[id], nil))
	}
	s.mu.Unlock()
	out := make([]*rservice.Organization, 0, len(bodies))
	for _, b := range bodies {
		var o rservice.Organization
		if err := json.Unmarshal(b, &o); err == nil {
			out = append(out, &o)
		}
	}
	return out
}

// SetRateLimit changes the budget and starts a new window.
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	WithRateLimit(limit, window)(s)
	s.windowEnd = time.Time{}
}

// Len returns how many organizations the server holds.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.orgs)
}

// Organization returns the stored organization id as a client would read
// it, for assertions.
func (s *Server) Organization(id int64) (*rservice.Organization, bool) {
	s.mu.Lock()
	o, ok := s.orgs[id]
	var data []byte
	if ok {
		data, _ = json.Marshal(s.render(o, nil))
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	var out rservice.Organization
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, false
	}
	return &out, true
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	fake.WriteJSON(w, status, "", map[string]string{"message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/v1")
	if !ok {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	rest = strings.Trim(rest, "/")
	if rest == "" && r.Method == http.MethodGet {
		fake.WriteJSON(w, http.StatusOK, "", map[string]any{})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeMessage(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if acc := r.Header.Get("X-4me-Account"); acc != "" && acc != s.Account {
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return
	}
	if !s.spend(w) {
		return
	}
	segs := strings.Split(rest, "/")
	if segs[0] != "organizations" || len(segs) > 2 {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	switch {
	case len(segs) == 1 && r.Method == http.MethodGet:
		s.list(w, r, "")
	case len(segs) == 1 && r.Method == http.MethodPost:
		s.create(w, r)
	case len(segs) == 2:
		if id, err := strconv.ParseInt(segs[1], 10, 64); err == nil {
			switch r.Method {
			case http.MethodGet:
				s.get(w, id)
			case http.MethodPatch:
				s.update(w, r, id)
			default:
				writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			}
			return
		}
		if !views[segs[1]] {
			writeMessage(w, http.StatusNotFound, "Not Found")
			return
		}
		if r.Method != http.MethodGet {
			writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		s.list(w, r, segs[1])
	default:
		writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
}

// spend takes one request from the budget and sets the X-RateLimit-*
// headers; when the budget is spent it answers 429 with Retry-After.
func (s *Server) spend(w http.ResponseWriter) bool {
	s.mu.Lock()
	now := s.now()
	if s.windowEnd.IsZero() || !now.Before(s.windowEnd) {
		s.remaining = s.limit
		s.windowEnd = now.Add(s.window)
	}
	limit, end := s.limit, s.windowEnd
	allowed := s.remaining > 0
	if allowed {
		s.remaining--
	}
	remaining := s.remaining
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(end.UnixNano())/1e9)), 10))
	if allowed {
		return true
	}
	wait := int(math.Ceil(end.Sub(now).Seconds()))
	if wait < 1 {
		wait = 1
	}
	h.Set("Retry-After", strconv.Itoa(wait))
	fake.WriteJSON(w, http.StatusTooManyRequests, "", map[string]string{
		"message":           "Too Many Requests",
		"documentation_url": "https://developer.4me.com/v1/#rate-limiting",
	})
	return false
}

func (s *Server) get(w http.ResponseWriter, id int64) {
	s.mu.Lock()
	o, ok := s.orgs[id]
	var body map[string]any
	if ok {
		body = s.render(o, nil)
	}
	s.mu.Unlock()
	if !ok {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	fake.WriteJSON(w, http.StatusOK, "", body)
}
