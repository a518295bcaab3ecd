// Package golden compares a decoded value with a golden file under
// testdata/; `go test ./... -update` rewrites the files.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

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
