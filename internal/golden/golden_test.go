package golden

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// comparing turns updating off for the rest of the test, whatever the
// command line or the environment asked for (these tests check the
// comparison itself), so it cannot run in parallel.
func comparing(t *testing.T) {
	t.Helper()
	t.Setenv(UpdateEnv, "0")
	old := *update
	*update = false
	t.Cleanup(func() { *update = old })
}

func TestGolden(t *testing.T) {
	comparing(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "v.golden.json")
	require.NoError(t, os.WriteFile(path, []byte("{\n  \"name\": \"Test Company\"\n}\n"), 0o644))
	AssertJSON(t, path, map[string]string{"name": "Test Company"})
	ok, err := Matches(path, []byte("{\n  \"name\": \"Other\"\n}\n"))
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = Matches(filepath.Join(dir, "missing.json"), nil)
	assert.Error(t, err)
	on, err := Updating()
	require.NoError(t, err)
	assert.False(t, on)
}

func TestReplayDirReplaysEveryRecordingWhateverItsName(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"readycloud-001-get-api_v2_orgs.json": "{\n  \"a\": 1\n}",
		"002-other.json":                      "{\n  \"b\": 2\n}",
	} {
		ex := &recording.Exchange{Request: recording.Request{Method: "GET", URL: recording.Origin + "/api/x"}}
		ex.Response.Status = 200
		ex.Response.SetBody([]byte(body))
		require.NoError(t, recording.Write(filepath.Join(dir, name), ex))
		require.NoError(t, os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".json")+".golden.json"), []byte(body+"\n"), 0o644))
	}
	names, err := RecordingsIn(dir)
	require.NoError(t, err)
	require.Len(t, names, 2, "golden files are not recordings")

	var replayed []string
	ReplayDir(t, dir, func(t *testing.T, ex *recording.Exchange, serverURL string) any {
		resp, err := faulttest.RawClient(t).Get(serverURL + "/api/x")
		require.NoError(t, err)
		defer resp.Body.Close()
		var v map[string]int
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
		replayed = append(replayed, ex.Request.URL)
		return v
	})
	assert.Len(t, replayed, 2)
}

func TestErrorView(t *testing.T) {
	assert.Nil(t, ErrorView(nil))
	v := ErrorView(&orgsdk.APIError{StatusCode: 404, Message: "gone"})
	assert.Equal(t, []string{"ErrNotFound"}, v.Sentinels)
	assert.Equal(t, 404, v.StatusCode)
}

// tbRecorder is a testing.TB that keeps what a helper reports instead of
// failing the real test; Fatalf and FailNow end the helper's goroutine, as
// they end a test's.
type tbRecorder struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	out    strings.Builder
	logs   []string
}

func (r *tbRecorder) Helper() {}

func (r *tbRecorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	fmt.Fprintf(&r.out, format, args...)
}

func (r *tbRecorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *tbRecorder) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *tbRecorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// record runs f against a tbRecorder and returns it once f has returned
// or stopped the way a failing test stops.
func record(t *testing.T, f func(tb testing.TB)) *tbRecorder {
	r := &tbRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

type goldenOrg struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
	Plan    string `json:"plan"`
}

func manyOrgs(n int) []goldenOrg {
	orgs := make([]goldenOrg, n)
	for i := range orgs {
		orgs[i] = goldenOrg{ID: i + 1, Name: fmt.Sprintf("Organization %03d", i+1), Country: "US", Plan: "Basic"}
	}
	return orgs
}

func TestAssertFailsWithABoundedUnifiedDiff(t *testing.T) {
	comparing(t)
	path := filepath.Join(t.TempDir(), "orgs.golden.json")
	orgs := manyOrgs(120)
	want, err := json.MarshalIndent(orgs, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(want, '\n'), 0o644))
	require.Greater(t, len(want), 10_000, "a golden file of 10 KB")

	orgs[60].Name = "Renamed Organization"
	r := record(t, func(tb testing.TB) { AssertJSON(tb, path, orgs) })
	require.True(t, r.failed)
	msg := r.out.String()
	assert.Contains(t, msg, "differs from "+path)
	assert.Contains(t, msg, UpdateEnv+"=1 go test", "the failure says how to rewrite the file")
	assert.Contains(t, msg, "--- "+path+"\n+++ decoded\n@@ ")
	assert.Contains(t, msg, "\n-    \"name\": \"Organization 061\",\n+    \"name\": \"Renamed Organization\",\n")
	assert.NotContains(t, msg, "Organization 001", "unchanged lines far from the change are not printed")
	assert.NotContains(t, msg, "Organization 120")
	assert.Less(t, len(msg), 1000, "a one-field change reads as a few lines, not two blobs:\n%s", msg)
	assert.Less(t, strings.Count(msg, "\n"), 15, msg)
}

func TestDiffIsBounded(t *testing.T) {
	t.Parallel()
	lines := func(n int, format string) []byte {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format+"\n", i)
		}
		return []byte(b.String())
	}
	long := strings.Repeat("é", 3000) // 6000 bytes, two per rune
	tests := []struct {
		name      string
		want, got []byte
		has       []string
		maxLen    int
	}{
		{name: "every line changed", want: lines(2000, "old line %d"), got: lines(2000, "new line %d"),
			has: []string{"--- x.golden.json", "more lines of diff"}, maxLen: 4000},
		{name: "one very long line", want: []byte("{\"a\": \"" + long + "\"}\n"), got: []byte("{\"a\": \"" + long + "x\"}\n"),
			has: []string{"\n-{\"a\": \"éé", "… (a line of 6009 bytes)\n+{\"a\": \"éé", "… (a line of 6010 bytes)"}, maxLen: 1000},
		{name: "only the final newline", want: []byte("{\n}\n"), got: []byte("{\n}"),
			has: []string{"@@ -1,2 +1,2 @@\n {\n-}\n+}\n\\ No newline at end of file"}, maxLen: 200},
		{name: "line endings", want: []byte("{\n}\n"), got: []byte("{\r\n}\n"),
			has: []string{"-{\n+{\r\n }"}, maxLen: 200},
		{name: "a value added", want: []byte("{\n  \"a\": 1\n}\n"), got: []byte("{\n  \"a\": 1,\n  \"b\": 2\n}\n"),
			has: []string{"-  \"a\": 1\n", "+  \"a\": 1,\n", "+  \"b\": 2\n"}, maxLen: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Diff("x.golden.json", tt.want, tt.got)
			for _, h := range tt.has {
				assert.Contains(t, d, h)
			}
			assert.LessOrEqual(t, len(d), tt.maxLen, d)
			assert.LessOrEqual(t, strings.Count(d, "\n"), diffMaxLines)
			assert.True(t, utf8.ValidString(d), "a cut line stays valid UTF-8")
		})
	}
}

func TestAssertMissingGoldenFileSaysHowToWriteIt(t *testing.T) {
	comparing(t)
	path := filepath.Join(t.TempDir(), "missing.golden.json")
	r := record(t, func(tb testing.TB) { Assert(tb, path, []byte("{}\n")) })
	require.True(t, r.failed)
	assert.Contains(t, r.out.String(), UpdateEnv+"=1 go test")
	assert.NoFileExists(t, path)
}

func TestUpdateEnvRewritesOnlyWhatChanged(t *testing.T) {
	comparing(t)
	t.Setenv(UpdateEnv, "1")
	dir := t.TempDir()
	path := filepath.Join(dir, "new", "v.golden.json")

	r := record(t, func(tb testing.TB) { AssertJSON(tb, path, map[string]int{"a": 1}) })
	require.False(t, r.failed, r.out.String())
	assert.Equal(t, []string{"golden: rewrote " + path}, r.logs, "a missing file is written, in a new directory")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": 1\n}\n", string(data))

	r = record(t, func(tb testing.TB) { AssertJSON(tb, path, map[string]int{"a": 1}) })
	require.False(t, r.failed)
	assert.Empty(t, r.logs, "an unchanged file is left alone")

	r = record(t, func(tb testing.TB) { AssertJSON(tb, path, map[string]int{"a": 2}) })
	require.False(t, r.failed, "a different value is no failure while updating")
	assert.Len(t, r.logs, 1)
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": 2\n}\n", string(data))
}

func TestUpdating(t *testing.T) {
	comparing(t)
	tests := []struct {
		value  string
		set    bool
		want   bool
		errHas string
	}{
		{set: false, want: false},
		{value: "", set: true, want: false},
		{value: "1", set: true, want: true},
		{value: "true", set: true, want: true},
		{value: "0", set: true, want: false},
		{value: "yes", set: true, errHas: `ORGSDK_UPDATE_GOLDEN="yes": want 1 or 0`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q set=%v", tt.value, tt.set), func(t *testing.T) {
			if tt.set {
				t.Setenv(UpdateEnv, tt.value)
			} else {
				t.Setenv(UpdateEnv, "")
				require.NoError(t, os.Unsetenv(UpdateEnv))
			}
			got, err := Updating()
			if tt.errHas != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errHas)
				r := record(t, func(tb testing.TB) { Assert(tb, filepath.Join(t.TempDir(), "x.golden.json"), nil) })
				assert.True(t, r.failed, "Assert refuses a value it cannot read")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// helperFileEnv names the golden file TestHelperRewrite writes; it is set
// only in the child go test of TestUpdateEnvFromTheRoot.
const helperFileEnv = "ORGSDK_GOLDEN_HELPER_FILE"

// TestUpdateEnvFromTheRoot runs the root command, UpdateEnv=1 go test, over
// this package and one without golden tests (internal/benchpair): the
// command passes there and rewrites the golden file here. -update over the
// same packages fails in the one without, which is why the root command
// uses the variable.
func TestUpdateEnvFromTheRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a child process")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "go test puts the go command on PATH")
	path := filepath.Join(t.TempDir(), "helper.golden.json")
	require.NoError(t, os.WriteFile(path, []byte("stale\n"), 0o644))

	run := func(env string, args ...string) (string, error) {
		cmd := exec.Command(goBin, append([]string{"test", "-count=1", "-run", "^TestHelperRewrite$", ".", "../benchpair"}, args...)...)
		cmd.Env = append(os.Environ(), helperFileEnv+"="+path, UpdateEnv+"="+env)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("1")
	require.NoError(t, err, out)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"rewritten\": true\n}\n", string(data))

	require.NoError(t, os.WriteFile(path, []byte("stale\n"), 0o644))
	out, err = run("", "-update")
	require.Error(t, err)
	assert.Contains(t, out, "flag provided but not defined: -update", "a package without golden tests refuses -update")
}

// TestHelperRewrite is the child of TestUpdateEnvFromTheRoot.
func TestHelperRewrite(t *testing.T) {
	path := os.Getenv(helperFileEnv)
	if path == "" {
		t.Skip("runs only as the child of TestUpdateEnvFromTheRoot")
	}
	AssertJSON(t, path, map[string]bool{"rewritten": true})
}
