package readycloud_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
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
// struct (its ID included) plus what the SDK derives from it.
type orgView struct {
	PriceCents     *int64                   `json:"price_cents,omitempty"`
	UnlimitedUsers bool                     `json:"unlimited_users"`
	Organization   *readycloud.Organization `json:"organization"`
}

func view(o *readycloud.Organization) orgView {
	v := orgView{Organization: o}
	if o.PaymentPlan != nil {
		if cents, err := o.PaymentPlan.Price.MinorUnits(2); err == nil {
			v.PriceCents = &cents
		}
		v.UnlimitedUsers = o.PaymentPlan.Users.Unlimited()
	}
	return v
}

// goldenResult is a golden file: the call the recording answers and what
// it gave (the decoded value and cursor, or the error).
type goldenResult struct {
	Call       string                `json:"call"`
	Result     any                   `json:"result,omitempty"`
	NextCursor string                `json:"next_cursor,omitempty"`
	Error      *golden.Error         `json:"error,omitempty"`
	Rate       *readycloud.RateLimit `json:"rate,omitempty"`
}

type listView struct {
	Items    []orgView `json:"items"`
	Total    int       `json:"total"`
	Next     string    `json:"next"`
	Previous string    `json:"previous"`
}

// TestGolden replays every recording in testdata/readycloud, whatever its
// name (one written by `examples/orgs -record` and copied there counts
// too), and checks the result against its .golden.json; -update rewrites
// them. The recording's method and path pick the call.
func TestGolden(t *testing.T) {
	t.Parallel()
	golden.ReplayDir(t, testdataDir, replayOrganizations)
}

func replayOrganizations(t *testing.T, ex *recording.Exchange, serverURL string) any {
	u, err := url.Parse(strings.Replace(ex.Request.URL, recording.Origin, "", 1))
	require.NoError(t, err)
	// The base URL is everything before orgs/, so a recording of a server
	// mounted elsewhere replays as well.
	path := u.EscapedPath()
	i := strings.LastIndex(path, "/orgs/")
	require.GreaterOrEqual(t, i, 0, "recording %s is not an organizations call", ex.Request.URL)
	base, rest := path[:i+1], path[i+len("/orgs/"):]
	c, err := readycloud.NewClient("golden-token",
		readycloud.WithBaseURL(serverURL+base),
		readycloud.WithMaxRetries(0),
		readycloud.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	ctx := t.Context()

	var out goldenResult
	var resp *readycloud.Response
	switch {
	case rest == "" && ex.Request.Method == http.MethodGet:
		out.Call = "List"
		opts := &readycloud.ListOptions{}
		opts.PerPage, _ = strconv.Atoi(u.Query().Get("limit"))
		opts.Offset, _ = strconv.Atoi(u.Query().Get("offset"))
		var list *readycloud.OrganizationList
		list, resp, err = c.Organizations.List(ctx, opts)
		if err == nil {
			lv := &listView{Items: []orgView{}, Total: list.Total, Next: list.Next, Previous: list.Previous}
			for _, o := range list.Items {
				lv.Items = append(lv.Items, view(o))
			}
			out.Result = lv
		}
	case strings.Count(rest, "/") == 1 && strings.HasSuffix(rest, "/"):
		pk, perr := url.PathUnescape(strings.TrimSuffix(rest, "/"))
		require.NoError(t, perr)
		var org *readycloud.Organization
		switch ex.Request.Method {
		case http.MethodGet:
			out.Call = "Get " + pk
			org, resp, err = c.Organizations.Get(ctx, pk)
		case http.MethodPatch:
			var body struct {
				Name string `json:"name"`
			}
			require.NoError(t, json.Unmarshal(ex.Request.Body(), &body), "a PATCH recording carries its JSON body")
			out.Call = "Update " + pk
			org, resp, err = c.Organizations.Update(ctx, pk, &readycloud.OrganizationInput{Name: body.Name})
		default:
			t.Fatalf("no SDK call for %s %s", ex.Request.Method, ex.Request.URL)
		}
		if err == nil {
			out.Result = view(org)
		}
	default:
		t.Fatalf("no SDK call for %s %s", ex.Request.Method, ex.Request.URL)
	}
	out.Error = golden.ErrorView(err)
	if resp != nil {
		out.NextCursor = resp.NextCursor
		if resp.Rate != (readycloud.RateLimit{}) {
			out.Rate = &resp.Rate
		}
	}
	// Absolute URLs carry the replay server's random port.
	data, err := json.Marshal(out)
	require.NoError(t, err)
	return json.RawMessage(strings.ReplaceAll(string(data), serverURL, recording.Origin))
}
