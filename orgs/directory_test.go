package orgs_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// TestErrorsKeepSentinelsAndAPIError checks, for every provider, that a
// missing organization and a refused credential match the family's
// sentinels, reach the provider's *APIError with errors.As, and are an
// *orgs.Error naming the provider, whose text names it once.
func TestErrorsKeepSentinelsAndAPIError(t *testing.T) {
	t.Parallel()
	for _, f := range fakes() {
		t.Run(f.provider, func(t *testing.T) {
			t.Parallel()
			dir, srv := f.open(t)
			_, err := dir.Get(t.Context(), f.missing)
			require.ErrorIs(t, err, orgs.ErrNotFound)
			assertProviderError(t, f.provider, "get", err)
			var apiErr *orgsdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, f.provider, apiErr.Provider)

			inject(srv, http.StatusUnauthorized, 10, http.MethodGet)
			var walkErr error
			for _, err := range dir.All(t.Context(), nil) {
				walkErr = err
			}
			require.ErrorIs(t, walkErr, orgs.ErrUnauthorized)
			assertProviderError(t, f.provider, "all", walkErr)
			require.ErrorAs(t, walkErr, &apiErr)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
		})
	}
}

func assertProviderError(t *testing.T, provider, op string, err error) {
	t.Helper()
	var oe *orgs.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, provider, oe.Provider)
	assert.Equal(t, op, oe.Op)
	assert.True(t, strings.HasPrefix(err.Error(), "orgsdk: "+provider+": "), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "orgsdk: "), "the prefix once: %s", err)
	assert.LessOrEqual(t, len(err.Error()), orgsdk.ErrorTextLimit)
}

// TestUnsupportedRenameSendsNothing: MPDX cannot rename; Can says so and
// Rename fails before any request.
func TestUnsupportedRenameSendsNothing(t *testing.T) {
	t.Parallel()
	for _, f := range fakes() {
		t.Run(f.provider, func(t *testing.T) {
			t.Parallel()
			dir, srv := f.open(t)
			want := f.provider != "jsonapi"
			assert.Equal(t, want, dir.Can(orgs.Rename))
			if want {
				return
			}
			before := srv.Hits()
			org, err := dir.Rename(t.Context(), "1", "New name")
			assert.Nil(t, org)
			require.ErrorIs(t, err, orgs.ErrUnsupported)
			require.ErrorIs(t, err, errors.ErrUnsupported)
			assertProviderError(t, f.provider, "rename", err)
			assert.Contains(t, err.Error(), "unsupported operation")
			assert.Equal(t, before, srv.Hits(), "no request for an unsupported rename")
		})
	}
}

// TestRenameIsSentOnce counts the writes: one per rename, and a 503
// answer to it is not resent.
func TestRenameIsSentOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider, id, method, path string
	}{
		{"readycloud", "1", http.MethodPatch, readycloudtest.Prefix + "orgs/1/"},
		{"rservice", "6", http.MethodPatch, rservicetest.Prefix + "organizations/6"},
		{"commvault", "16", http.MethodPut, commvaulttest.Prefix + "Organization"},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			t.Parallel()
			dir, srv := fakeOf(t, tt.provider)
			org, err := dir.Rename(t.Context(), tt.id, "Renamed Once")
			require.NoError(t, err)
			assert.Equal(t, "Renamed Once", org.Name)
			assert.Equal(t, tt.id, org.ID)
			assert.Equal(t, 1, srv.HitsFor(tt.method, tt.path))

			inject(srv, http.StatusServiceUnavailable, 5, tt.method)
			_, err = dir.Rename(t.Context(), tt.id, "Renamed Twice")
			require.Error(t, err)
			var apiErr *orgsdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
			assert.Equal(t, 2, srv.HitsFor(tt.method, tt.path), "a 503 to a write is not resent")
		})
	}
}

func fakeOf(t *testing.T, provider string) (*orgs.Directory, fakeServer) {
	t.Helper()
	for _, f := range fakes() {
		if f.provider == provider {
			return f.open(t)
		}
	}
	t.Fatalf("no fake %s", provider)
	return nil, nil
}

// TestIDsAreCanonical: R-Service and Commvault ids are positive integers
// written one way; anything else is refused before any request.
func TestIDsAreCanonical(t *testing.T) {
	t.Parallel()
	for _, provider := range []string{"rservice", "commvault"} {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			dir, srv := fakeOf(t, provider)
			before := srv.Hits()
			for _, id := range []string{"06", "+6", "-6", "0", " 6", "6 ", "six", "1e3", "99999999999999999999", strings.Repeat("9", 5000)} {
				_, err := dir.Get(t.Context(), id)
				require.ErrorIs(t, err, orgs.ErrInvalidArgument, "id %q", id)
				assert.LessOrEqual(t, len(err.Error()), orgsdk.ErrorTextLimit)
				assert.Contains(t, err.Error(), "orgsdk: "+provider+": invalid argument: ")
			}
			assert.Equal(t, before, srv.Hits(), "no request for a malformed id")
		})
	}
}

// TestUnusableDirectories: nil or zero directories, and directories over
// nil clients, fail every call with ErrInvalidArgument and never panic.
func TestUnusableDirectories(t *testing.T) {
	t.Parallel()
	var zero orgs.Directory
	dirs := map[string]*orgs.Directory{
		"nil": nil, "zero": &zero, "nil driver": orgs.NewDirectory(nil),
		"nil readycloud": orgs.ReadyCloud(nil), "nil rservice": orgs.RService(nil),
		"nil commvault": orgs.Commvault(nil), "nil jsonapi": orgs.JSONAPI(nil),
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := dir.Get(t.Context(), "1")
			assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
			_, err = dir.Rename(t.Context(), "1", "x")
			assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
			n := 0
			for org, err := range dir.All(t.Context(), nil) {
				n++
				assert.Nil(t, org)
				assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
			}
			assert.Equal(t, 1, n)
			assert.False(t, dir.Can(orgs.Rename))
			var c *readycloud.Client
			assert.False(t, dir.As(&c))
			assert.Equal(t, "text", dir.Redact("text"))
			assert.NoError(t, dir.Close(t.Context()))
			assert.NotEmpty(t, dir.Provider())
		})
	}
	assert.Equal(t, "readycloud", orgs.ReadyCloud(nil).Provider())
	_, err := orgs.ReadyCloud(nil).Get(t.Context(), "1")
	assert.Contains(t, err.Error(), "nil *readycloud.Client")
}

// TestPageSizes checks what the Directory asks the provider for: Limit as
// the page size when no PageSize is given, and never more than the
// provider's largest page.
func TestPageSizes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		opts     *orgs.ListOptions
		want     string
	}{
		{"readycloud", &orgs.ListOptions{Limit: 3}, "limit=3"},
		{"readycloud", &orgs.ListOptions{Limit: 3, PageSize: 10}, "limit=10"},
		{"rservice", &orgs.ListOptions{PageSize: 500}, "per_page=100"},
		{"rservice", &orgs.ListOptions{Limit: 500}, "per_page=100"},
		{"rservice", &orgs.ListOptions{Limit: 2}, "per_page=2"},
		{"jsonapi", &orgs.ListOptions{PageSize: 2}, "per_page=2"},
		{"commvault", &orgs.ListOptions{PageSize: 2}, "limit=2"},
		{"commvault", &orgs.ListOptions{Limit: 1}, "limit=1"},
	}
	for _, tt := range tests {
		t.Run(tt.provider+" "+tt.want, func(t *testing.T) {
			t.Parallel()
			dir, srv := fakeOf(t, tt.provider)
			for _, err := range dir.All(t.Context(), tt.opts) {
				require.NoError(t, err)
				break
			}
			// The first list request (Commvault's first request is its
			// login, whose query is empty).
			var first string
			for _, q := range requestsOf(srv) {
				if q != "" {
					first = q
					break
				}
			}
			assert.Contains(t, first, tt.want)
		})
	}
}

// requestsOf returns the raw queries a fake received.
func requestsOf(srv fakeServer) []string {
	var out []string
	switch s := srv.(type) {
	case rcServer:
		for _, r := range s.Requests() {
			out = append(out, r.RawQuery)
		}
	case rsServer:
		for _, r := range s.Requests() {
			out = append(out, r.RawQuery)
		}
	case jaServer:
		for _, r := range s.Requests() {
			out = append(out, r.RawQuery)
		}
	case cvServer:
		for _, r := range s.Requests() {
			out = append(out, r.RawQuery)
		}
	}
	return out
}

// TestOptionsAreReadWhenAllIsCalled: changing the options after All does
// not change the walk.
func TestOptionsAreReadWhenAllIsCalled(t *testing.T) {
	t.Parallel()
	dir, _ := fakeOf(t, "readycloud")
	opts := &orgs.ListOptions{Limit: 2}
	seq := dir.All(t.Context(), opts)
	opts.Limit = 5
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
}

// TestDriverContractBroken: a driver that hands back a nil or id-less
// organization is an error, not an organization a program cannot Get.
func TestDriverContractBroken(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]*brokenDriver{"nil": {}, "no id": {org: &driverOrg{}}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := orgs.NewDirectory(d)
			_, err := dir.Get(t.Context(), "1")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "driver")
			for org, err := range dir.All(t.Context(), nil) {
				assert.Nil(t, org)
				assert.Error(t, err)
			}
		})
	}
}

func TestTristate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v     orgs.Tristate
		value bool
		known bool
		text  string
		json  string
	}{
		{orgs.Unknown, false, false, "unknown", "null"},
		{orgs.True, true, true, "true", "true"},
		{orgs.False, false, true, "false", "false"},
	}
	for _, tt := range tests {
		v, ok := tt.v.Bool()
		assert.Equal(t, tt.value, v)
		assert.Equal(t, tt.known, ok)
		assert.Equal(t, tt.known, tt.v.Known())
		assert.Equal(t, tt.text, tt.v.String())
		data, err := json.Marshal(tt.v)
		require.NoError(t, err)
		assert.Equal(t, tt.json, string(data))
		var back orgs.Tristate
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, tt.v, back)
	}
	assert.Equal(t, orgs.True, orgs.TristateOf(true))
	assert.Equal(t, orgs.False, orgs.TristateOf(false))
	var zero orgs.Tristate
	assert.Equal(t, orgs.Unknown, zero, "the zero value is Unknown")
	assert.Equal(t, "Tristate(9)", orgs.Tristate(9).String())
	var bad orgs.Tristate
	assert.Error(t, json.Unmarshal([]byte(`"yes"`), &bad))
}

// TestOrganizationFields checks the portable fields of a few known
// organizations of each fake, and their JSON form.
func TestOrganizationFields(t *testing.T) {
	t.Parallel()
	rs, _ := fakeOf(t, "rservice")
	child, err := rs.Get(t.Context(), "44")
	require.NoError(t, err)
	var own *rservice.Organization
	require.True(t, child.As(&own))
	require.NotNil(t, own.Parent, "the rservice fake's organization 44 has a parent")
	assert.Equal(t, formatInt(own.Parent.ID), child.ParentID)
	assert.Equal(t, orgs.TristateOf(!own.Disabled), child.Active, "Get knows disabled")
	assert.False(t, child.CreatedAt.IsZero())
	for org, err := range rs.All(t.Context(), &orgs.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		assert.Equal(t, orgs.Unknown, org.Active, "a list leaves disabled out")
	}

	rc, _ := fakeOf(t, "readycloud")
	org, err := rc.Get(t.Context(), "1")
	require.NoError(t, err)
	assert.Equal(t, orgs.Organization{Provider: "readycloud", ID: "1", Name: org.Name}, withoutAs(org))
	data, err := json.Marshal(org)
	require.NoError(t, err)
	assert.JSONEq(t, `{"provider":"readycloud","id":"1","name":"Test Company","active":null}`, string(data))

	cv, _ := fakeOf(t, "commvault")
	org, err = cv.Get(t.Context(), "6")
	require.NoError(t, err)
	assert.Equal(t, orgs.True, org.Active)
	assert.False(t, org.CreatedAt.IsZero(), "Commvault's detailed answer has orgCreationDateTime")
}

// withoutAs is org without its As (which == cannot compare).
func withoutAs(org *orgs.Organization) orgs.Organization {
	return orgs.Organization{Provider: org.Provider, ID: org.ID, Name: org.Name, ParentID: org.ParentID,
		Active: org.Active, CreatedAt: org.CreatedAt, UpdatedAt: org.UpdatedAt}
}

// TestDirectoryAs reaches each provider's client.
func TestDirectoryAs(t *testing.T) {
	t.Parallel()
	dir, _ := fakeOf(t, "readycloud")
	var c *readycloud.Client
	require.True(t, dir.As(&c))
	_, _, err := c.Organizations.Get(t.Context(), "1")
	require.NoError(t, err)
	var rs *rservice.Client
	assert.False(t, dir.As(&rs))
	assert.False(t, dir.As(c), "a *Client, not a **Client")
	var nilTarget **readycloud.Client
	assert.False(t, dir.As(nilTarget))
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *orgs.Error
		want string
	}{
		{&orgs.Error{Provider: "readycloud", Op: "get", ID: "1", Err: errors.New("orgsdk: readycloud: GET x: 404")}, "orgsdk: readycloud: GET x: 404"},
		{&orgs.Error{Provider: "acme", Op: "get", ID: "1", Err: errors.New("boom")}, `orgsdk: acme: get "1": boom`},
		{&orgs.Error{Provider: "acme", Op: "all", Err: context.Canceled}, "orgsdk: acme: all: context canceled"},
		{&orgs.Error{Provider: "acme", Op: "all"}, "orgsdk: acme: all: <nil>"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
	long := &orgs.Error{Provider: "acme", Op: "get", ID: strings.Repeat("x", 10000), Err: errors.New(strings.Repeat("y", 10000))}
	assert.LessOrEqual(t, len(long.Error()), orgsdk.ErrorTextLimit)
	assert.Contains(t, long.Error(), orgsdk.CutMark)
	assert.ErrorIs(t, &orgs.Error{Err: context.Canceled}, context.Canceled)
}

// TestNilContext: a nil context is refused, never a panic.
func TestNilContext(t *testing.T) {
	t.Parallel()
	dir, srv := fakeOf(t, "readycloud")
	var ctx context.Context
	_, err := dir.Get(ctx, "1")
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	_, err = dir.Rename(ctx, "1", "x")
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	for _, err := range dir.All(ctx, nil) {
		assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	}
	for _, err := range orgs.AllOf(ctx, nil, dir) {
		assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	}
	_, err = orgs.Open(ctx, "readycloud", orgs.Config{Token: "t"})
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	assert.Zero(t, srv.Hits())
}
