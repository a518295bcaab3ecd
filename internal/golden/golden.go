// Package golden compares a decoded value with a golden file under
// testdata/; `go test ./... -update` rewrites the files.
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Updating reports whether -update was given.
func Updating() bool { return *update }

// AssertJSON marshals got as indented JSON and compares it with the file at
// path (relative to the test's package directory), or rewrites the file
// under -update.
func AssertJSON(t testing.TB, path string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	data = append(data, '\n')
	Assert(t, path, data)
}

// Assert compares got with the file at path, or rewrites it under -update.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	ok, err := Matches(path, got)
	require.NoError(t, err, "golden file missing: run go test -update")
	if !ok {
		want, _ := os.ReadFile(path)
		require.Equal(t, string(want), string(got), "decoded value differs from %s (go test -update rewrites it)", path)
	}
}

// Matches reports whether the file at path holds exactly got.
func Matches(path string, got []byte) (bool, error) {
	want, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	return bytes.Equal(want, got), nil
}

// Replayer makes the SDK call that a recorded exchange answers, with a
// client pointed at baseURL (the replay server's URL plus the recorded base
// path), and returns what the golden file should hold: the decoded value
// and the Response's cursor and rate limit, or ErrorView of the error.
type Replayer func(t *testing.T, ex *recording.Exchange, serverURL string) any

// ReplayDir replays every recording in dir (every *.json file but the
// *.golden.json ones, whatever its name: a file written by
// `examples/orgs -record` and copied here counts like any other) on a
// replay server of its own, hands it to replay, and compares the result
// with <name>.golden.json beside it. `go test -update` writes the golden
// files. A directory without recordings fails: a typo in dir must not pass
// silently.
func ReplayDir(t *testing.T, dir string, replay Replayer) {
	t.Helper()
	names, err := RecordingsIn(dir)
	require.NoError(t, err)
	require.NotEmpty(t, names, "no recordings in %s", dir)
	for _, name := range names {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".json"), func(t *testing.T) {
			ex, err := recording.Load(name)
			require.NoError(t, err)
			srv := recording.NewServer(ex)
			defer srv.Close()
			got := replay(t, ex, srv.URL)
			AssertJSON(t, GoldenPath(name), got)
		})
	}
}

// RecordingsIn lists the recordings in dir in name order: every *.json file
// that is not a golden file.
func RecordingsIn(dir string) ([]string, error) {
	all, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, n := range all {
		if !strings.HasSuffix(n, ".golden.json") {
			out = append(out, n)
		}
	}
	return out, nil
}

// GoldenPath is the golden file of the recording at path: x.json → x.golden.json.
func GoldenPath(path string) string {
	return strings.TrimSuffix(path, ".json") + ".golden.json"
}

// Error is how golden files hold an error: its text, and for an APIError or
// DecodeError the fields a user branches on.
type Error struct {
	Error            string               `json:"error"`
	StatusCode       int                  `json:"status_code,omitempty"`
	Message          string               `json:"message,omitempty"`
	Code             string               `json:"code,omitempty"`
	Details          []orgsdk.ErrorDetail `json:"details,omitempty"`
	DocumentationURL string               `json:"documentation_url,omitempty"`
	RetryAfter       string               `json:"retry_after,omitempty"`
	Sentinels        []string             `json:"matches,omitempty"`
}

// ErrorView renders err for a golden file; nil gives nil.
func ErrorView(err error) *Error {
	if err == nil {
		return nil
	}
	v := &Error{Error: err.Error()}
	var apiErr *orgsdk.APIError
	if errors.As(err, &apiErr) {
		v.StatusCode, v.Message, v.Code, v.Details = apiErr.StatusCode, apiErr.Message, apiErr.Code, apiErr.Details
		v.DocumentationURL = apiErr.DocumentationURL
		if apiErr.RetryAfter > 0 {
			v.RetryAfter = apiErr.RetryAfter.String()
		}
	}
	var decErr *orgsdk.DecodeError
	if errors.As(err, &decErr) {
		v.StatusCode = decErr.StatusCode
	}
	for _, s := range []struct {
		name string
		err  error
	}{
		{"ErrNotFound", orgsdk.ErrNotFound}, {"ErrUnauthorized", orgsdk.ErrUnauthorized},
		{"ErrForbidden", orgsdk.ErrForbidden}, {"ErrConflict", orgsdk.ErrConflict},
		{"ErrRateLimited", orgsdk.ErrRateLimited}, {"ErrValidation", orgsdk.ErrValidation},
		{"ErrInvalidArgument", orgsdk.ErrInvalidArgument}, {"ErrForeignHost", orgsdk.ErrForeignHost},
		{"ErrRedirectedWrite", orgsdk.ErrRedirectedWrite}, {"ErrUnexpectedContentType", orgsdk.ErrUnexpectedContentType},
		{"ErrBodyTooLarge", orgsdk.ErrBodyTooLarge}, {"ErrTruncatedBody", orgsdk.ErrTruncatedBody},
		{"ErrPaginationLoop", orgsdk.ErrPaginationLoop}, {"ErrTooManyPages", orgsdk.ErrTooManyPages},
	} {
		if errors.Is(err, s.err) {
			v.Sentinels = append(v.Sentinels, s.name)
		}
	}
	return v
}
