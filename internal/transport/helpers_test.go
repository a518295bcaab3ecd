package transport

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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

// syncBuffer is a log sink safe for the concurrent writes of a prefetching
// iterator.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func bearerAuth(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testSecret) }

func queryAuth(r *http.Request) {
	q := r.URL.Query()
	q.Set("bearer_token", testSecret)
	r.URL.RawQuery = q.Encode()
}
