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
		err := CheckDir(dir, false)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "recording: ", name)
	}
	existing := t.TempDir()
	require.NoError(t, CheckDir(existing, false))
	missing := filepath.Join(t.TempDir(), "a", "b")
	require.NoError(t, CheckDir(missing, false), "a missing folder is created")
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

// TestCheckDirRefusesAnEarlierRun is issue 24.5: a second run into a used
// folder would overwrite some files and keep others; it is refused unless
// replacing is asked for, and replacing removes recordings only.
func TestCheckDirRefusesAnEarlierRun(t *testing.T) {
	t.Parallel()
	withRecordings := func(t *testing.T, extra ...string) string {
		dir := t.TempDir()
		for _, name := range append([]string{"001-get-api_v2_orgs.json", "readycloud-002-patch-api_v2_orgs_1.json"}, extra...) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
		}
		return dir
	}
	tests := []struct {
		name    string
		extra   []string
		replace bool
		err     string // "" for success
		left    []string
	}{
		{name: "an earlier run is refused", err: "holds 2 files of an earlier run", left: []string{"001-get-api_v2_orgs.json", "readycloud-002-patch-api_v2_orgs_1.json"}},
		{name: "replace removes the recordings", replace: true},
		{name: "a foreign file is refused even with replace", extra: []string{"notes.txt"}, replace: true,
			err:  `holds "notes.txt", which is not a recording`,
			left: []string{"001-get-api_v2_orgs.json", "notes.txt", "readycloud-002-patch-api_v2_orgs_1.json"}},
		{name: "a golden file is not a recording", extra: []string{"001-get-api_v2_orgs.golden.json"}, replace: true,
			err:  "which is not a recording",
			left: []string{"001-get-api_v2_orgs.golden.json", "001-get-api_v2_orgs.json", "readycloud-002-patch-api_v2_orgs_1.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := withRecordings(t, tt.extra...)
			err := CheckDir(dir, tt.replace)
			if tt.err == "" {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrDirInUse)
				assert.Contains(t, err.Error(), tt.err)
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			var left []string
			for _, e := range entries {
				left = append(left, e.Name())
			}
			assert.Equal(t, tt.left, left)
		})
	}
}

func TestIsRecordingName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		FileName(1, "GET", "/api/v2/orgs/"):            true,
		"rservice-" + FileName(12, "POST", "/v1/orgs"): true,
		FileName(1234, "DELETE", "/x"):                 true,
		"001-get-api_v2_orgs.golden.json":              false,
		"notes.txt":                                    false,
		"001-get-.json":                                true,
		".write-check-1":                               false,
		"01-get-x.json":                                false,
		"readycloud-001-get-x.json.bak":                false,
		"Readme-001-get-x.json":                        false,
	} {
		assert.Equal(t, want, IsRecordingName(name), name)
	}
}
