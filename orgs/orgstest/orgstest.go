// Package orgstest is the conformance suite of package orgs: Run checks
// that an *orgs.Directory behaves as the package documents, with the same
// cases for every provider — All compared with Get of each organization
// it lists, a missing id, rename where the directory can and
// ErrUnsupported where it cannot, a context cancelled mid-walk, a loop
// broken early, Limit and PageSize, concurrent use, and AllOf. orgsdk runs
// it in CI against the four providers' fake servers
// (orgs/conformance_test.go); run it against a driver of your own the same
// way, returning orgs.NewDirectory(yourDriver) where this returns a
// built-in provider's directory:
//
//	func TestConformance(t *testing.T) {
//		orgstest.Run(t, orgstest.Harness{
//			NewDirectory: func(t *testing.T) *orgs.Directory {
//				srv := readycloudtest.NewServer() // a store of its own, with a few organizations
//				t.Cleanup(srv.Close)
//				c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
//				require.NoError(t, err)
//				return orgs.ReadyCloud(c)
//			},
//			MissingID: "no-such-org",
//		})
//	}
//
// Give each case a store of its own (a fake server, or a test account you
// can change): the rename case renames an organization. Run it with
// -race, and with a goleak.VerifyTestMain TestMain so that a walk that
// leaves a goroutine behind after a break fails too.
package orgstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/orgs"
)

// Harness is what Run needs to check a directory.
type Harness struct {
	// NewDirectory returns the directory one case checks, over a store of
	// its own holding at least two organizations (three or more, with
	// pages of fewer, check paging too). It is called once per case;
	// release what it starts with t.Cleanup. Required.
	NewDirectory func(t *testing.T) *orgs.Directory
	// MissingID is an id, in the provider's canonical form, that no
	// organization of such a store has. Required.
	MissingID string
	// CheckAs, when set, is called with organizations All and Get handed
	// back, to check that Organization.As reaches the provider's own
	// value.
	CheckAs func(t *testing.T, org *orgs.Organization)
}

// Run runs every case of the suite against h, each as a subtest of t.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.NewDirectory == nil || h.MissingID == "" {
		t.Fatal("orgstest: Harness.NewDirectory and Harness.MissingID are required")
	}
	cases := []struct {
		name string
		run  func(t *testing.T, h Harness)
	}{
		{"AllMatchesGet", testAllMatchesGet},
		{"LimitAndPageSize", testLimitAndPageSize},
		{"NotFound", testNotFound},
		{"InvalidArguments", testInvalidArguments},
		{"Rename", testRename},
		{"CancelledMidWalk", testCancelledMidWalk},
		{"CancelledBefore", testCancelledBefore},
		{"BreakEarly", testBreakEarly},
		{"Concurrent", testConcurrent},
		{"AllOf", testAllOf},
		{"As", testAs},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, h) })
	}
}

// walk ranges over all of dir and fails t at the first error.
func walk(t *testing.T, dir *orgs.Directory, opts *orgs.ListOptions) []*orgs.Organization {
	t.Helper()
	var out []*orgs.Organization
	for org, err := range dir.All(t.Context(), opts) {
		require.NoError(t, err, "%s: All", dir.Provider())
		require.NotNil(t, org, "%s: All yielded a nil organization without an error", dir.Provider())
		out = append(out, org)
	}
	return out
}

func ids(orgs []*orgs.Organization) []string {
	out := make([]string, len(orgs))
	for i, o := range orgs {
		out[i] = o.ID
	}
	return out
}

// list is the directory's whole list, checked to hold at least two.
func list(t *testing.T, dir *orgs.Directory) []*orgs.Organization {
	t.Helper()
	all := walk(t, dir, nil)
	require.GreaterOrEqual(t, len(all), 2, "%s: the store must hold at least two organizations", dir.Provider())
	return all
}

func testAllMatchesGet(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := list(t, dir)
	seen := map[string]bool{}
	for _, org := range all {
		assert.Equal(t, dir.Provider(), org.Provider, "Provider of %q", org.ID)
		assert.NotEmpty(t, org.ID)
		assert.False(t, seen[org.ID], "All yielded id %q twice", org.ID)
		seen[org.ID] = true
		assert.NotEqual(t, org.ID, org.ParentID, "%q is its own parent", org.ID)

		got, err := dir.Get(t.Context(), org.ID)
		require.NoError(t, err, "Get(%q) of an organization All listed", org.ID)
		require.NotNil(t, got)
		assert.Equal(t, org.Provider, got.Provider, "Provider: All and Get(%q) differ", org.ID)
		assert.Equal(t, org.ID, got.ID, "ID: Get(%q) answers for another organization", org.ID)
		assert.Equal(t, org.Name, got.Name, "Name: All and Get(%q) differ", org.ID)
		assert.Equal(t, org.ParentID, got.ParentID, "ParentID: All and Get(%q) differ", org.ID)
		if org.Active.Known() && got.Active.Known() {
			assert.Equal(t, org.Active, got.Active, "Active: All and Get(%q) differ", org.ID)
		}
		if !org.CreatedAt.IsZero() && !got.CreatedAt.IsZero() {
			assert.True(t, org.CreatedAt.Equal(got.CreatedAt), "CreatedAt: All says %s, Get(%q) %s", org.CreatedAt, org.ID, got.CreatedAt)
		}
		if !org.UpdatedAt.IsZero() && !got.UpdatedAt.IsZero() {
			assert.True(t, org.UpdatedAt.Equal(got.UpdatedAt), "UpdatedAt: All says %s, Get(%q) %s", org.UpdatedAt, org.ID, got.UpdatedAt)
		}
	}
	// Ranging again starts over and lists the same.
	assert.Equal(t, ids(all), ids(walk(t, dir, nil)), "a second range lists other organizations")
}

func testLimitAndPageSize(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := ids(list(t, dir))
	// Pages of one: every organization once, in the same order.
	assert.Equal(t, all, ids(walk(t, dir, &orgs.ListOptions{PageSize: 1})), "pages of one")
	for _, limit := range []int{1, 2, len(all), len(all) + 5} {
		for _, size := range []int{0, 1, 2} {
			got := ids(walk(t, dir, &orgs.ListOptions{Limit: limit, PageSize: size}))
			assert.Equal(t, all[:min(limit, len(all))], got, "Limit %d, PageSize %d", limit, size)
		}
	}
}

func testNotFound(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	org, err := dir.Get(t.Context(), h.MissingID)
	assert.Nil(t, org)
	require.Error(t, err, "Get(%q) of a missing id", h.MissingID)
	assert.ErrorIs(t, err, orgs.ErrNotFound, "Get(%q): %v", h.MissingID, err)
	assertError(t, dir, err, "get")
}

// assertError checks what every error of a directory carries.
func assertError(t *testing.T, dir *orgs.Directory, err error, op string) {
	t.Helper()
	var oe *orgs.Error
	if assert.ErrorAs(t, err, &oe, "%v", err) {
		assert.Equal(t, dir.Provider(), oe.Provider)
		assert.Equal(t, op, oe.Op)
	}
	assert.Contains(t, err.Error(), dir.Provider(), "the error names the provider")
}

func testInvalidArguments(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	_, err := dir.Get(t.Context(), "")
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument, "Get of an empty id")
	for _, opts := range []*orgs.ListOptions{{Limit: -1}, {PageSize: -1}, {MaxPages: -1}} {
		n := 0
		for org, err := range dir.All(t.Context(), opts) {
			n++
			assert.Nil(t, org)
			assert.ErrorIs(t, err, orgs.ErrInvalidArgument, "All(%+v)", *opts)
		}
		assert.Equal(t, 1, n, "All(%+v) yields its error once", *opts)
	}
}

func testRename(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := list(t, dir)
	target := all[0]
	if !dir.Can(orgs.Rename) {
		org, err := dir.Rename(t.Context(), target.ID, target.Name+" (orgstest)")
		assert.Nil(t, org)
		require.ErrorIs(t, err, orgs.ErrUnsupported, "Rename where Can(Rename) is false")
		assertError(t, dir, err, "rename")
		got, err := dir.Get(t.Context(), target.ID)
		require.NoError(t, err)
		assert.Equal(t, target.Name, got.Name, "an unsupported rename changed the name")
		return
	}
	name := target.Name + " (orgstest)"
	renamed, err := dir.Rename(t.Context(), target.ID, name)
	require.NoError(t, err, "Rename(%q)", target.ID)
	assert.Equal(t, target.ID, renamed.ID, "Rename answered for another organization")
	assert.Equal(t, name, renamed.Name, "Rename's answer")
	got, err := dir.Get(t.Context(), target.ID)
	require.NoError(t, err)
	assert.Equal(t, name, got.Name, "Get after Rename")
	after := walk(t, dir, nil)
	assert.Equal(t, len(all), len(after), "a rename added or removed organizations")
	for _, o := range after {
		if o.ID == target.ID {
			assert.Equal(t, name, o.Name, "All after Rename")
		}
	}

	_, err = dir.Rename(t.Context(), h.MissingID, "nobody")
	assert.ErrorIs(t, err, orgs.ErrNotFound, "Rename of a missing id")
	_, err = dir.Rename(t.Context(), target.ID, "")
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument, "Rename to an empty name")
	_, err = dir.Rename(t.Context(), "", "x")
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument, "Rename of an empty id")
}

func testCancelledMidWalk(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	list(t, dir)
	for _, size := range []int{0, 1} {
		ctx, cancel := context.WithCancel(t.Context())
		var events []string
		var last error
		for org, err := range dir.All(ctx, &orgs.ListOptions{PageSize: size}) {
			if err != nil {
				events = append(events, "error")
				last = err
				continue
			}
			events = append(events, "item")
			assert.NotNil(t, org)
			cancel()
		}
		cancel()
		assert.Equal(t, []string{"item", "error"}, events, "cancelled after the first item (PageSize %d): one item, then one error, then nothing", size)
		assert.ErrorIs(t, last, context.Canceled, "PageSize %d", size)
		if last != nil {
			assertError(t, dir, last, "all")
		}
	}
}

func testCancelledBefore(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	id := list(t, dir)[0].ID
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	n := 0
	for org, err := range dir.All(ctx, nil) {
		n++
		assert.Nil(t, org)
		assert.ErrorIs(t, err, context.Canceled)
	}
	assert.Equal(t, 1, n, "All with a done context yields its error once")
	_, err := dir.Get(ctx, id)
	assert.ErrorIs(t, err, context.Canceled, "Get with a done context")
	if dir.Can(orgs.Rename) {
		_, err = dir.Rename(ctx, id, "never sent")
		assert.ErrorIs(t, err, context.Canceled, "Rename with a done context")
		got, err := dir.Get(t.Context(), id)
		require.NoError(t, err)
		assert.NotEqual(t, "never sent", got.Name, "a rename with a done context was sent")
	}
}

func testBreakEarly(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := ids(list(t, dir))
	for _, size := range []int{0, 1} {
		n := 0
		for _, err := range dir.All(t.Context(), &orgs.ListOptions{PageSize: size}) {
			require.NoError(t, err)
			n++
			break
		}
		assert.Equal(t, 1, n, "the loop ends at break (PageSize %d)", size)
	}
	// The same directory walks in full after a break.
	assert.Equal(t, all, ids(walk(t, dir, &orgs.ListOptions{PageSize: 1})), "a walk after a break")
}

func testConcurrent(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := list(t, dir)
	want := ids(all)
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*2)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got []string
			for org, err := range dir.All(t.Context(), &orgs.ListOptions{PageSize: 1 + w%2}) {
				if err != nil {
					errs <- fmt.Errorf("worker %d: All: %w", w, err)
					return
				}
				got = append(got, org.ID)
			}
			if !slices.Equal(want, got) {
				errs <- fmt.Errorf("worker %d: All listed %q, want %q", w, got, want)
			}
			org := all[w%len(all)]
			g, err := dir.Get(t.Context(), org.ID)
			switch {
			case err != nil:
				errs <- fmt.Errorf("worker %d: Get(%q): %w", w, org.ID, err)
			case g.ID != org.ID || g.Name != org.Name:
				errs <- fmt.Errorf("worker %d: Get(%q) = %q %q, want %q %q", w, org.ID, g.ID, g.Name, org.ID, org.Name)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testAllOf(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	want := ids(list(t, dir))
	// The same directory twice, and a nil one: every organization twice,
	// in each walk's order, and one error.
	var first, second []string
	var errs []error
	byWalk := map[string]int{}
	for org, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{PageSize: 1}}, dir, nil, dir) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		assert.Equal(t, dir.Provider(), org.Provider)
		// Items of the two walks interleave; the first time an id is seen
		// it belongs to the walk that is ahead.
		if byWalk[org.ID]++; byWalk[org.ID] == 1 {
			first = append(first, org.ID)
		} else {
			second = append(second, org.ID)
		}
	}
	assert.Equal(t, want, first, "AllOf: the first sighting of each organization")
	assert.ElementsMatch(t, want, second, "AllOf: each organization once per directory")
	if assert.Len(t, errs, 1, "AllOf: one error, for the nil directory") {
		assert.ErrorIs(t, errs[0], orgs.ErrInvalidArgument)
	}

	// A break ends every walk.
	n := 0
	for _, err := range orgs.AllOf(t.Context(), nil, dir, dir, dir) {
		require.NoError(t, err)
		n++
		break
	}
	assert.Equal(t, 1, n, "AllOf: the loop ends at break")

	// Limit applies to each directory.
	got := 0
	for _, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{Limit: 1}, Concurrency: 1}, dir, dir) {
		require.NoError(t, err)
		got++
	}
	assert.Equal(t, 2, got, "AllOf with Limit 1 over two directories")
}

func testAs(t *testing.T, h Harness) {
	dir := h.NewDirectory(t)
	all := list(t, dir)
	var wrong *struct{ orgstest int }
	for _, org := range all[:1] {
		assert.False(t, org.As(nil), "Organization.As(nil)")
		assert.False(t, org.As(&wrong), "Organization.As of a type no driver knows")
		if h.CheckAs != nil {
			h.CheckAs(t, org)
		}
		got, err := dir.Get(t.Context(), org.ID)
		require.NoError(t, err)
		if h.CheckAs != nil {
			h.CheckAs(t, got)
		}
	}
	assert.False(t, dir.As(nil), "Directory.As(nil)")
	assert.False(t, dir.As(&wrong), "Directory.As of a type no driver knows")
	var oe *orgs.Error
	_, err := dir.Get(t.Context(), h.MissingID)
	assert.True(t, errors.As(err, &oe), "errors.As(*orgs.Error)")
}
