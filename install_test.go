package orgsdk_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shBlock is a ```sh code block of the README.
var shBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// installCommands returns the commands of each sh block of the README's
// Install section, in order, without comments and blank lines.
func installCommands(t *testing.T) [][]string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Install\n")
	require.True(t, ok, "README.md has an ## Install section")
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var blocks [][]string
	for _, m := range shBlock.FindAllStringSubmatch(section, -1) {
		var cmds []string
		for _, line := range strings.Split(m[1], "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				cmds = append(cmds, line)
			}
		}
		blocks = append(blocks, cmds)
	}
	return blocks
}

// userModule is a new user's program: a main package that builds a client,
// and a test of it against the fake server.
var userModule = map[string]string{
	"main.go": `package main

import (
	"fmt"
	"os"

	"github.com/orgsdk/orgsdk/readycloud"
)

func main() {
	c, err := readycloud.NewClient(os.Getenv("READYCLOUD_TOKEN"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.BaseURL())
}
`,
	"main_test.go": `package main

import (
	"testing"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func TestList(t *testing.T) {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := c.Organizations.List(t.Context(), nil)
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("list: %v, %v", list, err)
	}
}
`,
}

// TestREADMEInstallRoutes follows the README's Install section as a new
// user would, in a new module outside the repository, for each route it
// offers: the replace directive, and a workspace on top of it. Each must
// end in a module that builds, and tidies with nothing left to change,
// with and without the workspace. The commands come from the README, so
// the test fails when the README changes them; the one change is the
// clone, which is a link to the checkout under test (no network). The go
// command runs offline: GOPROXY=off, every dependency already in the
// module cache (go mod download all puts it there), and GOSUMDB=off, as
// there is no checksum database to ask offline (the module cache's hashes,
// which `go mod verify` checks in CI, fill go.sum). GOFLAGS is empty: the
// default -mod=readonly fails a build whose go.mod lacks a requirement,
// where -mod=mod would quietly add it (and is refused in workspace mode).
func TestREADMEInstallRoutes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a new module with the go command")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the README's commands are for a POSIX shell")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "go test puts the go command on PATH")
	shBin, err := exec.LookPath("sh")
	require.NoError(t, err)
	checkout, err := filepath.Abs(".")
	require.NoError(t, err)

	blocks := installCommands(t)
	require.Len(t, blocks, 3, "the Install section's sh blocks: the clone, the replace route, the workspace on top of it; update this test with the section")
	clone, replace, workspace := blocks[0], blocks[1], blocks[2]
	require.Len(t, clone, 1)
	cloneArgs := strings.Fields(clone[0])
	require.Len(t, cloneArgs, 4, clone[0])
	require.Equal(t, []string{"git", "clone", "https://github.com/orgsdk/orgsdk"}, cloneArgs[:3])
	require.Contains(t, strings.Join(replace, "\n"), "go mod edit -replace=github.com/orgsdk/orgsdk=")
	require.Contains(t, strings.Join(workspace, "\n"), "go work init")

	// The caches of this go command, so the new module builds offline and
	// fast; everything else about the user is new.
	out, err := exec.Command(goBin, "env", "-json", "GOMODCACHE", "GOCACHE").Output()
	require.NoError(t, err)
	var caches map[string]string
	require.NoError(t, json.Unmarshal(out, &caches))
	// go mod tidy in the new module loads the tests of the SDK's own
	// dependencies (go-hclog, go-cmp, ...), which building the SDK never
	// downloads: on a fresh machine the offline routes would fail for want
	// of them. Fetch the whole module graph first, the way a new user's
	// go command would, through the machine's own proxy settings.
	if out, err := exec.Command(goBin, "mod", "download", "all").CombinedOutput(); err != nil {
		t.Fatalf("go mod download all (needs the module proxy once on a fresh machine): %v\n%s", err, out)
	}

	for _, route := range []struct {
		name     string
		commands []string
	}{
		{"replace", replace},
		{"workspace", append(append([]string(nil), replace...), workspace...)},
	} {
		t.Run(route.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GOENV=off", "GOFLAGS=",
				"GOPATH=" + filepath.Join(home, "go"), "GOMODCACHE=" + caches["GOMODCACHE"], "GOCACHE=" + caches["GOCACHE"],
				"GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local"}
			mod := filepath.Join(home, "newuser")
			require.NoError(t, os.Mkdir(mod, 0o755))
			run := func(extraEnv []string, command string) string {
				t.Helper()
				cmd := exec.Command(shBin, "-c", command)
				cmd.Dir, cmd.Env = mod, append(append([]string(nil), env...), extraEnv...)
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "%s\n%s", command, out)
				return string(out)
			}

			run(nil, "go mod init example.com/newuser")
			for name, src := range userModule {
				require.NoError(t, os.WriteFile(filepath.Join(mod, name), []byte(src), 0o644))
			}
			// The clone: the checkout under test, where the README clones to.
			dest := os.Expand(strings.Replace(cloneArgs[3], "~", "$HOME", 1), func(k string) string {
				require.Equal(t, "HOME", k, "the clone's destination uses no variable but HOME")
				return home
			})
			require.NoError(t, os.MkdirAll(filepath.Dir(dest), 0o755))
			require.NoError(t, os.Symlink(checkout, dest))

			for _, c := range route.commands {
				run(nil, c)
			}

			gowork := strings.TrimSpace(run(nil, "go env GOWORK"))
			run(nil, "go mod tidy -diff") // fails if tidy would change go.mod or go.sum
			noWork := []string{"GOWORK=off"}
			if route.name == "workspace" {
				require.Equal(t, filepath.Join(mod, "go.work"), gowork, "the workspace is in use")
				// What failed with a go.work alone: a build of the module
				// by itself.
				run(noWork, "go build ./...")
			} else {
				require.Empty(t, gowork, "the README's go build was the module's own")
				// The test too, with the fake server's package.
				run(nil, "go vet ./...")
			}
			got := run(noWork, "go list -m -f '{{.Version}} {{.Replace.Dir}}' github.com/orgsdk/orgsdk")
			assert.Equal(t, "v0.0.0-00010101000000-000000000000 "+dest, strings.TrimSpace(got), "go.mod requires the clone")
		})
	}
}
