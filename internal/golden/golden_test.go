package golden

import (
	"os"
	"path/filepath"
	"testing"

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
