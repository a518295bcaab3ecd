// Package clitest runs the example programs in process for their tests and
// checks what every one of them must get right: exit codes, output, and no
// secret in any log line or recording. One runner serves all five programs,
// so a rule added here holds for each of them.
package clitest

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
)

// AnyLines in Case.OutLines skips the line count.
const AnyLines = -1

// Case is one run of an example program and what it must print.
type Case struct {
	Name string
	Env  map[string]string
	Args []string
	// Code is the exit code.
	Code int
	// Out, when set, is the whole of stdout.
	Out string
	// OutHas are parts of stdout.
	OutHas []string
	// OutLines is the number of lines on stdout (AnyLines: any). A failing
	// run must print nothing there whatever OutLines says.
	OutLines int
	// ErrHas are parts of stderr; ErrLacks must not be in it.
	ErrHas   []string
	ErrLacks []string
	// ErrOnce must be in stderr exactly once (an error printed twice is a
	// defect of its own).
	ErrOnce string
	// JSONLines: every stdout line is a JSON object with a name, and none
	// prints "-" for a missing value.
	JSONLines bool
}

// Run runs every case against program, in parallel.
func Run(t *testing.T, program cli.Program, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := cli.RunInProcess(t.Context(), program, tc.Env, tc.Args...)
			require.Equal(t, tc.Code, code, errOut)
			if tc.Code != 0 {
				assert.Empty(t, out, "a failing run prints nothing on stdout")
			}
			if tc.Out != "" {
				assert.Equal(t, tc.Out, out)
			}
			if tc.OutLines != AnyLines {
				assert.Equal(t, tc.OutLines, strings.Count(out, "\n"), out)
			}
			for _, s := range tc.OutHas {
				assert.Contains(t, out, s)
			}
			for _, s := range tc.ErrHas {
				assert.Contains(t, errOut, s)
			}
			for _, s := range tc.ErrLacks {
				assert.NotContains(t, errOut, s)
			}
			if tc.ErrOnce != "" {
				assert.Equal(t, 1, strings.Count(errOut, tc.ErrOnce), errOut)
			}
			if tc.JSONLines {
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					var obj map[string]any
					require.NoError(t, json.Unmarshal([]byte(l), &obj), l)
					assert.NotEmpty(t, obj["name"], l)
					assert.NotContains(t, l, `:"-"`)
				}
			}
		})
	}
}

// NoSecretsRecorded checks every file matching pattern under dir (there
// must be one at least) for each secret, literal and base64-encoded.
func NoSecretsRecorded(t *testing.T, dir, pattern string, secrets ...string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	require.NoError(t, err)
	require.NotEmpty(t, files, "nothing recorded under %s", dir)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, s := range secrets {
			for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s))} {
				assert.NotContains(t, string(data), form, f)
			}
		}
	}
	return files
}

// CleanLog checks a -v log: no secret in it, and no line naming the
// provider twice (the logger and a call site both adding provider=).
func CleanLog(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		assert.LessOrEqual(t, strings.Count(line, "provider="), 1, line)
	}
	for _, s := range secrets {
		assert.NotContains(t, log, s)
	}
}
