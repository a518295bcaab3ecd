package readycloud_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/golden"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/readycloud"
)

const testdataDir = "../testdata/readycloud"

// orgView is what a golden file holds for one organization: the decoded
// struct plus what the SDK derives from it.
type orgView struct {
	PK             string                   `json:"pk"`
	PlanPK         string                   `json:"plan_pk"`
	PriceCents     int64                    `json:"price_cents"`
	UnlimitedUsers bool                     `json:"unlimited_users"`
	Organization   *readycloud.Organization `json:"organization"`
}

func view(t *testing.T, o *readycloud.Organization) orgView {
	t.Helper()
	v := orgView{PK: o.PK(), Organization: o}
	if o.PaymentPlan != nil {
		v.PlanPK = o.PaymentPlan.PK()
		cents, err := o.PaymentPlan.Price.MinorUnits(2)
		require.NoError(t, err)
		v.PriceCents = cents
		v.UnlimitedUsers = o.PaymentPlan.Users.Unlimited()
	}
	return v
}

func TestGolden(t *testing.T) {
	t.Parallel()
	// recording.LoadDir would also read the *.golden.json files next to
	// the exchanges, so the exchanges are named explicitly.
	names, err := filepath.Glob(filepath.Join(testdataDir, "0*.json"))
	require.NoError(t, err)
	require.Len(t, names, 4)
	exchanges := make([]*recording.Exchange, len(names))
	for i, n := range names {
		exchanges[i], err = recording.Load(n)
		require.NoError(t, err)
	}
	srv := recording.NewServer(exchanges...)
	defer srv.Close()
	c, err := readycloud.NewClient("golden-token", readycloud.WithBaseURL(srv.URL+"/api/v2/"),
		readycloud.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()

	assert := func(name string, v any) {
		t.Helper()
		data, err := json.MarshalIndent(v, "", "  ")
		require.NoError(t, err)
		// Absolute URLs carry the replay server's random port.
		data = []byte(strings.ReplaceAll(string(data), srv.URL, recording.Origin) + "\n")
		golden.Assert(t, filepath.Join(testdataDir, name), data)
	}

	list, resp, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, resp.NextCursor)
	views := make([]orgView, len(list.Items))
	for i, o := range list.Items {
		views[i] = view(t, o)
	}
	assert("list.golden.json", map[string]any{
		"count": list.Total, "next": list.Next, "previous": list.Previous,
		"next_cursor": resp.NextCursor, "results": views,
	})

	org, _, err := c.Organizations.Get(ctx, "1")
	require.NoError(t, err)
	assert("get.golden.json", view(t, org))

	org, _, err = c.Organizations.Update(ctx, "1", &readycloud.OrganizationInput{Name: "New organization name"})
	require.NoError(t, err)
	assert("patch.golden.json", view(t, org))

	org, _, err = c.Organizations.Get(ctx, "cF6EZn1o")
	require.NoError(t, err)
	assert("staging.golden.json", view(t, org))

	require.Equal(t, 4, srv.Hits())
}
