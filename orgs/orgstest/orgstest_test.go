package orgstest_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/orgs/driver"
	"github.com/orgsdk/orgsdk/orgs/orgstest"
)

// memory is a driver of its own, as a user would write one: organizations
// in a map, served in pages of PageSize (default 2), renamed under a lock.
// Its flaws, when set, are the mistakes the suite must catch.
type memory struct {
	flaw string

	mu    sync.Mutex
	names map[string]string
}

func newMemory(flaw string) *memory {
	return &memory{flaw: flaw, names: map[string]string{"a": "Alpha", "b": "Bravo", "c": "Charlie", "d": "Delta"}}
}

func (m *memory) Provider() string { return "memory" }

func (m *memory) MaxPageSize() int { return 3 }

func (m *memory) page(after string, size int) ([]*driver.Organization, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.names {
		if k > after {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	more := len(keys) > size
	var out []*driver.Organization
	for _, k := range keys[:min(size, len(keys))] {
		out = append(out, m.org(k))
	}
	return out, more
}

func (m *memory) org(id string) *driver.Organization {
	name := m.names[id]
	return &driver.Organization{ID: id, Name: name, AsFunc: func(target any) bool {
		p, ok := target.(*string)
		if ok {
			*p = name
		}
		return ok
	}}
}

func (m *memory) All(ctx context.Context, opts *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	return func(yield func(*driver.Organization, error) bool) {
		size := opts.PageSize
		if size == 0 {
			size = 2
		}
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			items, more := m.page(after, size)
			for _, o := range items {
				if m.flaw == "all-renames" {
					o.Name += "!"
				}
				if !yield(o, nil) {
					return
				}
				after = o.ID
			}
			if !more {
				return
			}
		}
	}
}

func (m *memory) Get(ctx context.Context, id string) (*driver.Organization, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.names[id]; !ok {
		if m.flaw == "plain-not-found" {
			return nil, errors.New("no such organization")
		}
		return nil, fmt.Errorf("memory: %q: %w", id, orgsdk.ErrNotFound)
	}
	return m.org(id), nil
}

func (m *memory) As(target any) bool { return false }

// renaming is memory that renames too.
type renaming struct{ *memory }

func (r renaming) Rename(ctx context.Context, id, name string) (*driver.Organization, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.names[id]; !ok {
		return nil, fmt.Errorf("memory: %q: %w", id, orgsdk.ErrNotFound)
	}
	if r.flaw != "rename-forgets" {
		r.names[id] = name
	}
	return &driver.Organization{ID: id, Name: name}, nil
}

func harness(flaw string, rename bool) orgstest.Harness {
	return orgstest.Harness{
		NewDirectory: func(t *testing.T) *orgs.Directory {
			m := newMemory(flaw)
			if rename {
				return orgs.NewDirectory(renaming{m})
			}
			return orgs.NewDirectory(m)
		},
		MissingID: "zz",
		CheckAs: func(t *testing.T, org *orgs.Organization) {
			var name string
			require.True(t, org.As(&name))
			assert.Equal(t, org.Name, name)
		},
	}
}

// TestDriverOfYourOwn runs the suite against a driver written outside
// orgsdk, with and without rename: what the package doc tells a user to do.
func TestDriverOfYourOwn(t *testing.T) {
	t.Run("read only", func(t *testing.T) { orgstest.Run(t, harness("", false)) })
	t.Run("renaming", func(t *testing.T) { orgstest.Run(t, harness("", true)) })
}

// TestFlawedDriversFail checks that the suite fails a driver with each
// flaw, naming the case that caught it. Each runs in a child process
// (TestFlawedDriverChild), since a failing subtest fails its parent.
func TestFlawedDriversFail(t *testing.T) {
	t.Parallel()
	for flaw, wantCase := range map[string]string{
		"all-renames":     "AllMatchesGet",
		"plain-not-found": "NotFound",
		"rename-forgets":  "Rename",
	} {
		t.Run(flaw, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFlawedDriverChild$", "-test.v")
			cmd.Env = append(os.Environ(), "ORGSTEST_FLAW="+flaw)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the suite passed a driver whose flaw is %s:\n%s", flaw, out)
			assert.Contains(t, string(out), "--- FAIL: TestFlawedDriverChild/"+wantCase, "%s", out)
		})
	}
}

// TestFlawedDriverChild is the child of TestFlawedDriversFail; it does
// nothing in a normal run.
func TestFlawedDriverChild(t *testing.T) {
	flaw := os.Getenv("ORGSTEST_FLAW")
	if flaw == "" {
		t.Skip("run by TestFlawedDriversFail")
	}
	orgstest.Run(t, harness(flaw, strings.HasPrefix(flaw, "rename")))
}
