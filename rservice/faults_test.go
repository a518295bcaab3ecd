package rservice_test

// Fault injection (issue 11, "Also deliver"): every write case counts the
// requests that reached the server, and no write is ever applied twice.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// writeCase is one write the SDK can send, with the path it goes to on the
// fake (relative to the fake's URL, and in full for HitsFor).
type writeCase struct {
	name     string
	method   string
	path     string
	fullPath string
	call     func(ctx context.Context, c *rservice.Client) error
}

func writeCases() []writeCase {
	return []writeCase{
		{"create", http.MethodPost, "organizations", "/v1/organizations", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.Create(ctx, &rservice.OrganizationInput{
				Name: rservice.Set("Fault Injected"), OrderTemplateID: rservice.Set[int64](30),
			})
			return err
		}},
		{"update", http.MethodPatch, "organizations/50", "/v1/organizations/50", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{Remarks: rservice.Set("fault injected")})
			return err
		}},
	}
}

// subWriteCases are the writes of an organization's addresses and
// contacts (issue 21), on records the fake seeds (organization 50, its
// address 71 and contact 225).
func subWriteCases() []writeCase {
	return []writeCase{
		{"create address", http.MethodPost, "organizations/50/addresses", "/v1/organizations/50/addresses", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.CreateAddress(ctx, 50, &rservice.AddressInput{Label: rservice.Set(rservice.LabelMailing), City: rservice.Set("Albany")})
			return err
		}},
		{"update address", http.MethodPatch, "organizations/50/addresses/71", "/v1/organizations/50/addresses/71", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.UpdateAddress(ctx, 50, 71, &rservice.AddressInput{City: rservice.Set("Albany")})
			return err
		}},
		{"delete address", http.MethodDelete, "organizations/50/addresses/71", "/v1/organizations/50/addresses/71", func(ctx context.Context, c *rservice.Client) error {
			_, err := c.Organizations.DeleteAddress(ctx, 50, 71)
			return err
		}},
		{"delete all addresses", http.MethodDelete, "organizations/50/addresses", "/v1/organizations/50/addresses", func(ctx context.Context, c *rservice.Client) error {
			_, err := c.Organizations.DeleteAllAddresses(ctx, 50)
			return err
		}},
		{"create contact", http.MethodPost, "organizations/50/contacts", "/v1/organizations/50/contacts", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.CreateContact(ctx, 50, &rservice.ContactInput{Label: rservice.Set("service_desk"), Email: rservice.Set("desk@widget.com")})
			return err
		}},
		{"update contact", http.MethodPatch, "organizations/50/contacts/225", "/v1/organizations/50/contacts/225", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.UpdateContact(ctx, 50, 225, &rservice.ContactInput{Telephone: rservice.Set("+1 555 0100")})
			return err
		}},
		{"delete contact", http.MethodDelete, "organizations/50/contacts/225", "/v1/organizations/50/contacts/225", func(ctx context.Context, c *rservice.Client) error {
			_, err := c.Organizations.DeleteContact(ctx, 50, 225)
			return err
		}},
		{"delete all contacts", http.MethodDelete, "organizations/50/contacts", "/v1/organizations/50/contacts", func(ctx context.Context, c *rservice.Client) error {
			_, err := c.Organizations.DeleteAllContacts(ctx, 50)
			return err
		}},
	}
}

// records counts what the fake holds: organizations, addresses, contacts.
func records(srv *rservicetest.Server) int {
	n := 0
	for _, o := range srv.Organizations() {
		n += 1 + len(o.Addresses) + len(o.Contacts)
	}
	return n
}

// allWriteCases are writeCases and subWriteCases.
func allWriteCases() []writeCase { return append(writeCases(), subWriteCases()...) }

func faultClient(t *testing.T, base string, opts ...rservice.Option) *rservice.Client {
	t.Helper()
	opts = append([]rservice.Option{rservice.WithBaseURL(base), rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond)}, opts...)
	c, err := rservice.NewClient("fault-token-123", opts...)
	require.NoError(t, err)
	return c
}

const orgJSON = `{"id":50,"name":"Widget North America, Finance","sourceID":null,"parent":null,"manager":null,` +
	`"created_at":"2016-03-22T21:02:50-05:00","updated_at":"2016-03-22T21:03:36-05:00"}`

// TestFaultsRedirectedWrites answers each write with each redirect status
// to a same-origin URL. 301/302/303 would turn the write into a GET, so
// they are errors and nothing follows; 307/308 keep method and body, and
// may be followed once. Either way the write reaches the server at most
// once after the redirect, and the redirecting URL is hit exactly once.
func TestFaultsRedirectedWrites(t *testing.T) {
	t.Parallel()
	for _, wc := range allWriteCases() {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(fmt.Sprintf("%s %d", wc.name, status), func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/moved/") {
						w.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(w, orgJSON)
						return
					}
					http.Redirect(w, r, "/moved"+r.URL.Path, status)
				})
				err := wc.call(context.Background(), faultClient(t, srv.URL+"/v1/"))
				assert.Equal(t, 1, srv.Count(wc.method, wc.fullPath), "the write is sent once")
				moved := srv.Count(wc.method, "/moved"+wc.fullPath) + srv.Count("GET", "/moved"+wc.fullPath)
				switch status {
				case 301, 302, 303:
					require.ErrorIs(t, err, rservice.ErrRedirectedWrite)
					assert.Zero(t, moved, "a redirected write is never followed as a GET")
				default:
					if err != nil {
						require.ErrorIs(t, err, rservice.ErrRedirectedWrite)
						assert.Zero(t, moved)
					} else {
						assert.Equal(t, 1, srv.Count(wc.method, "/moved"+wc.fullPath), "followed once, method kept")
					}
					assert.Zero(t, srv.Count("GET", "/moved"+wc.fullPath), "never as a GET")
				}
				assert.LessOrEqual(t, srv.Total(), 2)
			})
		}
	}
}

// TestFaultsConnectionDroppedAfterWrite reads the whole write and then
// closes the connection without an answer: the server may have acted, so
// the write is not resent.
func TestFaultsConnectionDroppedAfterWrite(t *testing.T) {
	t.Parallel()
	for _, wc := range allWriteCases() {
		t.Run(wc.name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			})
			err := wc.call(context.Background(), faultClient(t, srv.URL+"/v1/", rservice.WithMaxRetries(5)))
			require.Error(t, err)
			var te *rservice.TransportError
			assert.ErrorAs(t, err, &te)
			assert.Equal(t, 1, srv.Count(wc.method, wc.fullPath), "not resent")
			assert.Equal(t, 1, srv.Total())
		})
	}
}

// TestFaults5xxOnWrite: a write answered 500/502/503/504 is not retried.
func TestFaults5xxOnWrite(t *testing.T) {
	t.Parallel()
	for _, wc := range allWriteCases() {
		for _, status := range []int{500, 502, 503, 504} {
			t.Run(fmt.Sprintf("%s %d", wc.name, status), func(t *testing.T) {
				t.Parallel()
				srv, c := newFake(t)
				before := srv.Organizations()
				srv.InjectFault(rservicetest.Fault{Status: status, Method: wc.method, Count: 10})
				err := wc.call(context.Background(), c)
				var apiErr *rservice.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, 1, srv.HitsFor(wc.method, wc.fullPath), "not retried")
				assert.Equal(t, 1, srv.Hits())
				assert.Equal(t, before, srv.Organizations(), "nothing applied")
			})
		}
	}
}

// TestFaults429OnWrite: a 429 means the server did not act, so the write
// is resent after a Retry-After the client may sleep, and applied once; a
// longer Retry-After fails at once with the wait.
func TestFaults429OnWrite(t *testing.T) {
	t.Parallel()
	for _, wc := range allWriteCases() {
		t.Run(wc.name+" short wait", func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			n := records(srv)
			srv.InjectFault(rservicetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0", Method: wc.method})
			require.NoError(t, wc.call(context.Background(), c))
			assert.Equal(t, 2, srv.HitsFor(wc.method, wc.fullPath), "the 429 and one accepted write")
			applied := 0
			for _, r := range srv.Requests() {
				if r.Method == wc.method {
					applied++
				}
			}
			assert.Equal(t, 2, applied)
			if wc.method == http.MethodPost {
				assert.Equal(t, n+1, records(srv), "created once")
			}
		})
		t.Run(wc.name+" long wait", func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			before := srv.Organizations()
			srv.InjectFault(rservicetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "120", Method: wc.method,
				Body: `{"message":"Too Many Requests","documentation_url":"https://developer.4me.com/v1/#rate-limiting"}`})
			err := wc.call(context.Background(), c)
			require.ErrorIs(t, err, rservice.ErrRateLimited)
			var apiErr *rservice.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
			assert.Equal(t, "https://developer.4me.com/v1/#rate-limiting", apiErr.DocumentationURL)
			assert.Equal(t, 1, srv.HitsFor(wc.method, wc.fullPath))
			assert.Equal(t, before, srv.Organizations())
		})
	}
}

// TestFaultsForeignHostCursor: a next link to another host is handed back
// but never fetched, and no credential goes there.
func TestFaultsForeignHostCursor(t *testing.T) {
	t.Parallel()
	evil := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "[]")
	})
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Link", `<`+evil.URL+`/v1/organizations?search_after=x,1>; rel="next"`)
		_, _ = io.WriteString(w, "["+orgJSON+"]")
	})
	c := faultClient(t, srv.URL+"/v1/")
	ctx := context.Background()

	page, resp, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.True(t, strings.HasPrefix(resp.NextCursor, evil.URL))
	_, _, err = c.Organizations.List(ctx, &rservice.ListOptions{Cursor: resp.NextCursor})
	require.ErrorIs(t, err, rservice.ErrForeignHost)

	var got []int64
	var walkErr error
	for o, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			walkErr = err
			break
		}
		got = append(got, o.ID)
	}
	assert.Equal(t, []int64{50}, got)
	require.ErrorIs(t, walkErr, rservice.ErrForeignHost)
	assert.Zero(t, evil.Total(), "nothing sent to the other host")
}

// TestFaultsCursorCycle serves page A → B → A → …: the walk must stop with
// ErrPaginationLoop instead of going round for ever.
func TestFaultsCursorCycle(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		next := "b"
		if r.URL.Query().Get("search_after") == "b" {
			next = "a"
		}
		w.Header().Set("Link", `</v1/organizations?per_page=100&search_after=`+next+`>; rel="next"`)
		_, _ = io.WriteString(w, "["+orgJSON+"]")
	})
	c := faultClient(t, srv.URL+"/v1/")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const limit = 20
	items := 0
	var walkErr error
	for _, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			walkErr = err
			break
		}
		if items++; items >= limit {
			break
		}
	}
	require.ErrorIs(t, walkErr, rservice.ErrPaginationLoop)
	assert.True(t, strings.HasPrefix(walkErr.Error(), "orgsdk: rservice: pagination did not advance"), "every provider words the walk's own errors alike: %v", walkErr)
	// First page, B, A again: the repeat is caught when A comes back.
	assert.LessOrEqual(t, srv.Total(), 3)
	assert.LessOrEqual(t, items, 3)
}

// TestFaultsHostileBodies answers reads and writes with bodies a hostile or
// broken server could send. Each is an error of the right kind, a write is
// never resent, and nothing panics or allocates without bound.
func TestFaultsHostileBodies(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20)
	cases := []struct {
		name   string
		ctype  string
		body   string
		length string // a Content-Length that lies, for the truncated case
		is     error
	}{
		{"truncated", "application/json", `[{"id":50,"na`, "4096", rservice.ErrTruncatedBody},
		{"html", "text/html; charset=utf-8", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "", rservice.ErrUnexpectedContentType},
		{"empty", "application/json", "", "", nil},
		{"over the cap", "application/json", "[" + strings.Repeat(orgJSON+",", 200) + orgJSON + "]", "", rservice.ErrBodyTooLarge},
		{"nested 1M deep", "application/json", deep, "", nil},
		{"not JSON", "application/json", "{{{{", "", nil},
		{"object where a list is due", "application/json", `{"message":"ok"}`, "", nil},
	}
	calls := writeCases()
	for _, wc := range subWriteCases() {
		if wc.method != http.MethodDelete { // a 204 has no body to be hostile
			calls = append(calls, wc)
		}
	}
	calls = append(calls,
		writeCase{"list", http.MethodGet, "organizations", "/v1/organizations", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.List(ctx, nil)
			return err
		}},
		writeCase{"get", http.MethodGet, "organizations/50", "/v1/organizations/50", func(ctx context.Context, c *rservice.Client) error {
			_, _, err := c.Organizations.Get(ctx, 50)
			return err
		}},
	)
	for _, tc := range cases {
		for _, call := range calls {
			if tc.name == "object where a list is due" && call.name != "list" {
				continue
			}
			t.Run(tc.name+" "+call.name, func(t *testing.T) {
				t.Parallel()
				srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.ReadAll(r.Body)
					w.Header().Set("Content-Type", tc.ctype)
					if tc.length != "" {
						w.Header().Set("Content-Length", tc.length)
					}
					_, _ = io.WriteString(w, tc.body)
				})
				c := faultClient(t, srv.URL+"/v1/", rservice.WithMaxBodyBytes(64<<10), rservice.WithMaxRetries(2))
				if tc.name == "over the cap" {
					c = faultClient(t, srv.URL+"/v1/", rservice.WithMaxBodyBytes(4<<10), rservice.WithMaxRetries(2))
				}
				err := call.call(context.Background(), c)
				require.Error(t, err)
				if tc.is != nil {
					assert.ErrorIs(t, err, tc.is)
				}
				if tc.name != "truncated" {
					var de *rservice.DecodeError
					assert.ErrorAs(t, err, &de, "%v", err)
				}
				assert.Less(t, len(err.Error()), 2048, "the error quotes a bounded snippet")
				if call.method != http.MethodGet {
					assert.Equal(t, 1, srv.Count(call.method, call.fullPath), "a write is never resent")
				}
			})
		}
	}
}

// TestFaultsSecretAudit makes a server echo the token back in every form a
// body, a header or a link can carry, through every path the SDK has (list
// with a next link, get, create, update, a 429 with a documentation_url,
// raw Do), and greps every log line, error string, APIError field,
// Response.Request and cursor for each form.
func TestFaultsSecretAudit(t *testing.T) {
	t.Parallel()
	const token = "tok+en/Secret=42<x>&y~9"
	jsonDefault, err := json.Marshal(token)
	require.NoError(t, err)
	forms := map[string]string{
		"literal":                token,
		"URL-escaped (query)":    url.QueryEscape(token),
		"URL-escaped (path)":     url.PathEscape(token),
		"JSON-escaped (Go)":      strings.Trim(string(jsonDefault), `"`),
		"JSON-escaped (\\/)":     strings.ReplaceAll(token, "/", `\/`),
		"JSON-escaped (\\u002b)": strings.ReplaceAll(token, "+", `\u002b`),
	}
	// What the server echoes: a message with the JSON-escaped forms (the
	// decoded message is the literal token), the URL-escaped forms in a
	// documentation_url and the Link, the literal in a header.
	echo := fmt.Sprintf(`{"message":"bad token %s %s %s","errors":[["name","%s"]],"documentation_url":"https://docs.example/?access_token=%s&t=%s"}`,
		forms["JSON-escaped (Go)"], forms["JSON-escaped (\\/)"], forms["JSON-escaped (\\u002b)"], forms["JSON-escaped (Go)"],
		forms["URL-escaped (query)"], forms["URL-escaped (path)"])
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/organizations":
			w.Header().Set("Link", `</v1/organizations?access_token=`+url.QueryEscape(token)+`&search_after=x,1&token=`+url.QueryEscape(token)+`>; rel="next"`)
			_, _ = io.WriteString(w, "["+orgJSON+"]")
		case r.Method == http.MethodGet && r.URL.Path == "/v1/organizations/44":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, echo)
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, echo)
		default:
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, echo)
		}
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := rservice.NewClient(token, rservice.WithBaseURL(srv.URL+"/v1/"), rservice.WithLogger(logger),
		rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond), rservice.WithMaxRetries(2))
	require.NoError(t, err)
	ctx := context.Background()

	// Everything the caller can see, as text, by where it was seen.
	type place struct{ where, text string }
	var seen []place
	addResp := func(call string, resp *rservice.Response) {
		if resp == nil {
			return
		}
		seen = append(seen, place{call + " NextCursor", resp.NextCursor})
		if resp.Request != nil {
			seen = append(seen, place{call + " Response.Request.URL", resp.Request.URL.String()},
				place{call + " Response.Request.Header", fmt.Sprint(resp.Request.Header)})
			assert.Nil(t, resp.Request.GetBody, "a returned request carries no body")
		}
	}
	addErr := func(call string, err error) {
		require.Error(t, err, call)
		seen = append(seen, place{call + " error", err.Error()})
		var apiErr *rservice.APIError
		if errors.As(err, &apiErr) {
			seen = append(seen, place{call + " APIError.Message", apiErr.Message}, place{call + " APIError.URL", apiErr.URL},
				place{call + " APIError.DocumentationURL", apiErr.DocumentationURL}, place{call + " APIError.Body", string(apiErr.Body)},
				place{call + " APIError.Details", fmt.Sprint(apiErr.Details)})
		}
	}
	page, resp, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	addResp("List", resp)
	assert.Contains(t, resp.NextCursor, "search_after=x,1", "the rest of the link is kept")
	// The cursor lost its secret parameters, so it still fetches.
	_, resp, err = c.Organizations.List(ctx, &rservice.ListOptions{Cursor: resp.NextCursor})
	require.NoError(t, err)
	addResp("List(cursor)", resp)
	_, resp, err = c.Organizations.Get(ctx, 44)
	addErr("Get 429", err)
	addResp("Get 429", resp)
	_, resp, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("X"), OrderTemplateID: rservice.Set[int64](30)})
	addErr("Create", err)
	addResp("Create", resp)
	_, resp, err = c.Organizations.Update(ctx, 50, &rservice.OrganizationInput{Region: rservice.Set("x")})
	addErr("Update", err)
	addResp("Update", resp)
	req, err := c.NewRequest(http.MethodGet, "people/6", nil)
	require.NoError(t, err)
	resp, err = c.Do(ctx, req, nil)
	addErr("Do", err)
	addResp("Do", resp)
	require.NotEmpty(t, logs.String(), "debug logging is on")
	for i, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		seen = append(seen, place{fmt.Sprintf("log line %d", i+1), line})
	}

	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			for _, p := range seen {
				assert.NotContains(t, p.text, form, "token (%s) in %s", name, p.where)
			}
		})
	}
}
