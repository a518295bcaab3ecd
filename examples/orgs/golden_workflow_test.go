package main

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/golden"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/readycloud"
)

// TestRecordToGoldenWorkflow is the README's "Recording live responses"
// workflow, end to end: record with -record, copy a file into a
// testdata/<provider>/ directory under the name -record gave it, let
// golden.ReplayDir write its golden file as `go test -update` would, and
// replay it again against that file.
//
// It sets the -update flag of package golden in-process (and its
// environment variable), so it must not run in parallel with a test that
// replays golden files (none in this package does).
func TestRecordToGoldenWorkflow(t *testing.T) {
	recorded := t.TempDir()
	code, _, errOut := runCmd(t, nil, "-provider", "readycloud", "-per-page", "2", "-limit", "3", "-record", recorded)
	require.Equal(t, 0, code, errOut)
	files, err := filepath.Glob(filepath.Join(recorded, "readycloud-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 2, "two pages of two")

	testdata := filepath.Join(t.TempDir(), "testdata", "readycloud")
	require.NoError(t, os.MkdirAll(testdata, 0o755))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(testdata, filepath.Base(f)), data, 0o644))
	}
	names, err := golden.RecordingsIn(testdata)
	require.NoError(t, err)
	require.Len(t, names, 2, "a file named by -record counts as a recording")

	setUpdate(t, true)
	golden.ReplayDir(t, testdata, replayReadyCloud)
	first := readGoldens(t, testdata)
	require.Len(t, first, 2, "-update wrote a golden file per recording")

	// A second -update against a replay server on another port writes the
	// same bytes: the server's URL is a placeholder in recordings and
	// golden files alike.
	golden.ReplayDir(t, testdata, replayReadyCloud)
	assert.Equal(t, first, readGoldens(t, testdata))

	setUpdate(t, false)
	golden.ReplayDir(t, testdata, replayReadyCloud)

	page1 := first["readycloud-001-get-api_v2_orgs.golden.json"]
	assert.Contains(t, page1, `"name": "Test Company"`)
	assert.Contains(t, page1, `"next_cursor": "{{origin}}/api/v2/orgs/?limit=2\u0026offset=2"`)
	assert.NotContains(t, page1, "127.0.0.1")
	page2 := first["readycloud-002-get-api_v2_orgs.golden.json"]
	assert.Contains(t, page2, `"name": "Blue Harbor Supply"`)

	// An edited golden file no longer matches what the replay decodes.
	gotPage1, err := golden.Matches(filepath.Join(testdata, "readycloud-001-get-api_v2_orgs.golden.json"), []byte(page1))
	require.NoError(t, err)
	assert.True(t, gotPage1)
	edited, err := golden.Matches(filepath.Join(testdata, "readycloud-001-get-api_v2_orgs.golden.json"),
		[]byte(strings.Replace(page1, "Test Company", "Other Company", 1)))
	require.NoError(t, err)
	assert.False(t, edited)
}

// setUpdate sets package golden's -update flag and its environment
// variable for the rest of the test, so the workflow runs the same under
// ORGSDK_UPDATE_GOLDEN=1 go test ./... and under -update.
func setUpdate(t *testing.T, on bool) {
	t.Helper()
	t.Setenv(golden.UpdateEnv, map[bool]string{true: "1", false: "0"}[on])
	f := flag.Lookup("update")
	require.NotNil(t, f, "package golden registers -update")
	old := f.Value.String()
	require.NoError(t, f.Value.Set(map[bool]string{true: "true", false: "false"}[on]))
	updating, err := golden.Updating()
	require.NoError(t, err)
	require.Equal(t, on, updating)
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

func readGoldens(t *testing.T, dir string) map[string]string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.golden.json"))
	require.NoError(t, err)
	out := map[string]string{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		require.NoError(t, err)
		out[filepath.Base(n)] = string(data)
	}
	return out
}

// replayReadyCloud makes the call a recorded ReadyCloud exchange answers: a
// list page is fetched by its own URL (as a cursor), an organization by its
// id. The replay server's URL is turned back into the placeholder so the
// golden file does not depend on its port.
func replayReadyCloud(t *testing.T, ex *recording.Exchange, serverURL string) any {
	c, err := readycloud.NewClient("golden-token", readycloud.WithBaseURL(serverURL+"/api/v2/"),
		readycloud.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()
	u := strings.Replace(ex.Request.URL, recording.Origin, serverURL, 1)
	path := strings.TrimPrefix(strings.SplitN(ex.Request.URL, "?", 2)[0], recording.Origin+"/api/v2/orgs/")
	var got any
	switch {
	case ex.Request.Method == http.MethodGet && path == "":
		list, resp, err := c.Organizations.List(ctx, &readycloud.ListOptions{Cursor: u})
		if err != nil {
			return golden.ErrorView(err)
		}
		got = map[string]any{"items": list.Items, "total": list.Total, "next_cursor": resp.NextCursor}
	case ex.Request.Method == http.MethodGet:
		org, _, err := c.Organizations.Get(ctx, strings.TrimSuffix(path, "/"))
		if err != nil {
			return golden.ErrorView(err)
		}
		got = org
	default:
		t.Fatalf("no replay for %s %s", ex.Request.Method, ex.Request.URL)
	}
	data, err := json.Marshal(got)
	require.NoError(t, err)
	return json.RawMessage(strings.ReplaceAll(string(data), serverURL, recording.Origin))
}
