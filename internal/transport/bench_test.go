package transport

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type benchOrg struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

var benchBody = func() string {
	var b strings.Builder
	b.WriteString(`[`)
	for i := 0; i < 50; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":1,"name":"Widget Data Center, External IT"}`)
	}
	b.WriteString(`]`)
	return b.String()
}()

func benchServer(b *testing.B) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	b.Cleanup(ts.Close)
	return ts
}

// BenchmarkGet measures one GET through the transport (retry wrapper, auth,
// content-type check, capped read, decode).
func BenchmarkGet(b *testing.B) {
	ts := benchServer(b)
	c := newTestClient(b, ts.URL+"/api/v1/", withAuth(bearerAuth))
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var out []benchOrg
		_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"orgs"}}, func(_ *http.Response, body []byte) error {
			return json.Unmarshal(body, &out)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetBaseline is the same GET with plain net/http + encoding/json.
func BenchmarkGetBaseline(b *testing.B) {
	ts := benchServer(b)
	hc := DefaultHTTPClient()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/v1/orgs", nil)
		if err != nil {
			b.Fatal(err)
		}
		bearerAuth(req)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out []benchOrg
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}
