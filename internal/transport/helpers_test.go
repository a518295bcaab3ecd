package transport

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

const testSecret = "s3cr3t-T0KEN-value"

// testServer mounts handler under /api/v1/ so a client that drops the base
// path hits a 404, and counts requests.
type testServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newTestServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	ts := &testServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		ts.hits.Add(1)
		h(w, r)
	})
	ts.Server = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func (ts *testServer) Hits() int { return int(ts.hits.Load()) }

type clientOpt func(*Config)

func withAuth(a AuthFunc) clientOpt { return func(c *Config) { c.Auth = a } }

func withSettings(f func(*Settings)) clientOpt { return func(c *Config) { f(&c.Settings) } }

func newTestClient(t testing.TB, baseURL string, opts ...clientOpt) *Client {
	t.Helper()
	s, err := NewSettings(baseURL)
	require.NoError(t, err)
	require.NoError(t, s.SetRetryWait(time.Millisecond, 20*time.Millisecond))
	cfg := Config{Provider: "test", Settings: s}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

func debugLogger() (*slog.Logger, *faulttest.LogBuffer) {
	buf := &faulttest.LogBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func bearerAuth(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testSecret) }

func queryAuth(r *http.Request) {
	q := r.URL.Query()
	q.Set("bearer_token", testSecret)
	r.URL.RawQuery = q.Encode()
}
