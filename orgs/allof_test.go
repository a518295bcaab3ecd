package orgs_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// openAll opens the four fakes.
func openAll(t *testing.T) (map[string]fakeServer, []*orgs.Directory) {
	t.Helper()
	servers := map[string]fakeServer{}
	var dirs []*orgs.Directory
	for _, f := range fakes() {
		dir, srv := f.open(t)
		servers[f.provider] = srv
		dirs = append(dirs, dir)
	}
	return servers, dirs
}

// walkAll lists every directory on its own.
func walkAll(t *testing.T, dirs []*orgs.Directory) map[string][]string {
	t.Helper()
	want := map[string][]string{}
	for _, dir := range dirs {
		for org, err := range dir.All(t.Context(), nil) {
			require.NoError(t, err)
			want[dir.Provider()] = append(want[dir.Provider()], org.ID)
		}
	}
	return want
}

func TestAllOfYieldsEveryOrganizationWithItsProvider(t *testing.T) {
	t.Parallel()
	_, dirs := openAll(t)
	want := walkAll(t, dirs)
	got := map[string][]string{}
	for org, err := range orgs.AllOf(t.Context(), nil, dirs...) {
		require.NoError(t, err)
		got[org.Provider] = append(got[org.Provider], org.ID)
	}
	assert.Equal(t, want, got, "each provider's organizations, in its own order")
}

// TestAllOfOneFailureDoesNotStopTheOthers: a provider that fails is
// yielded once, as its *orgs.Error, and the others list everything.
func TestAllOfOneFailureDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	servers, dirs := openAll(t)
	want := walkAll(t, dirs)
	delete(want, "jsonapi")
	inject(servers["jsonapi"], http.StatusForbidden, 100, "")
	got := map[string][]string{}
	var errs []error
	for org, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{Concurrency: 2}, dirs...) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got[org.Provider] = append(got[org.Provider], org.ID)
	}
	assert.Equal(t, want, got)
	require.Len(t, errs, 1, "the failure is yielded once")
	assert.ErrorIs(t, errs[0], orgs.ErrForbidden)
	var oe *orgs.Error
	require.ErrorAs(t, errs[0], &oe)
	assert.Equal(t, "jsonapi", oe.Provider)
}

// TestAllOfBreakStopsEveryWalk: breaking out returns at once although one
// directory's server never answers, cancels that request, and leaves no
// goroutine behind.
func TestAllOfBreakStopsEveryWalk(t *testing.T) {
	faulttest.NoLeaks(t)
	stalled := faulttest.StalledServer(t, false)
	c, err := readycloud.NewClient("token-value", readycloud.WithBaseURL(stalled.URL+readycloudtest.Prefix))
	require.NoError(t, err)
	hung := orgs.ReadyCloud(c)
	// The working walk answers once both stalled walks have sent their
	// request: otherwise its first item could come, and the break end
	// every walk, before a stalled one had asked anything, and the test
	// would prove nothing (it once failed so under a parallel run).
	fake := jsonapitest.NewServer()
	t.Cleanup(fake.Close)
	gate := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		for stalled.Total() < 2 && r.Context().Err() == nil {
			time.Sleep(time.Millisecond)
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	jc, err := jsonapi.NewClient(fake.Token, jsonapi.WithBaseURL(fake.URL), jsonapi.WithHTTPClient(&http.Client{Transport: gate}))
	require.NoError(t, err)
	working := orgs.JSONAPI(jc)

	start := time.Now()
	n := 0
	for org, err := range orgs.AllOf(t.Context(), nil, hung, working, hung) {
		require.NoError(t, err)
		assert.Equal(t, "jsonapi", org.Provider)
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.Less(t, time.Since(start), 5*time.Second, "the break did not wait for the stalled server")
	assert.Equal(t, 2, stalled.Total(), "the stalled directories were walking")
}

// TestAllOfCancelledContext: a context that ends stops every walk, each
// with its error, once.
func TestAllOfCancelledContext(t *testing.T) {
	t.Parallel()
	_, dirs := openAll(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errs := map[string]int{}
	items := 0
	for org, err := range orgs.AllOf(ctx, nil, dirs...) {
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled)
			var oe *orgs.Error
			require.ErrorAs(t, err, &oe)
			errs[oe.Provider]++
			continue
		}
		items++
		assert.NotNil(t, org)
		cancel()
	}
	assert.Positive(t, items)
	for provider, n := range errs {
		assert.Equal(t, 1, n, "%s: one error", provider)
	}
	// No walk can end before the cancel (each has more than one item, and
	// hands over one at a time), so each ends with its error.
	assert.Len(t, errs, len(dirs), "every walk ends with its error")
}

// TestAllOfWaitsForTheLoopBody: a walk fetches its next page only once
// the loop's body is done with its item, so memory stays at a page.
func TestAllOfWaitsForTheLoopBody(t *testing.T) {
	t.Parallel()
	dir, srv := fakeOf(t, "readycloud")
	n := 0
	for _, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{PageSize: 1, Limit: 5}}, dir) {
		require.NoError(t, err)
		n++
		// Pages of one: the walk has fetched the page of this item and
		// waits; a little time for it to go further shows if it would.
		time.Sleep(2 * time.Millisecond)
		assert.Equal(t, n, srv.Hits(), "pages fetched while the body holds item %d", n)
	}
	assert.Equal(t, 5, n)
}

// TestAllOfConcurrencyIsBounded counts the requests in flight.
func TestAllOfConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		mu.Lock()
		peak.Store(max(peak.Load(), n))
		mu.Unlock()
		time.Sleep(time.Millisecond)
		return http.DefaultTransport.RoundTrip(r)
	})
	srv := readycloudtest.NewServer()
	t.Cleanup(srv.Close)
	var dirs []*orgs.Directory
	for range 6 {
		c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithHTTPClient(&http.Client{Transport: transport}))
		require.NoError(t, err)
		dirs = append(dirs, orgs.ReadyCloud(c))
	}
	n := 0
	for _, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{PageSize: 5}, Concurrency: 2}, dirs...) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 6*25, n)
	assert.LessOrEqual(t, peak.Load(), int32(2), "at most Concurrency walks at once")

	// Concurrency 1 walks one directory after the other.
	var order []string
	a, _ := fakeOf(t, "readycloud")
	b, _ := fakeOf(t, "jsonapi")
	for org, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{Concurrency: 1}, a, b) {
		require.NoError(t, err)
		if len(order) == 0 || order[len(order)-1] != org.Provider {
			order = append(order, org.Provider)
		}
	}
	assert.Equal(t, []string{"readycloud", "jsonapi"}, order)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestAllOfArguments(t *testing.T) {
	t.Parallel()
	n := 0
	for range orgs.AllOf(t.Context(), nil) {
		n++
	}
	assert.Zero(t, n, "no directory, nothing to yield")
	for org, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{Concurrency: -1}, orgs.ReadyCloud(nil)) {
		n++
		assert.Nil(t, org)
		assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	}
	assert.Equal(t, 1, n)
	dir, _ := fakeOf(t, "readycloud")
	var errs []error
	for _, err := range orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{Limit: -1}}, dir, nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 2, "bad options for the directory, and the nil directory")
	for _, err := range errs {
		assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	}

	// Ranging twice starts over.
	seq := orgs.AllOf(t.Context(), &orgs.AllOptions{ListOptions: orgs.ListOptions{Limit: 3}}, dir)
	for range 2 {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 3, n)
	}
}
