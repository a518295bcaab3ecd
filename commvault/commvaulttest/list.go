package commvaulttest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file is the list's query: paging with start and limit (and the
// filterQueryCount that says how many match), fq filters and sort, as
// newer servers take them; WithoutListPaging makes the list behave as
// older servers do.

// WithoutListPaging makes GET Organization ignore start, limit, fq and
// sort and send no filterQueryCount, as older servers do: every
// organization in one answer, whatever was asked. By default the fake
// pages, filters and counts as newer servers do.
func WithoutListPaging() Option { return func(s *Server) { s.unpaged = true } }

// listQuery is what the list request asked for.
type listQuery struct {
	start, limit int
	filters      []fqFilter
	sortBy       string
	desc         bool
}

type fqFilter struct {
	column, op, value string
}

// parseListQuery reads start, limit, fq (column:op:value) and sort
// (column:1|-1). The columns the fake knows are the organization's name
// (providers.connectName, or name), id (providers.shortname.id, or id) and
// alias (providers.shortName.domainName, or alias); the operators are eq,
// neq and contains (text, in any case), gt, lt, gteq and lteq (the id) and
// nin (comma-separated). search and fl are accepted and ignored.
func parseListQuery(r *http.Request) (listQuery, error) {
	q := r.URL.Query()
	var lq listQuery
	var err error
	if v := q.Get("start"); v != "" {
		if lq.start, err = strconv.Atoi(v); err != nil || lq.start < 0 {
			return lq, fmt.Errorf("invalid start %q", v)
		}
	}
	if v := q.Get("limit"); v != "" {
		if lq.limit, err = strconv.Atoi(v); err != nil || lq.limit < 0 {
			return lq, fmt.Errorf("invalid limit %q", v)
		}
	}
	for _, fq := range q["fq"] {
		col, rest, ok1 := strings.Cut(fq, ":")
		op, val, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			return lq, fmt.Errorf("invalid fq %q: want column:op:value", fq)
		}
		f := fqFilter{column: columnOf(col), op: strings.ToLower(op), value: val}
		if f.column == "" {
			return lq, fmt.Errorf("unknown fq column %q", col)
		}
		switch f.op {
		case "eq", "neq", "contains", "nin":
		case "gt", "lt", "gteq", "lteq":
			if f.column != "id" {
				return lq, fmt.Errorf("fq operator %s applies to numeric columns", op)
			}
			if _, err := strconv.Atoi(val); err != nil {
				return lq, fmt.Errorf("fq %q: %q is not a number", fq, val)
			}
		default:
			return lq, fmt.Errorf("unknown fq operator %q", op)
		}
		lq.filters = append(lq.filters, f)
	}
	if v := q.Get("sort"); v != "" {
		col, dir, _ := strings.Cut(v, ":")
		if lq.sortBy = columnOf(col); lq.sortBy == "" || (dir != "1" && dir != "-1") {
			return lq, fmt.Errorf("invalid sort %q", v)
		}
		lq.desc = dir == "-1"
	}
	return lq, nil
}

func columnOf(col string) string {
	switch strings.ToLower(col) {
	case "providers.connectname", "name", "connectname":
		return "name"
	case "providers.shortname.id", "id":
		return "id"
	case "providers.shortname.domainname", "alias", "domainname":
		return "alias"
	}
	return ""
}

func (f fqFilter) text(o *record) string {
	switch f.column {
	case "id":
		return strconv.Itoa(o.id)
	case "alias":
		return o.alias
	}
	return o.name
}

func (f fqFilter) keep(o *record) bool {
	got := f.text(o)
	switch f.op {
	case "eq":
		return strings.EqualFold(got, f.value)
	case "neq":
		return !strings.EqualFold(got, f.value)
	case "contains":
		return strings.Contains(strings.ToLower(got), strings.ToLower(f.value))
	case "nin":
		return !slices.ContainsFunc(strings.Split(f.value, ","), func(v string) bool { return strings.EqualFold(got, v) })
	}
	want, _ := strconv.Atoi(f.value)
	switch f.op {
	case "gt":
		return o.id > want
	case "lt":
		return o.id < want
	case "gteq":
		return o.id >= want
	case "lteq":
		return o.id <= want
	}
	return false
}

// list answers GET Organization: the organizations (not the CommCell, id
// 0) by id, filtered, sorted and paged as the query asks, with
// filterQueryCount, the number that match before paging.
func (s *Server) list(w http.ResponseWriter, r *http.Request, x bool) {
	var lq listQuery
	if !s.unpaged {
		var err error
		if lq, err = parseListQuery(r); err != nil {
			writeError(w, http.StatusOK, x, "flat", err.Error(), 2)
			return
		}
	}
	s.mu.Lock()
	matched := make([]*record, 0, len(s.orgs))
	for id, o := range s.orgs {
		if id != 0 && !slices.ContainsFunc(lq.filters, func(f fqFilter) bool { return !f.keep(o) }) {
			matched = append(matched, o)
		}
	}
	slices.SortFunc(matched, func(a, b *record) int {
		c := a.id - b.id
		if lq.sortBy == "name" {
			c = strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
		} else if lq.sortBy == "alias" {
			c = strings.Compare(strings.ToLower(a.alias), strings.ToLower(b.alias))
		}
		if lq.desc {
			c = -c
		}
		return c
	})
	page := matched[min(lq.start, len(matched)):]
	if lq.limit > 0 {
		page = page[:min(lq.limit, len(page))]
	}
	list := &listResp{Providers: make([]orgW, 0, len(page))}
	for _, o := range page {
		list.Providers = append(list.Providers, o.listForm())
	}
	s.mu.Unlock()
	if !s.unpaged {
		list.FilterQueryCount = ptr(len(matched))
	}
	write(w, http.StatusOK, x, list)
}
