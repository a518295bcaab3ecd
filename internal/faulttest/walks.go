package faulttest

// What the walk and decoder fault tests of issue 19 share (groups 2, 6 and
// 10): hostile lists that never end, answers that are not answers, and
// bodies that name an identity twice. Each provider renders them in its own
// wire format and checks the rules its All and decoders document.

import (
	"errors"
	"iter"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
)

// HostileList is a list a broken or hostile server serves page by page.
type HostileList struct {
	Name string
	// Page returns the identities of the organizations on page n (counting
	// from 1) and whether that page names a next one.
	Page func(n int) (ids []string, next bool)
	// MaxPages is the cap the walk is given (0: the default).
	MaxPages int
	// Err is what the walk must end with (nil: no error).
	Err error
	// Yields is how many organizations the walk yields before it ends;
	// Requests is how many pages it fetches, prefetching or not.
	Yields, Requests int
}

// IDs returns n identities "<first>", "<first+1>", ...
func IDs(first, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(first + i)
	}
	return out
}

// HostileLists are the lists every paged provider's All must end on (issue
// 19.6), with what it must yield and how many requests it may make. Every
// page names a fresh next page unless the case says otherwise: only the
// walk's own rules can end these walks.
func HostileLists() []HostileList {
	endless := func(page func(n int) []string) func(int) ([]string, bool) {
		return func(n int) ([]string, bool) { return page(n), true }
	}
	return []HostileList{
		{
			Name: "empty pages, each naming a fresh next page",
			Page: endless(func(int) []string { return nil }),
			Err:  orgsdk.ErrPaginationLoop, Yields: 0, Requests: 1,
		},
		{
			Name: "an empty page after two real ones",
			Page: endless(func(n int) []string {
				if n > 2 {
					return nil
				}
				return IDs(10*n, 3)
			}),
			Err: orgsdk.ErrPaginationLoop, Yields: 6, Requests: 3,
		},
		{
			Name: "the same organizations under fresh cursors",
			Page: endless(func(int) []string { return IDs(1, 3) }),
			Err:  orgsdk.ErrPaginationLoop, Yields: 3, Requests: 2,
		},
		{
			Name: "two pages taking turns under fresh cursors",
			Page: endless(func(n int) []string { return IDs(100*(n%2)+1, 4) }),
			Err:  orgsdk.ErrPaginationLoop, Yields: 8, Requests: 3,
		},
		{
			Name: "new organizations for ever, under a cap of 25 pages",
			Page: endless(func(n int) []string { return IDs(10*n, 2) }), MaxPages: 25,
			Err: orgsdk.ErrTooManyPages, Yields: 50, Requests: 25,
		},
		{
			Name:   "pages that overlap by one, then end",
			Page:   func(n int) ([]string, bool) { return IDs(n, 2), n < 5 },
			Yields: 10, Requests: 5,
		},
		{
			Name:   "a last page of repeats",
			Page:   func(n int) ([]string, bool) { return IDs(1, 3), n < 2 },
			Yields: 6, Requests: 2,
		},
		{
			Name: "a cap reached on the last page",
			Page: func(n int) ([]string, bool) { return IDs(10*n, 2), n < 3 }, MaxPages: 3,
			Yields: 6, Requests: 3,
		},
	}
}

// EachHostileList runs walk for every hostile list, with prefetch 0, 1
// and 8 (WithPrefetch(n)), each as a parallel subtest, and checks what it
// returns: the walk's result and how many pages the server served (with
// prefetch n > 0, up to n more than hl.Requests: the pages in flight when
// the walk ended; a counted walk one page ahead may have asked for the
// page after the one that ended it, as the scheduler has it).
// provider is the package's name, which every error of the walk carries.
func EachHostileList(t *testing.T, provider string, walk func(t *testing.T, hl HostileList, prefetch int) (Walked, int)) {
	t.Helper()
	for _, hl := range HostileLists() {
		for _, prefetch := range []int{0, 1, 8} {
			t.Run(hl.Name+"/prefetch="+strconv.Itoa(prefetch), func(t *testing.T) {
				t.Parallel()
				w, requests := walk(t, hl, prefetch)
				if prefetch > 0 && requests > hl.Requests && requests <= hl.Requests+prefetch {
					// A walk with pages in flight may have asked for up
					// to prefetch pages after the one that ended it; they
					// were cancelled and never yielded.
					requests = hl.Requests
				}
				AssertWalk(t, hl, w, requests, provider)
			})
		}
	}
}

// Walked is what a range over a walk produced.
type Walked struct {
	// IDs are the identities of the items yielded, in order.
	IDs []string
	// Errs are the errors yielded (a walk yields at most one).
	Errs []error
}

// Walk ranges over seq, recording the identity id gives each item, and
// breaks after limit items, so a walk that does not end fails its test
// instead of hanging it.
func Walk[T any](seq iter.Seq2[T, error], id func(T) string, limit int) Walked {
	var w Walked
	for v, err := range seq {
		if err != nil {
			w.Errs = append(w.Errs, err)
			continue
		}
		w.IDs = append(w.IDs, id(v))
		if len(w.IDs) >= limit {
			break
		}
	}
	return w
}

// AssertWalk checks a walk over hl against what hl says it must do:
// requests is how many pages the server served, provider the package's
// name, which every error of the walk carries.
func AssertWalk(t testing.TB, hl HostileList, w Walked, requests int, provider string) {
	t.Helper()
	if hl.Err == nil {
		assert.Empty(t, w.Errs, "the walk ends without an error")
	} else if assert.Len(t, w.Errs, 1, "the walk ends with one error") {
		err := w.Errs[0]
		assert.ErrorIs(t, err, hl.Err)
		assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: "+provider+": "), "the walk's error names the provider: %v", err)
		assert.Less(t, len(err.Error()), 512, "the walk's error is short")
	}
	assert.Len(t, w.IDs, hl.Yields, "organizations yielded: %v", w.IDs)
	assert.Equal(t, hl.Requests, requests, "pages fetched")
}

// ForeignBody is a success answer that is not the provider's answer.
type ForeignBody struct {
	Name string
	// ContentType is sent as is; JSONType stands for the provider's own
	// JSON media type.
	ContentType string
	Body        string
	// Is is the sentinel the DecodeError must match (nil: none besides
	// DecodeError); Says is a piece of its text naming what arrived.
	Is   error
	Says string
}

// JSONType in ForeignBody.ContentType stands for the provider's own JSON
// media type.
const JSONType = "<json>"

// ForeignBodies are answers no provider may read as a result (issue 19.2):
// HTML pages however they are labelled, bodies in another format than
// their Content-Type names, and JSON whose top level no answer has.
func ForeignBodies() []ForeignBody {
	const login = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action=/login>Sign in</form></body></html>"
	return []ForeignBody{
		{"login page typed as JSON", JSONType, login, orgsdk.ErrUnexpectedContentType, "HTML page"},
		{"login page typed as XML", "application/xml", login, orgsdk.ErrUnexpectedContentType, ""},
		{"login page typed as text/xml", "text/xml; charset=utf-8", "<html><body>Sign in</body></html>", orgsdk.ErrUnexpectedContentType, ""},
		{"login page without a Content-Type", "", "\r\n  <HTML><BODY>Sign in</BODY></HTML>", orgsdk.ErrUnexpectedContentType, "HTML page"},
		{"XHTML page typed as XML", "application/xml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">` +
			`<html xmlns="http://www.w3.org/1999/xhtml"><body>Sign in</body></html>`, orgsdk.ErrUnexpectedContentType, ""},
		{"proxy page after a comment, typed as JSON", JSONType, "<!-- proxy 7 --><html><body>502 Bad Gateway</body></html>", orgsdk.ErrUnexpectedContentType, "HTML page"},
		{"XML typed as JSON", JSONType, `<?xml version="1.0"?><providers/>`, orgsdk.ErrUnexpectedContentType, "markup"},
		{"null", JSONType, "null", nil, "got null"},
		{"a JSON string", JSONType, `"ok"`, nil, "got a JSON string"},
		{"a JSON number", JSONType, `200`, nil, "got a JSON number"},
		{"a JSON boolean", JSONType, `true`, nil, "got the JSON boolean true"},
		{"an empty body", JSONType, "", nil, "empty body"},
	}
}

// AssertForeign checks the error of a call answered with fb: a
// *DecodeError matching fb.Is that says what arrived, after one request.
func AssertForeign(t testing.TB, fb ForeignBody, err error, requests int) {
	t.Helper()
	var de *orgsdk.DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	if fb.Is != nil {
		assert.ErrorIs(t, err, fb.Is)
	}
	assert.Contains(t, err.Error(), fb.Says)
	assert.Equal(t, 1, requests, "an answer that cannot change is not asked for again")
}

// Duplicates returns obj (a JSON object's text holding key) with key
// repeated at its end, set to value, in each spelling that encoding/json
// reads as the same field: the same, in upper case, and escaped.
func Duplicates(obj, key, value string) map[string]string {
	var escaped strings.Builder
	for _, r := range key {
		escaped.WriteString(`\u00` + strconv.FormatInt(int64(r), 16))
	}
	end := strings.LastIndexByte(obj, '}')
	add := func(k string) string { return obj[:end] + `,"` + k + `":` + value + obj[end:] }
	return map[string]string{
		"twice":         add(key),
		"in upper case": add(strings.ToUpper(key)),
		"escaped":       add(escaped.String()),
	}
}

// DuplicateCase is a body that holds Key twice in one object.
type DuplicateCase struct {
	Name, Key, Body string
}

// DuplicateCases returns the bodies wrap(d) for each d of Duplicates(obj,
// key, value), named "<call>/<key> <spelling>"; a nil wrap keeps d as it is.
func DuplicateCases(call, obj, key, value string, wrap func(string) string) []DuplicateCase {
	if wrap == nil {
		wrap = func(s string) string { return s }
	}
	var out []DuplicateCase
	for spelling, body := range Duplicates(obj, key, value) {
		out = append(out, DuplicateCase{Name: call + "/" + key + " " + spelling, Key: key, Body: wrap(body)})
	}
	return out
}

// AssertDuplicate checks the error of a call answered with a body that
// holds key twice: a *DecodeError naming the key, after one request.
func AssertDuplicate(t testing.TB, key string, err error, requests int) {
	t.Helper()
	var de *orgsdk.DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	assert.Contains(t, err.Error(), `key "`+key+`" appears twice in one JSON object`)
	assert.Equal(t, 1, requests, "an answer that cannot change is not asked for again")
}
