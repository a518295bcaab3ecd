package rservice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/orgsdk/orgsdk/internal/benchpair"
	"github.com/orgsdk/orgsdk/rservice"
)

// benchPage is a full page as the API sends it: 100 organizations with the
// default collection fields, a Link with bare commas, X-Pagination-* and
// X-RateLimit-* headers.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	orgs := make([]map[string]any, 100)
	for i := range orgs {
		orgs[i] = map[string]any{
			"id": 1000 + i, "sourceID": nil, "name": fmt.Sprintf("Widget Organization %03d", i),
			"parent":     map[string]any{"id": 6, "name": "Widget Data Center"},
			"manager":    map[string]any{"id": 120, "name": "Carolyn Goldrat"},
			"created_at": "2016-03-22T21:02:50-05:00", "updated_at": "2016-03-25T16:54:52-05:00",
		}
	}
	body, err := json.Marshal(orgs)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Link", `<http://`+r.Host+`/v1/organizations?per_page=100>; rel="first",<http://`+r.Host+`/v1/organizations?per_page=100&search_after=Widget%20Organization%20099,1099>; rel="next"`)
		h.Set("X-Pagination-Per-Page", "100")
		h.Set("X-Pagination-Current-Page", "1")
		h.Set("X-Pagination-Total-Pages", "3")
		h.Set("X-Pagination-Total-Entries", "300")
		h.Set("X-RateLimit-Limit", "3600")
		h.Set("X-RateLimit-Remaining", "3599")
		h.Set("X-RateLimit-Reset", "1458700000")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server) *rservice.Client {
	b.Helper()
	c, err := rservice.NewClient("bench-token-123", rservice.WithBaseURL(srv.URL+"/v1/"))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func sdkList(c *rservice.Client) func() error {
	ctx := context.Background()
	opts := &rservice.ListOptions{PerPage: 100}
	return func() error {
		page, resp, err := c.Organizations.List(ctx, opts)
		if err != nil {
			return err
		}
		if len(page.Items) != 100 || resp.NextCursor == "" {
			return fmt.Errorf("got %d organizations, cursor %q", len(page.Items), resp.NextCursor)
		}
		return nil
	}
}

// rawList is what a caller without the SDK writes: one GET with the bearer
// header, a status check, the body decoded into the same types, the Link
// header read.
func rawList(srv *httptest.Server) func() error {
	hc := &http.Client{}
	url := srv.URL + "/v1/organizations?per_page=100"
	return func() error {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer bench-token-123")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var orgs []*rservice.Organization
		if err := json.Unmarshal(data, &orgs); err != nil {
			return err
		}
		if len(orgs) != 100 || resp.Header.Get("Link") == "" {
			return fmt.Errorf("got %d organizations", len(orgs))
		}
		return nil
	}
}

func BenchmarkListPage100SDK(b *testing.B) {
	srv := benchServer(b)
	f := sdkList(benchClient(b, srv))
	b.ReportAllocs()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListPage100Raw(b *testing.B) {
	srv := benchServer(b)
	f := rawList(srv)
	b.ReportAllocs()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListPage100Pair alternates the two in one loop and reports
// sdk/raw; the goal is about 1.0.
func BenchmarkListPage100Pair(b *testing.B) {
	srv := benchServer(b)
	benchpair.Run(b, sdkList(benchClient(b, srv)), rawList(srv))
}
