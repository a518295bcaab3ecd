package golden

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "v.golden.json")
	require.NoError(t, os.WriteFile(path, []byte("{\n  \"name\": \"Test Company\"\n}\n"), 0o644))
	AssertJSON(t, path, map[string]string{"name": "Test Company"})
	ok, err := Matches(path, []byte("{\n  \"name\": \"Other\"\n}\n"))
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = Matches(filepath.Join(dir, "missing.json"), nil)
	assert.Error(t, err)
	assert.False(t, Updating())
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
		resp, err := http.Get(serverURL + "/api/x")
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
