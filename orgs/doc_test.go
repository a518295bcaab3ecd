package orgs_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/orgs"
)

// TestPackageDocListsTheEnvironment holds doc.go's two tables to what
// FromEnv reads: one row per variable (name, field, provider, usage) and
// one line per provider saying what it needs, nothing more.
func TestPackageDocListsTheEnvironment(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	doc := string(src)
	var vars int
	for _, p := range orgs.Providers() {
		env, err := orgs.Environment(p)
		require.NoError(t, err)
		for _, v := range env.Vars {
			row := regexp.MustCompile(`(?m)^//\t` + v.Name + ` +` + v.Field + ` +` + p + ` +` + regexp.QuoteMeta(v.Usage) + `$`)
			assert.Regexp(t, row, doc, "doc.go's row of %s", v.Name)
			vars++
		}
		needs := regexp.MustCompile(`(?m)^//\t` + p + ` +` + regexp.QuoteMeta(env.Needs) + `$`)
		assert.Regexp(t, needs, doc, "doc.go's needs of %s", p)
	}
	rows := regexp.MustCompile(`(?m)^//\t[A-Z]+_[A-Z_]+ +[A-Z]`).FindAllString(doc, -1)
	assert.Len(t, rows, vars, "doc.go lists a variable FromEnv does not read: %s", strings.Join(rows, ", "))
}
