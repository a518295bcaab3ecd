package recording

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/transport"
)

func TestCheckDir(t *testing.T) {
	t.Parallel()
	for name, dir := range faulttest.UnwritableDirs(t) {
		err := CheckDir(dir)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "recording: ", name)
	}
	existing := t.TempDir()
	require.NoError(t, CheckDir(existing))
	missing := filepath.Join(t.TempDir(), "a", "b")
	require.NoError(t, CheckDir(missing), "a missing folder is created")
	fi, err := os.Stat(missing)
	require.NoError(t, err)
	assert.True(t, fi.IsDir())
	entries, err := os.ReadDir(existing)
	require.NoError(t, err)
	assert.Empty(t, entries, "the check leaves nothing behind")
}

// TestRecorderChecksItsFolderBeforeTheFirstRequest is issue 19.9: a
// recorder that cannot write sends nothing, and says so once, as an error
// the SDK does not retry.
func TestRecorderChecksItsFolderBeforeTheFirstRequest(t *testing.T) {
	t.Parallel()
	for name, dir := range faulttest.UnwritableDirs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "{}") })
			rec := &Recorder{Dir: dir}
			ct := &faulttest.CountingTransport{Next: rec}
			c := newTransport(t, srv.URL+"/api/", &http.Client{Transport: ct})
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				_, err := c.Do(t.Context(), &transport.Request{Method: method, Path: []string{"orgs"}, Body: []byte(`{"name":"x"}`)}, nil)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "recording: ")
			}
			assert.Equal(t, 0, srv.Total(), "nothing was sent")
			assert.Equal(t, 2, ct.Count(""), "one attempt per call")
			require.Error(t, rec.Err())
		})
	}
}

// TestRecorderWriteFailureKeepsTheAnswer: when a write fails after the
// exchange (the folder vanished), the answer the server gave still reaches
// the caller (a POST it acted on is not reported as failed), and the
// recorder sends nothing more.
func TestRecorderWriteFailureKeepsTheAnswer(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":1}`)
	})
	dir := filepath.Join(t.TempDir(), "rec")
	rec := &Recorder{Dir: dir}
	c := newTransport(t, srv.URL+"/api/", &http.Client{Transport: rec})
	post := func() error {
		_, err := c.Do(t.Context(), &transport.Request{Method: http.MethodPost, Path: []string{"orgs"}, Body: []byte(`{"name":"x"}`)}, nil)
		return err
	}
	require.NoError(t, post())
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.WriteFile(dir, []byte("now a file"), 0o644))
	require.NoError(t, post(), "the server acted on it: its answer is the call's")
	require.Error(t, rec.Err(), "the failed write is kept")
	err := post()
	require.Error(t, err, "no request goes unrecorded")
	assert.ErrorIs(t, err, rec.Err())
	assert.Equal(t, 2, srv.Count(http.MethodPost, "/api/orgs"))
}

// TestRecorderBodyReadFailureIsTheCallers: a body cut short reaches the
// SDK as a cut body, not as a RoundTrip error beside a response.
func TestRecorderBodyReadFailureIsTheCallers(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, `{"id":`)
	})
	rec := &Recorder{Dir: t.TempDir()}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
	require.NoError(t, err)
	resp, err := rec.RoundTrip(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.Error(t, err)
	assert.Equal(t, `{"id":`, string(body))
	require.NoError(t, resp.Body.Close())
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "EOF"), "%v", err)
}

func newTransport(t *testing.T, base string, hc *http.Client) *transport.Client {
	t.Helper()
	s, err := transport.NewSettings(base)
	require.NoError(t, err)
	require.NoError(t, s.SetRetryWait(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, s.SetHTTPClient(hc))
	c, err := transport.New(transport.Config{Provider: "test", Settings: s})
	require.NoError(t, err)
	return c
}
