package orgsdk_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
)

var (
	// nextVersion is how CHANGELOG.md's [Unreleased] section (and the
	// README's Install section) name the version the next tag will carry.
	nextVersion = regexp.MustCompile(`(?:first|next)\s+(?:tag|release)\s+will\s+be\s+\*\*v(\d+\.\d+\.\d+)\*\*`)
	// releasedHeading is a released section of CHANGELOG.md, newest first
	// (Keep a Changelog: "## [0.1.0] - 2025-01-31").
	releasedHeading = regexp.MustCompile(`(?m)^## \[v?(\d+\.\d+\.\d+)\]`)
)

// checkVersion checks version against a changelog and a readme: between
// tags, version is the next version the [Unreleased] section names plus
// "-dev", and that version is newer than the newest released one; on a
// release commit (no "-dev"), it is the newest released section's. Every
// "will be **vX.Y.Z**" in the readme names the changelog's next version.
func checkVersion(version, changelog, readme string) error {
	_, unreleased, ok := strings.Cut(changelog, "\n## [Unreleased]")
	if !ok {
		return fmt.Errorf("CHANGELOG.md has no ## [Unreleased] section")
	}
	if i := strings.Index(unreleased, "\n## "); i >= 0 {
		unreleased = unreleased[:i]
	}
	var next, released string
	if m := nextVersion.FindStringSubmatch(unreleased); m != nil {
		next = m[1]
	}
	if m := releasedHeading.FindStringSubmatch(changelog); m != nil {
		released = m[1]
	}

	if base, dev := strings.CutSuffix(version, "-dev"); dev {
		switch {
		case next == "":
			return fmt.Errorf(`Version is %q but CHANGELOG.md's [Unreleased] section does not say "the next tag will be **vX.Y.Z**"`, version)
		case base != next:
			return fmt.Errorf("Version is %q but CHANGELOG.md says the next tag will be v%s: make Version %q", version, next, next+"-dev")
		case released != "" && !newer(next, released):
			return fmt.Errorf("CHANGELOG.md's next version v%s is not newer than its newest release v%s", next, released)
		}
	} else if version != released {
		return fmt.Errorf("Version %q has no -dev suffix, so it is a release, but CHANGELOG.md's newest released section is %q", version, released)
	}

	for _, m := range nextVersion.FindAllStringSubmatch(readme, -1) {
		if m[1] != next {
			return fmt.Errorf("README.md says %q, CHANGELOG.md's next version is v%s", m[0], next)
		}
	}
	return nil
}

// newer reports whether version a (X.Y.Z) is greater than b.
func newer(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range 3 {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x > y
		}
	}
	return false
}

// TestVersionMatchesChangelog is CI's check that orgsdk.Version, the
// CHANGELOG's next version and the README's first release agree.
func TestVersionMatchesChangelog(t *testing.T) {
	t.Parallel()
	changelog, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	require.NoError(t, checkVersion(orgsdk.Version, string(changelog), string(readme)))
	assert.True(t, nextVersion.Match(readme), "README.md no longer says which version the first release will be: %s", nextVersion)
}

func TestCheckVersion(t *testing.T) {
	t.Parallel()
	const head = "# Changelog\n\nintro\n\n## [Unreleased]\n\n"
	before := head + "Nothing has been tagged yet; the first tag will be **v0.1.0**.\n\n### Added\n\n- x\n"
	releaseCommit := head + "### Added\n\n## [0.1.0] - 2025-01-31\n\n### Added\n\n- x\n"
	after := head + "The next tag will be **v0.2.0**.\n\n## [0.1.0] - 2025-01-31\n\n### Added\n\n- x\n"
	tests := []struct {
		name, version, changelog, readme string
		errHas                           string // "" for no error
	}{
		{name: "before the first tag", version: "0.1.0-dev", changelog: before, readme: "the first release will be **v0.1.0**"},
		{name: "the old mismatch", version: "0.2.0-dev", changelog: before, errHas: `make Version "0.1.0-dev"`},
		{name: "no -dev before the tag", version: "0.1.0", changelog: before, errHas: "no -dev suffix"},
		{name: "README names another release", version: "0.1.0-dev", changelog: before,
			readme: "the first release will be **v0.2.0**", errHas: "README.md says"},
		{name: "the release commit", version: "0.1.0", changelog: releaseCommit},
		{name: "a release commit that forgot the changelog", version: "0.2.0", changelog: releaseCommit, errHas: `newest released section is "0.1.0"`},
		{name: "-dev without a next version", version: "0.2.0-dev", changelog: releaseCommit, errHas: "does not say"},
		{name: "after the tag", version: "0.2.0-dev", changelog: after},
		{name: "after the tag, Version not moved on", version: "0.1.0-dev", changelog: after, errHas: `make Version "0.2.0-dev"`},
		{name: "a next version older than the release", version: "0.0.9-dev",
			changelog: strings.Replace(after, "v0.2.0", "v0.0.9", 1), errHas: "not newer"},
		{name: "no Unreleased section", version: "0.1.0-dev", changelog: "# Changelog\n", errHas: "no ## [Unreleased]"},
		{name: "a version named in a later section does not count", version: "0.3.0-dev",
			changelog: releaseCommit + "the next tag will be **v0.3.0**\n", errHas: "does not say"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkVersion(tt.version, tt.changelog, tt.readme)
			if tt.errHas == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.errHas)
		})
	}
}
