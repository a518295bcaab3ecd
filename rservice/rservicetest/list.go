package rservicetest

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/fake"
)

var views = map[string]bool{
	"enabled": true, "disabled": true, "external": true, "internal": true, "trusted": true,
	"directory": true, "support_domain": true, "managed_by_me": true,
}

type kind int

const (
	kString kind = iota
	kInt
	kBool
	kTime
)

// filterable are the fields the API documents as filterable.
var filterable = map[string]kind{
	"id": kInt, "source": kString, "sourceID": kString, "name": kString, "disabled": kBool,
	"created_at": kTime, "updated_at": kTime, "financialID": kString, "parent": kInt,
}

var sortable = map[string]bool{"id": true, "sourceID": true, "name": true, "created_at": true, "updated_at": true}

// fieldValue returns o's value of a filterable field: string, int64, bool,
// time.Time, or nil when blank.
func fieldValue(o *org, field string) any {
	str := func(p *string) any {
		if p == nil || *p == "" {
			return nil
		}
		return *p
	}
	switch field {
	case "id":
		return o.ID
	case "source":
		return str(o.Source)
	case "sourceID":
		return str(o.SourceID)
	case "name":
		return o.Name
	case "disabled":
		return o.Disabled
	case "created_at":
		return o.CreatedAt
	case "updated_at":
		return o.UpdatedAt
	case "financialID":
		return str(o.FinancialID)
	case "parent":
		if o.ParentID == nil {
			return nil
		}
		return *o.ParentID
	}
	return nil
}

// matcher tests one record against one filter parameter.
type matcher func(o *org) bool

// parseFilter reads field=<op>value as the API does, on the decoded value.
func parseFilter(field, v string) (matcher, error) {
	k := filterable[field]
	get := func(o *org) any { return fieldValue(o, field) }
	switch {
	case v == "":
		return func(o *org) bool { return get(o) == nil }, nil
	case v == "!":
		return func(o *org) bool { return get(o) != nil }, nil
	case v[0] == '<' || v[0] == '>':
		return parseRange(field, k, v)
	}
	negate := false
	if v[0] == '!' {
		negate, v = true, v[1:]
	}
	values := []string{v}
	if strings.Contains(v, ",") && isList(k, v) {
		values = strings.Split(v, ",")
	}
	wants := make([]any, 0, len(values))
	for _, s := range values {
		w, err := parseValue(k, s)
		if err != nil {
			return nil, fmt.Errorf("invalid value for %s: %q", field, s)
		}
		wants = append(wants, w)
	}
	return func(o *org) bool {
		got := get(o)
		in := false
		for _, w := range wants {
			if equal(got, w) {
				in = true
				break
			}
		}
		if negate {
			return got != nil && !in
		}
		return in
	}, nil
}

// isList: lists are of integers and enumeration values; text with spaces
// is one value even when it holds commas.
func isList(k kind, v string) bool {
	if k == kInt || k == kBool {
		return true
	}
	if k != kString {
		return false
	}
	for _, p := range strings.Split(v, ",") {
		if p == "" || strings.ContainsAny(p, " \t") {
			return false
		}
	}
	return true
}

func parseValue(k kind, s string) (any, error) {
	switch k {
	case kInt:
		return strconv.ParseInt(s, 10, 64)
	case kBool:
		return strconv.ParseBool(s)
	case kTime:
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		return time.Parse("2006-01-02", s)
	}
	return s, nil
}

func equal(got, want any) bool {
	if got == nil {
		return false
	}
	if t, ok := got.(time.Time); ok {
		w, ok := want.(time.Time)
		return ok && t.Equal(w)
	}
	return got == want
}

// parseRange reads <v, <=v, >v, >=v and the two-sided >=a<=b.
func parseRange(field string, k kind, v string) (matcher, error) {
	if k != kInt && k != kTime {
		return nil, fmt.Errorf("invalid value for %s: %q", field, v)
	}
	type bound struct {
		op  string
		val any
	}
	var bounds []bound
	for v != "" {
		op := v[:1]
		if len(v) > 1 && v[1] == '=' {
			op = v[:2]
		}
		if op[0] != '<' && op[0] != '>' {
			return nil, fmt.Errorf("invalid value for %s", field)
		}
		v = v[len(op):]
		end := strings.IndexAny(v, "<>")
		if end < 0 {
			end = len(v)
		}
		val, err := parseValue(k, v[:end])
		if err != nil {
			return nil, fmt.Errorf("invalid value for %s: %q", field, v[:end])
		}
		bounds = append(bounds, bound{op, val})
		v = v[end:]
	}
	return func(o *org) bool {
		got := fieldValue(o, field)
		if got == nil {
			return false
		}
		for _, b := range bounds {
			c := compare(got, b.val)
			ok := false
			switch b.op {
			case "<":
				ok = c < 0
			case "<=":
				ok = c <= 0
			case ">":
				ok = c > 0
			case ">=":
				ok = c >= 0
			}
			if !ok {
				return false
			}
		}
		return true
	}, nil
}

func compare(a, b any) int {
	switch x := a.(type) {
	case int64:
		y, _ := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case time.Time:
		y, _ := b.(time.Time)
		return x.Compare(y)
	case string:
		y, _ := b.(string)
		return strings.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	return 0
}

func (s *Server) inView(o *org, view string) bool {
	switch view {
	case "enabled":
		return !o.Disabled
	case "disabled":
		return o.Disabled
	case "external":
		return o.External
	case "internal":
		return !o.External
	case "trusted":
		return o.Trusted
	case "directory":
		return o.Directory
	case "support_domain":
		return !o.Directory
	case "managed_by_me":
		return (o.ManagerID != nil && *o.ManagerID == s.APIUserID) || (o.SubstituteID != nil && *o.SubstituteID == s.APIUserID)
	}
	return true
}

type sortKey struct {
	field string
	desc  bool
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, view string) {
	s.listWhere(w, r, view, nil)
}

// listWhere serves the organizations in view for which in (nil: every
// one) is true, with the filters, sort, fields and paging of the query.
// The children of an organization are this list with in on the parent.
func (s *Server) listWhere(w http.ResponseWriter, r *http.Request, view string, in func(*org) bool) {
	q := r.URL.Query()
	perPage, ok := perPageOf(w, q)
	if !ok {
		return
	}
	var fields []string
	if v, ok := q["fields"]; ok {
		fields = []string{}
		for _, f := range strings.Split(strings.Join(v, ","), ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if !allFields[f] {
				writeMessage(w, http.StatusBadRequest, "Unknown fields: "+f)
				return
			}
			fields = append(fields, f)
		}
	}
	keys := []sortKey{{field: "name"}}
	if v := q.Get("sort"); v != "" {
		keys = nil
		var bad []string
		for _, f := range strings.Split(v, ",") {
			desc := strings.HasPrefix(f, "-")
			f = strings.TrimPrefix(f, "-")
			if !sortable[f] {
				bad = append(bad, f)
				continue
			}
			keys = append(keys, sortKey{f, desc})
		}
		if len(bad) > 0 {
			writeMessage(w, http.StatusBadRequest, "Sorting not allowed on fields: "+strings.Join(bad, ", "))
			return
		}
	}
	var matchers []matcher
	for name, vs := range q {
		if _, ok := filterable[name]; !ok {
			continue
		}
		for _, v := range vs {
			m, err := parseFilter(name, v)
			if err != nil {
				writeMessage(w, http.StatusBadRequest, err.Error())
				return
			}
			matchers = append(matchers, m)
		}
	}

	s.mu.Lock()
	var rows []*org
	for _, o := range s.orgs {
		if !s.inView(o, view) || (in != nil && !in(o)) {
			continue
		}
		ok := true
		for _, m := range matchers {
			if !m(o) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, o)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		for _, k := range keys {
			c := compareNil(fieldValue(rows[i], k.field), fieldValue(rows[j], k.field))
			if c != 0 {
				return (c < 0) != k.desc
			}
		}
		return rows[i].ID < rows[j].ID
	})
	start := 0
	if after := q.Get("search_after"); after != "" {
		idText := after[strings.LastIndexByte(after, ',')+1:]
		id, err := strconv.ParseInt(idText, 10, 64)
		found := false
		for i, o := range rows {
			if err == nil && o.ID == id {
				start, found = i+1, true
				break
			}
		}
		if !found {
			s.mu.Unlock()
			writeMessage(w, http.StatusBadRequest, "Invalid search_after")
			return
		}
	}
	end := min(start+perPage, len(rows))
	renderFields := fields
	if renderFields == nil {
		renderFields = defaultListFields
	}
	body := make([]map[string]any, 0, end-start)
	for _, o := range rows[start:end] {
		body = append(body, s.render(o, renderFields))
	}
	next := ""
	if end < len(rows) {
		next = searchAfter(rows[end-1], keys)
	}
	s.mu.Unlock()

	writePaging(w, r, perPage, start, len(rows), next)
	fake.WriteJSON(w, http.StatusOK, "", body)
}

// perPageOf reads per_page as the platform does: default 20, at most 100,
// below 1 a 400 (written to w; ok is then false).
func perPageOf(w http.ResponseWriter, q url.Values) (perPage int, ok bool) {
	perPage = 20
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeMessage(w, http.StatusBadRequest, "Parameter 'per_page' cannot be less than 1")
			return 0, false
		}
		perPage = min(n, 100)
	}
	return perPage, true
}

// writePaging sets the paging headers of a page starting at row start of
// total: X-Pagination-*, and Link rel="first" and, when next (a
// search_after value) is not "", rel="next", both keeping the request's
// query but its search_after.
func writePaging(w http.ResponseWriter, r *http.Request, perPage, start, total int, next string) {
	h := w.Header()
	h.Set("X-Pagination-Per-Page", strconv.Itoa(perPage))
	h.Set("X-Pagination-Current-Page", strconv.Itoa(start/perPage+1))
	h.Set("X-Pagination-Total-Pages", strconv.Itoa(max(1, (total+perPage-1)/perPage)))
	h.Set("X-Pagination-Total-Entries", strconv.Itoa(total))
	if total > 100000 {
		h.Set("X-Pagination-Throttled", "true")
	}
	self := "http://" + r.Host + r.URL.Path
	kept := keptQuery(r.URL.RawQuery)
	first := self
	if kept != "" {
		first += "?" + kept
	}
	link := "<" + first + `>; rel="first"`
	if next != "" {
		sep := "?"
		if kept != "" {
			sep = "?" + kept + "&"
		}
		// Separator without a space, as the platform sends it, so a
		// parser that splits at ", " gets it wrong.
		link += ",<" + self + sep + "search_after=" + next + `>; rel="next"`
	}
	h.Set("Link", link)
}

// keptQuery is the request's query without search_after, byte for byte (so
// fields=id,name keeps its bare commas in the links).
func keptQuery(raw string) string {
	var kept []string
	for _, p := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(p, "=")
		if p == "" || k == "search_after" {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}

// searchAfter is the opaque cursor: the last row's sort values and id,
// each escaped, joined by bare commas (as the platform does).
func searchAfter(o *org, keys []sortKey) string {
	var parts []string
	for _, k := range keys {
		v := fieldValue(o, k.field)
		switch x := v.(type) {
		case nil:
			parts = append(parts, "")
		case time.Time:
			parts = append(parts, strconv.FormatInt(x.UnixMilli(), 10))
		default:
			parts = append(parts, url.QueryEscape(fmt.Sprint(x)))
		}
	}
	parts = append(parts, strconv.FormatInt(o.ID, 10))
	return strings.Join(parts, ",")
}

func compareNil(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return compare(a, b)
}
