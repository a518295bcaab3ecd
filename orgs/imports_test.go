package orgs_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportsGoOneWay: no package of the SDK outside orgs imports orgs (the
// examples and tests may), so a program that uses one provider does not need it, and
// orgs can import every provider without a cycle.
func TestImportsGoOneWay(t *testing.T) {
	t.Parallel()
	const self = "github.com/orgsdk/orgsdk/orgs"
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch {
			case rel == "orgs", rel == "examples", d.Name() == "testdata":
				return filepath.SkipDir
			case rel != "." && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")):
				// Ignored by the go command, as .git is and the root's
				// TestPackageDocSnippetsCompile's _snippets folder.
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // another module
			}
			return nil
		}
		// Tests may import it: the root's README test does, and a
		// provider's own tests could not (the cycle would not build).
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			assert.False(t, p == self || strings.HasPrefix(p, self+"/"), "%s imports %s", rel, p)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 30, "the walk read the module's packages")
}
