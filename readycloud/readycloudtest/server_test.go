package readycloudtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// do sends a raw request, so these tests check the fake against the real
// API's wire behaviour independently of the SDK.
func do(t *testing.T, srv *readycloudtest.Server, method, path string, header map[string]string, body string) (*http.Response, map[string]any, string) {
	t.Helper()
	u := strings.TrimSuffix(srv.URL, "/api/v2/") + path
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := faulttest.RawClient(t)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var obj map[string]any
	_ = json.Unmarshal(raw, &obj)
	return resp, obj, string(raw)
}

func auth(srv *readycloudtest.Server) map[string]string {
	return map[string]string{"Authorization": "Bearer " + srv.Token}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	assert.Len(t, srv.Token, 32)

	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/", nil, "")
	assert.Equal(t, 401, resp.StatusCode)
	assert.Equal(t, `Bearer realm="api"`, resp.Header.Get("WWW-Authenticate"))
	assert.Equal(t, "Authentication credentials were not provided.", body["detail"])

	resp, body, _ = do(t, srv, "GET", "/api/v2/orgs/", map[string]string{"Authorization": "Bearer wrong"}, "")
	assert.Equal(t, 401, resp.StatusCode)
	assert.Equal(t, "Invalid token.", body["detail"])

	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs/?bearer_token="+srv.Token, nil, "")
	assert.Equal(t, 200, resp.StatusCode)

	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs/?bearer_token=wrong", nil, "")
	assert.Equal(t, 401, resp.StatusCode)

	// The header wins over the query parameter.
	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs/?bearer_token="+srv.Token, map[string]string{"Authorization": "Bearer wrong"}, "")
	assert.Equal(t, 401, resp.StatusCode)
	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs/?bearer_token=wrong", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestPagination(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	origin := strings.TrimSuffix(srv.URL, "/api/v2/")

	_, body, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.EqualValues(t, 25, body["count"])
	assert.Len(t, body["results"], readycloudtest.DefaultLimit)
	assert.Equal(t, origin+"/api/v2/orgs/?limit=10&offset=10", body["next"])
	assert.Nil(t, body["previous"])
	first := body["results"].([]any)[0].(map[string]any)
	assert.Equal(t, "Test Company", first["name"])
	assert.Equal(t, origin+"/api/v2/orgs/1/", first["url"])

	// Every other query parameter is kept, sorted, token included.
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?zeta=1&offset=12&bearer_token="+srv.Token+"&limit=5", nil, "")
	assert.Equal(t, origin+"/api/v2/orgs/?bearer_token="+srv.Token+"&limit=5&offset=17&zeta=1", body["next"])
	assert.Equal(t, origin+"/api/v2/orgs/?bearer_token="+srv.Token+"&limit=5&offset=7&zeta=1", body["previous"])

	// Last page; previous drops offset when it reaches 0.
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?limit=20&offset=20", auth(srv), "")
	assert.Len(t, body["results"], 5)
	assert.Nil(t, body["next"])
	assert.Equal(t, origin+"/api/v2/orgs/?limit=20", body["previous"])

	// Bad values fall back as DRF does; a huge limit is clamped.
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?limit=-3&offset=x", auth(srv), "")
	assert.Len(t, body["results"], readycloudtest.DefaultLimit)
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?limit=100000", auth(srv), "")
	assert.Len(t, body["results"], 25)
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?offset=1000", auth(srv), "")
	assert.Empty(t, body["results"])

	srv.SetRelativeLinks(true)
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?limit=2", auth(srv), "")
	assert.Equal(t, "/api/v2/orgs/?limit=2&offset=2", body["next"])
	assert.Equal(t, "/api/v2/orgs/1/", body["results"].([]any)[0].(map[string]any)["url"])
}

func TestGetPatch(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	json := func(extra map[string]string) map[string]string {
		h := auth(srv)
		h["Content-Type"] = "application/json"
		for k, v := range extra {
			h[k] = v
		}
		return h
	}

	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/1/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Test Company", body["name"])
	plan := body["payment_plan"].(map[string]any)
	assert.Equal(t, "0.00 USD", plan["price"])
	assert.EqualValues(t, -1, plan["users"])
	for _, k := range []string{"fees_paid_by", "insurance_charges_allowed", "app_seat_licenses", "user_slots", "subscriptions", "avatar", "website",
		"billing_status", "deleted_at", "trial_expires_at", "wallet_charges_allowed", "wallet_auto_refill_limit", "wallet_auto_refill_amount",
		"equipment_returns_enabled", "member_websocket_channel_id", "cached_orders_views", "action_alert_send_from_alias", "action_alert_custom_domain_enabled"} {
		assert.Contains(t, body, k)
	}

	resp, body, _ = do(t, srv, "GET", "/api/v2/orgs/404/", auth(srv), "")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, map[string]any{"detail": "Not found."}, body)

	resp, body, _ = do(t, srv, "PATCH", "/api/v2/orgs/2/", json(nil), `{"name": "  Renamed  ", "user_slots": 99}`)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Renamed", body["name"])
	assert.NotEqualValues(t, 99, body["user_slots"], "read-only fields are ignored")
	stored, ok := srv.Organization("2")
	name := stored.Name
	assert.True(t, ok)
	assert.Equal(t, "Renamed", name)

	for in, want := range map[string]string{
		`{"name": ""}`:   `{"name":["This field may not be blank."]}`,
		`{"name": null}`: `{"name":["This field may not be null."]}`,
		`{"name": true}`: `{"name":["Not a valid string."]}`,
		`{"name": "` + strings.Repeat("x", 256) + `"}`: `{"name":["Ensure this field has no more than 255 characters."]}`,
		`[1]`: `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`,
	} {
		resp, _, raw := do(t, srv, "PATCH", "/api/v2/orgs/2/", json(nil), in)
		assert.Equal(t, 400, resp.StatusCode, in)
		assert.JSONEq(t, want, raw, in)
	}
	resp, body, _ = do(t, srv, "PATCH", "/api/v2/orgs/2/", json(nil), `{"name": `)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, body["detail"], "JSON parse error")
	resp, _, _ = do(t, srv, "PATCH", "/api/v2/orgs/2/", json(map[string]string{"Content-Type": "text/plain"}), `{"name":"x"}`)
	assert.Equal(t, 415, resp.StatusCode)

	resp, body, _ = do(t, srv, "DELETE", "/api/v2/orgs/2/", auth(srv), "")
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, `Method "DELETE" not allowed.`, body["detail"])
	resp, _, _ = do(t, srv, "POST", "/api/v2/orgs/", json(nil), `{}`)
	assert.Equal(t, 405, resp.StatusCode)
	stored, _ = srv.Organization("2")
	name = stored.Name
	assert.Equal(t, "Renamed", name)
}

func TestDjangoRouting(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	resp, _, _ := do(t, srv, "PATCH", "/api/v2/orgs/1?x=1", auth(srv), `{"name":"x"}`)
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	assert.Equal(t, "/api/v2/orgs/1/?x=1", resp.Header.Get("Location"))
	stored, _ := srv.Organization("1")
	name := stored.Name
	assert.Equal(t, "Test Company", name)

	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs", auth(srv), "")
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)

	resp, _, raw := do(t, srv, "GET", "/api/v2/nothing/here/", auth(srv), "")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, raw, "<h1>Not Found</h1>")
}

func TestFaultsAndAccessors(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	srv.InjectFault(readycloudtest.Fault{Status: 429, RetryAfter: "7", Count: 2})
	for range 2 {
		resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, "7", resp.Header.Get("Retry-After"))
		assert.Contains(t, body["detail"], "throttled")
	}
	resp, _, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 3, srv.Hits())
	assert.Equal(t, 3, srv.HitsFor("GET", "/api/v2/orgs/"))

	srv.InjectFault(readycloudtest.Fault{Status: 500, Method: "PATCH"})
	resp, _, _ = do(t, srv, "GET", "/api/v2/orgs/1/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	resp, _, raw := do(t, srv, "PATCH", "/api/v2/orgs/1/", auth(srv), `{}`)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, raw, "Server Error (500)")

	reqs := srv.Requests()
	require.Len(t, reqs, 5, "faulted requests are logged too")
	assert.Equal(t, "PATCH", reqs[4].Method)
	assert.Equal(t, "/api/v2/orgs/1/", reqs[4].Path)
	assert.Equal(t, []byte(`{}`), reqs[4].Body)
	assert.Equal(t, "Bearer "+srv.Token, reqs[4].Header.Get("Authorization"))
	assert.Equal(t, 1, srv.HitsFor("PATCH", "/api/v2/orgs/1/"))
	assert.Equal(t, 0, srv.HitsFor("PATCH", "orgs/1/"), "HitsFor takes the full request path")
}

func idsOf(srv *readycloudtest.Server) []string {
	var ids []string
	for _, o := range srv.Organizations() {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestAddAndOrganizations(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	seed := srv.Organizations()
	require.Len(t, seed, 25)
	assert.Equal(t, "Test Company", seed[0].Name)
	assert.Equal(t, readycloudtest.FreePlan, seed[0].Plan)

	ids := []string{
		srv.Add(readycloudtest.Organization{Name: "New One"}),
		srv.Add(readycloudtest.Organization{ID: "x/y", Name: "Slash", Plan: readycloudtest.ProPlan, UserSlots: 3}),
		srv.Add(readycloudtest.Organization{ID: "2", Name: "Replaced"}),
	}
	assert.Equal(t, []string{"26", "x/y", "2"}, ids)
	all := srv.Organizations()
	require.Len(t, all, 27, "a taken ID replaces, it does not add")
	assert.Equal(t, "Replaced", all[1].Name, "replaced in place")
	assert.Equal(t, "x/y", all[26].ID)

	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/"+url.PathEscape("x/y")+"/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Slash", body["name"])
	assert.EqualValues(t, 3, body["user_slots"])
	plan, _ := body["payment_plan"].(map[string]any)
	assert.Equal(t, "49.99 USD", plan["price"])
	assert.Equal(t, "active", body["billing_status"], "Add fills the defaults")
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "/api/v2/orgs/x%2Fy/", reqs[len(reqs)-1].Path, "Requests keep the escaped path")

	// The snapshot is a copy: changing it changes nothing on the server.
	all[0].Name = "Mutated"
	stored, ok := srv.Organization("1")
	require.True(t, ok)
	assert.Equal(t, "Test Company", stored.Name)
	_, ok = srv.Organization("nope")
	assert.False(t, ok)
}

func TestReset(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	h := auth(srv)
	h["Content-Type"] = "application/json"
	do(t, srv, "PATCH", "/api/v2/orgs/1/", h, `{"name":"Changed"}`)
	srv.Add(readycloudtest.Organization{Name: "Extra"})
	srv.SetRelativeLinks(true)
	srv.InjectFault(readycloudtest.Fault{Status: 503})
	token := srv.Token

	srv.Reset()
	assert.Equal(t, 0, srv.Hits())
	assert.Equal(t, 0, srv.HitsFor("PATCH", "/api/v2/orgs/1/"))
	assert.Empty(t, srv.Requests())
	assert.Len(t, srv.Organizations(), 25)
	stored, _ := srv.Organization("1")
	assert.Equal(t, "Test Company", stored.Name)
	assert.Equal(t, token, srv.Token)
	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/?limit=1", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode, "the queued fault is gone")
	assert.True(t, strings.HasPrefix(body["next"].(string), "http://"), "links are absolute again")
	assert.Equal(t, "26", srv.Add(readycloudtest.Organization{Name: "After"}), "numbering starts again")
}

func TestServerOptions(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer(readycloudtest.WithToken("fixed-token"), readycloudtest.WithoutSeed(), readycloudtest.WithRelativeLinks(), nil)
	defer srv.Close()
	assert.Equal(t, "fixed-token", srv.Token)
	assert.Empty(t, srv.Organizations())
	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 0, body["count"])

	assert.Equal(t, []string{"1", "2"}, []string{srv.Add(readycloudtest.Organization{Name: "A"}), srv.Add(readycloudtest.Organization{Name: "B"})})
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/?limit=1", auth(srv), "")
	assert.Equal(t, "/api/v2/orgs/?limit=1&offset=1", body["next"])
	srv.Reset()
	assert.Empty(t, srv.Organizations(), "Reset keeps WithoutSeed")
	_, body, _ = do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.EqualValues(t, 0, body["count"])
}

func TestClear(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer(readycloudtest.WithToken(""))
	defer srv.Close()
	assert.Len(t, srv.Token, 32, `WithToken("") keeps the random token`)
	srv.InjectFault(readycloudtest.Fault{Status: 503})
	srv.Clear()
	assert.Empty(t, srv.Organizations())
	resp, _, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.Equal(t, 503, resp.StatusCode, "Clear keeps queued faults")
	resp, body, _ := do(t, srv, "GET", "/api/v2/orgs/", auth(srv), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 0, body["count"])
	assert.Equal(t, "1", srv.Add(readycloudtest.Organization{Name: "First"}), "ids start again")
	assert.Equal(t, 2, srv.Hits())
	srv.Reset()
	assert.Len(t, srv.Organizations(), 25, "Reset brings the seed back")
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := auth(srv)
			h["Content-Type"] = "application/json"
			do(t, srv, "PATCH", "/api/v2/orgs/3/", h, `{"name":"n`+string(rune('a'+i))+`"}`)
			do(t, srv, "GET", "/api/v2/orgs/?limit=3", auth(srv), "")
			srv.Add(readycloudtest.Organization{Name: "c"})
			_ = idsOf(srv)
			_ = srv.Requests()
		}()
	}
	wg.Wait()
	assert.Equal(t, 16, srv.Hits())
}
