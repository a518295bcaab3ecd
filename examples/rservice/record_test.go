package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/internal/transport"
)

type countingTransport struct {
	n atomic.Int64
	// posts counts the writes that left the program.
	posts atomic.Int64
	next  http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if r.Method == http.MethodPost {
		c.posts.Add(1)
	}
	return c.next.RoundTrip(r)
}

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
		requests  int64
		posts     int64
		errHas    string
		recording bool
	}{
		{"to a file", file, cli.ExitUsage, 0, 0, "-record", false},
		{"to a folder", good, cli.ExitOK, 1, 1, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct := &countingTransport{next: transport.DefaultHTTPClient().Transport}
			var out, errOut bytes.Buffer
			env := cli.Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errOut, Transport: ct}
			code := run(t.Context(), append([]string{"-record", tc.dir}, create...), env)
			assert.Equal(t, tc.code, code, errOut.String())
			assert.Equal(t, tc.posts, ct.posts.Load(), "POSTs sent")
			assert.Equal(t, tc.requests, ct.n.Load(), "requests sent")
			assert.Contains(t, errOut.String(), tc.errHas)
			files, _ := filepath.Glob(filepath.Join(tc.dir, "*.json"))
			assert.Equal(t, tc.recording, len(files) == 1, "%v", files)
		})
	}
}
