package rservice_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/golden"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/rservice"
)

const testdata = "../testdata/rservice/"

// page is what a golden file holds for one list page.
type page struct {
	Items      []*rservice.Organization `json:"items"`
	Pagination rservice.Pagination      `json:"pagination"`
	Rate       rate                     `json:"rate"`
	NextCursor string                   `json:"next_cursor"`
}

type rate struct {
	Limit     int    `json:"limit"`
	Remaining int    `json:"remaining"`
	Reset     string `json:"reset"`
}

func rateOf(r rservice.RateLimit) rate {
	out := rate{Limit: r.Limit, Remaining: r.Remaining}
	if !r.Reset.IsZero() {
		out.Reset = r.Reset.UTC().Format(time.RFC3339)
	}
	return out
}

type apiErrorGolden struct {
	StatusCode  int                   `json:"status_code"`
	Message     string                `json:"message"`
	Details     []rservice.FieldError `json:"details"`
	RetryAfter  string                `json:"retry_after"`
	RateLimited bool                  `json:"rate_limited"`
	Validation  bool                  `json:"validation"`
}

func replay(t *testing.T) (*recording.Server, *rservice.Client) {
	t.Helper()
	exs, err := recording.LoadDir(testdata)
	require.NoError(t, err)
	require.Len(t, exs, 5)
	srv := recording.NewServer(exs...)
	t.Cleanup(srv.Close)
	c, err := rservice.NewClient("recorded-token", rservice.WithBaseURL(srv.URL+"/v1/"),
		rservice.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func TestGoldenListPages(t *testing.T) {
	t.Parallel()
	srv, c := replay(t)
	ctx := context.Background()
	opts := &rservice.ListOptions{
		Fields:  []string{"id", "sourceID", "name", "parent", "manager", "created_at", "updated_at"},
		PerPage: 2,
	}
	var pages []page
	for i := 0; i < 3; i++ {
		orgs, resp, err := c.Organizations.List(ctx, opts)
		require.NoError(t, err)
		pages = append(pages, page{orgs, resp.Pagination, rateOf(resp.Rate), strings.ReplaceAll(resp.NextCursor, srv.URL, recording.Origin)})
		if resp.NextCursor == "" {
			break
		}
		opts = &rservice.ListOptions{Cursor: resp.NextCursor}
	}
	require.Len(t, pages, 2)
	golden.AssertJSON(t, testdata+"list.golden.json", pages)
	assert.Equal(t, 2, srv.Hits())

	// All walks the same two recorded pages.
	_, c2 := replay(t)
	var ids []int64
	for o, err := range c2.Organizations.All(ctx, &rservice.ListOptions{Fields: opts2Fields, PerPage: 2}) {
		require.NoError(t, err)
		ids = append(ids, o.ID)
	}
	assert.Equal(t, []int64{44, 50, 6, 51}, ids)
}

var opts2Fields = []string{"id", "sourceID", "name", "parent", "manager", "created_at", "updated_at"}

func TestGoldenGet(t *testing.T) {
	t.Parallel()
	_, c := replay(t)
	o, resp, err := c.Organizations.Get(context.Background(), 50)
	require.NoError(t, err)
	golden.AssertJSON(t, testdata+"get.golden.json", o)
	assert.Equal(t, 3600, resp.Rate.Limit)
	_, off := o.CreatedAt.Zone()
	assert.Equal(t, -5*3600, off)
}

func TestGoldenErrors(t *testing.T) {
	t.Parallel()
	_, c := replay(t)
	ctx := context.Background()
	var got []apiErrorGolden
	_, _, err := c.Organizations.Create(ctx, &rservice.OrganizationInput{Name: rservice.Set("Widget Data Center")})
	got = append(got, errGolden(t, err))
	_, _, err = c.Organizations.Get(ctx, 44)
	got = append(got, errGolden(t, err))
	golden.AssertJSON(t, testdata+"errors.golden.json", got)
}

func errGolden(t *testing.T, err error) apiErrorGolden {
	t.Helper()
	var apiErr *rservice.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	out := apiErrorGolden{StatusCode: apiErr.StatusCode, Message: apiErr.Message, Details: apiErr.Details,
		RateLimited: errors.Is(err, rservice.ErrRateLimited), Validation: errors.Is(err, rservice.ErrValidation)}
	if apiErr.RetryAfter > 0 {
		out.RetryAfter = apiErr.RetryAfter.String()
	}
	return out
}
