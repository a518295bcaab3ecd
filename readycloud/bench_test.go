package readycloud_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/benchpair"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/readycloud"
)

// Run: go test ./readycloud -run '^$' -bench GetPair -benchtime 3000x -count 10
// BenchmarkGetPair reports sdk/raw for time and allocations (goal ≤ 1.05
// and ≤ 1.2, issue 12). Both sides run alternately in one loop, so noise
// from the rest of the machine hits them alike; compare medians.

const benchToken = "bench-token-0123456789abcdef"

// benchServer answers GET /api/v2/orgs/1/ with the docs' detail body over
// loopback, and refuses a request without the token.
func benchServer(b testing.TB) *httptest.Server {
	b.Helper()
	ex, err := recording.Load(filepath.Join(testdataDir, "002-get-api_v2_orgs_1.json"))
	if err != nil {
		b.Fatal(err)
	}
	body := ex.Response.Body()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+benchToken || r.URL.Path != "/api/v2/orgs/1/" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// pooledClient is what both sides send through: a keep-alive transport of
// its own, like the SDK's default.
func pooledClient(b testing.TB) *http.Client {
	tr := &http.Transport{MaxIdleConns: 16, MaxIdleConnsPerHost: 16}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func sdkGet(b testing.TB, srv *httptest.Server) func() error {
	c, err := readycloud.NewClient(benchToken,
		readycloud.WithBaseURL(srv.URL+"/api/v2/"),
		readycloud.WithHTTPClient(pooledClient(b)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	return func() error {
		org, _, err := c.Organizations.Get(ctx, "1")
		if err == nil && org.Name != "Test Company" {
			err = fmt.Errorf("decoded name %q", org.Name)
		}
		return err
	}
}

// rawGet is the hand-written baseline: the same GET, headers and status
// check, decoded into the same struct with encoding/json.
func rawGet(b testing.TB, srv *httptest.Server) func() error {
	hc := pooledClient(b)
	u := srv.URL + "/api/v2/orgs/1/"
	ctx := context.Background()
	return func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var org readycloud.Organization
		if err := json.Unmarshal(body, &org); err != nil {
			return err
		}
		if org.Name != "Test Company" {
			return fmt.Errorf("decoded name %q", org.Name)
		}
		return nil
	}
}

func BenchmarkGetSDK(b *testing.B) {
	get := sdkGet(b, benchServer(b))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := get(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetRaw(b *testing.B) {
	get := rawGet(b, benchServer(b))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := get(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetPair alternates the two against one server and reports
// sdk/raw and allocs-sdk/raw.
func BenchmarkGetPair(b *testing.B) {
	srv := benchServer(b)
	benchpair.Run(b, sdkGet(b, srv), rawGet(b, srv))
}

// TestBenchmarkSidesAgree runs each side once, so a broken baseline or SDK
// call fails in the ordinary test run, not only under -bench.
func TestBenchmarkSidesAgree(t *testing.T) {
	t.Parallel()
	srv := benchServer(t)
	require.NoError(t, sdkGet(t, srv)())
	require.NoError(t, rawGet(t, srv)())
}
