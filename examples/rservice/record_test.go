package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// TestRecordToAFileSendsNothing is issue 19.9: with -record naming a file,
// -create used to create the organization and then report failure (five
// times over for the reads). Now the folder is checked before anything is
// sent.
func TestRecordToAFileSendsNothing(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "recording")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	good := filepath.Join(t.TempDir(), "rec")
	create := []string{"-create", "Widget Recorded", "-order-template", "30"}
	cases := []struct {
		name      string
		dir       string
		code      int
		requests  int
		posts     int
		errHas    string
		recording bool
	}{
		{"to a file", file, cli.ExitUsage, 0, 0, "-record", false},
		{"to a folder", good, cli.ExitOK, 1, 1, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct := &faulttest.CountingTransport{Next: transport.DefaultHTTPClient().Transport}
			var out, errOut bytes.Buffer
			env := cli.Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errOut, Transport: ct}
			code := run(t.Context(), append([]string{"-record", tc.dir}, create...), env)
			assert.Equal(t, tc.code, code, errOut.String())
			assert.Equal(t, tc.posts, ct.Count(http.MethodPost), "POSTs sent")
			assert.Equal(t, tc.requests, ct.Count(""), "requests sent")
			assert.Contains(t, errOut.String(), tc.errHas)
			files, _ := filepath.Glob(filepath.Join(tc.dir, "*.json"))
			assert.Equal(t, tc.recording, len(files) == 1, "%v", files)
		})
	}
}
