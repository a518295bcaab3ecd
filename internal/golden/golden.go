// Package golden compares a decoded value with a golden file under
// testdata/. A mismatch fails with a unified diff of the two, bounded in
// size, never the two files whole.
//
// One command at the module root rewrites every golden file:
//
//	ORGSDK_UPDATE_GOLDEN=1 go test ./...
//
// The -update flag does the same for the packages that link this one
// (go test ./readycloud/ -run Golden -update), but the go command hands a
// flag to every test binary it runs, and those without golden tests refuse
// it ("flag provided but not defined: -update"); an environment variable
// reaches every binary and is read only by this package. The go command's
// test cache stays right under it: it records the variable and the golden
// files each run read, and Assert reads a file before rewriting it.
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/recording"
)

// UpdateEnv is the environment variable that rewrites golden files
// instead of comparing with them when set to a true value ("1").
const UpdateEnv = "ORGSDK_UPDATE_GOLDEN"

var update = flag.Bool("update", false, "rewrite golden files under testdata/ (from the module root: "+UpdateEnv+"=1 go test ./...)")

// Updating reports whether golden files are rewritten: -update was given,
// or UpdateEnv is set to a true value. A value strconv.ParseBool does not
// take is an error, so a typo does not silently compare instead.
func Updating() (bool, error) {
	if *update {
		return true, nil
	}
	v, ok := os.LookupEnv(UpdateEnv)
	if !ok || v == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", UpdateEnv, v)
	}
	return on, nil
}

// AssertJSON marshals got as indented JSON and compares it with the file at
// path (relative to the test's package directory), or rewrites the file
// when Updating.
func AssertJSON(t testing.TB, path string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	data = append(data, '\n')
	Assert(t, path, data)
}

// Assert compares got with the file at path, or rewrites it when Updating
// (only if it changed, saying so in the test log). A mismatch fails the
// test with Diff of the two.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	updating, err := Updating()
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	want, err := os.ReadFile(path)
	if updating {
		if err == nil && bytes.Equal(want, got) {
			return
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		t.Logf("golden: rewrote %s", path)
		return
	}
	if err != nil {
		t.Fatalf("golden: %v (write it with %s=1 go test, or -update)", err, UpdateEnv)
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("golden: the decoded value differs from %s (%s=1 go test, or -update, rewrites it):\n%s", path, UpdateEnv, Diff(path, want, got))
	}
}

// Limits of Diff, so a failure stays readable whatever the two sides hold.
const (
	diffContext  = 3   // unchanged lines around each change
	diffMaxLines = 60  // lines of diff shown; the rest are counted
	diffMaxWidth = 200 // bytes of one line shown
)

// Diff is a unified diff from want (the golden file at path) to got, with
// at most diffMaxLines lines of at most diffMaxWidth bytes each: a one-field
// change in a 10 KB file reads as the few lines around it. A last line
// without a newline is marked as diff(1) marks it.
func Diff(path string, want, got []byte) string {
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitLines(want),
		B:        splitLines(got),
		FromFile: path,
		ToFile:   "decoded",
		Context:  diffContext,
	})
	if err != nil {
		return fmt.Sprintf("(no diff: %v)", err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i == diffMaxLines {
			fmt.Fprintf(&b, "… %d more lines of diff", len(lines)-i)
			break
		}
		if len(l) > diffMaxWidth {
			l = strings.ToValidUTF8(l[:diffMaxWidth], "") + fmt.Sprintf("… (a line of %d bytes)\n", len(strings.TrimSuffix(l, "\n"))-1)
		}
		b.WriteString(l)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// splitLines splits data after each newline, for the diff. Unlike
// difflib.SplitLines it keeps "x" and "x\n" apart: a last line without a
// newline carries diff(1)'s marker.
func splitLines(data []byte) []string {
	lines := strings.SplitAfter(string(data), "\n")
	last := len(lines) - 1
	if lines[last] == "" {
		return lines[:last]
	}
	lines[last] += "\n\\ No newline at end of file\n"
	return lines
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
// with <name>.golden.json beside it; when Updating, it writes the golden
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
