package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11.4: the request handed back on Response carried the login body
// (the password) through Body and GetBody.
func TestResponseRequestCarriesNoBody(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	resp, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"Login"}, Body: map[string]string{"password": testSecret}, NoAuth: true}, nil)
	require.NoError(t, err)
	require.NotNil(t, resp.Request)
	assert.Nil(t, resp.Request.GetBody)
	if resp.Request.Body != nil {
		b, _ := io.ReadAll(resp.Request.Body)
		assert.Empty(t, b)
	}
	assert.Equal(t, http.MethodPost, resp.Request.Method)
}

// Issue 11.7: a deadline that expires while the body is read must still
// match context.DeadlineExceeded.
func TestDeadlineDuringBodyReadKeepsItsType(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"a":`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := newTestClient(t, ts.URL+"/api/v1/")
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: http.MethodGet, Path: []string{"slow"}}, func(*http.Response, []byte) error { return nil })
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// Issue 11.9: a server that sends headers and then nothing hung a call
// without a deadline forever; the default client gives up once the
// connection has been silent for the idle timeout. The same deadline bounds
// the wait for the headers themselves, without a timer per request.
func TestDefaultClientBodyIdleTimeout(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		beforeSilence func(w http.ResponseWriter)
		truncated     bool
	}{
		"silent inside the body": {func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`[`))
			w.(http.Flusher).Flush()
		}, true},
		"silent before the headers": {func(http.ResponseWriter) {}, false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				tc.beforeSilence(w)
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
				s.HTTPClient = nil
				s.BodyIdleTimeout = 200 * time.Millisecond
				s.MaxRetries = 0
			}))
			start := time.Now()
			_, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: []string{"silent"}}, func(*http.Response, []byte) error { return nil })
			require.Error(t, err)
			assert.Less(t, time.Since(start), 5*time.Second)
			assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "got %v", err)
			if tc.truncated {
				assert.ErrorIs(t, err, ErrTruncatedBody)
				assert.True(t, strings.Contains(err.Error(), "idle") || strings.Contains(err.Error(), "timeout"), err.Error())
			}
		})
	}
}

// The idle timeout counts silence since the last traffic in either
// direction. It used to count only reads: a pooled connection's pending
// read kept the deadline set when the connection went idle, so a write
// sent on it after a pause, answered a little later, failed although the
// server had been silent for less than the timeout.
func TestBodyIdleTimeoutCountsFromTheRequestOnAPooledConnection(t *testing.T) {
	t.Parallel()
	const idle = 300 * time.Millisecond
	var calls atomic.Int32
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			time.Sleep(idle / 2)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})
	c := newTestClient(t, ts.URL+"/api/v1/", withSettings(func(s *Settings) {
		s.HTTPClient = nil
		s.BodyIdleTimeout = idle
		s.MaxRetries = 0
	}))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"first"}, Body: map[string]int{"n": 1}}, nil)
	require.NoError(t, err)
	// The connection waits in the pool for most of the idle timeout; the
	// second answer then takes half of it.
	time.Sleep(idle * 3 / 4)
	_, err = c.Do(t.Context(), &Request{Method: http.MethodPost, Path: []string{"second"}, Body: map[string]int{"n": 2}}, nil)
	require.NoError(t, err, "the server was silent for %v after the request, less than the %v idle timeout", idle/2, idle)
}
