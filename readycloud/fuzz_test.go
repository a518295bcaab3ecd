package readycloud

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// seedBodies returns the response bodies of the recorded exchanges.
func seedBodies(f *testing.F) [][]byte {
	f.Helper()
	exchanges, err := recording.LoadDir("../testdata/readycloud")
	if err != nil || len(exchanges) == 0 {
		f.Fatalf("no recorded exchanges: %v", err)
	}
	out := make([][]byte, 0, len(exchanges))
	for _, ex := range exchanges {
		out = append(out, ex.Response.Body())
	}
	return out
}

func FuzzDecodeOrganization(f *testing.F) {
	for _, b := range seedBodies(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"url": "/api/v2/orgs/1/", "payment_plan": {"price": 1.5, "users": "-1"}, "deleted_at": "2019-08-07 15:41:07"}`))
	f.Add([]byte(`{"id": 3, "url": "https://rc.example/api/v2/orgs/a%2Fb/", "payment_plan": {"id": "x", "url": "/"}}`))
	f.Add([]byte(`{"url": "/api/v2/orgs/%zz/", "app_seat_licenses": [null]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		org, err := decodeOrganization(body)
		if err != nil {
			return
		}
		// A decoded organization always has its identity, the url's key.
		if org.ID == "" || org.ID != pkFromURL(org.URL) {
			t.Fatalf("decoded ID %q from url %q", org.ID, org.URL)
		}
		if org.PaymentPlan != nil {
			if org.PaymentPlan.ID != pkFromURL(org.PaymentPlan.URL) {
				t.Fatalf("decoded plan ID %q from url %q", org.PaymentPlan.ID, org.PaymentPlan.URL)
			}
			_, _ = org.PaymentPlan.Price.MinorUnits(2)
			_ = org.PaymentPlan.Users.String()
		}
		// Whatever decodes must encode, and decode again to the same value.
		out, err := json.Marshal(org)
		if err != nil {
			t.Fatalf("decoded organization does not encode: %v", err)
		}
		again, err := decodeOrganization(out)
		if err != nil {
			t.Fatalf("re-encoded organization does not decode: %v\n%s", err, out)
		}
		out2, err := json.Marshal(again)
		if err != nil || string(out) != string(out2) {
			t.Fatalf("round trip changed the value:\n%s\n%s", out, out2)
		}
	})
}

// FuzzDecodeOrgList keeps its name so the checked-in seed corpus under
// testdata/fuzz/FuzzDecodeOrgList still applies.
func FuzzDecodeOrgList(f *testing.F) {
	for _, b := range seedBodies(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"count": 2, "next": "/api/v2/orgs/?bearer_token=x&offset=1", "previous": null, "results": []}`))
	f.Add([]byte(`[{"url": "/api/v2/orgs/1/"}]`))
	c, err := NewClient("fuzz-token", WithBaseURL("https://rc.example/api/v2/"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		list, err := decodeOrganizationList(body)
		if err != nil {
			return
		}
		for _, o := range list.Items {
			if o == nil {
				t.Fatal("nil organization in results")
			}
			if o.ID == "" || o.ID != pkFromURL(o.URL) {
				t.Fatalf("decoded ID %q from url %q", o.ID, o.URL)
			}
		}
		cur, err := c.t.NextCursor(list.Next)
		if err != nil {
			return
		}
		u, err := c.t.ResolveURL(&transport.Request{URL: cur})
		if err == nil && u.Query().Has("bearer_token") {
			t.Fatalf("cursor %q kept a token", cur)
		}
	})
}

// FuzzPKFromURL: the plain-url fast path of pkFromURL gives what parsing
// the url gives, for every input.
func FuzzPKFromURL(f *testing.F) {
	for _, seed := range []string{
		"/api/v2/orgs/1/", "https://www.readycloud.com/api/v2/orgs/cF6EZn1o/", "http://127.0.0.1:8080/api/v2/orgs/7",
		"/api/v2/orgs/a%2Fb/", "http://[::1]/api/v2/orgs/1/", "http://h:/x/1/", "//h/x/1/", "HTTP://H/x/1/",
		"/api/v2/orgs/../", "http://h/", "1", "", "/", "/api/v2/orgs/42/?bearer_token=x", "http://user@h/x/1/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if got, want := pkFromURL(raw), pkFromParsedURL(raw); got != want {
			t.Fatalf("pkFromURL(%q) = %q, parsing gives %q", raw, got, want)
		}
	})
}

func TestFuzzSeedsExist(t *testing.T) {
	t.Parallel()
	_, err := os.Stat("../testdata/readycloud/001-get-api_v2_orgs.json")
	if err != nil {
		t.Fatal(err)
	}
}
