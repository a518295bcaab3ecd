package readycloud_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/internal/benchwalk"
	"github.com/orgsdk/orgsdk/readycloud"
)

// Run: go test ./readycloud -run '^$' -bench Walk -benchtime 2x -count 6
// (BENCHMARKS.md, issue 25). Benchmarks do not run in CI; it compiles them.

// walkBench is ReadyCloud's list for benchwalk: DRF limit/offset pages of
// organizations shaped like the docs' detail body, counted (count) or not
// (count null: the walk follows next links).
var walkBench = benchwalk.Provider{
	Path:        "/api/v2/orgs/",
	ContentType: "application/json",
	Index: func(r *http.Request) int {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		return offset / benchwalk.PerPage
	},
	Body: func(serverURL string, k, pages int, counted bool) []byte {
		var b strings.Builder
		count := "null"
		if counted {
			count = strconv.Itoa(pages * benchwalk.PerPage)
		}
		next := "null"
		if k+1 < pages {
			next = fmt.Sprintf(`"%s/api/v2/orgs/?limit=%d&offset=%d"`, serverURL, benchwalk.PerPage, (k+1)*benchwalk.PerPage)
		}
		fmt.Fprintf(&b, `{"count":%s,"next":%s,"previous":null,"results":[`, count, next)
		for i := range benchwalk.PerPage {
			if i > 0 {
				b.WriteByte(',')
			}
			id := k*benchwalk.PerPage + i + 1
			fmt.Fprintf(&b, `{"url":"/api/v2/orgs/o%d/","name":"Company %d","fees_paid_by":null,"insurance_charges_allowed":false,"app_seat_licenses":[],`+
				`"payment_plan":{"url":"/api/v2/payments/plans/1/","name":"","price":"0.00 USD","billing_period":"month","limit":1991,"users":-1,"integrations":-1,"storage":-1,"extras":[]},`+
				`"user_slots":0,"subscriptions":{"integration":0,"storage":0,"user":0},"avatar":null,"website":null}`, id, id)
		}
		b.WriteString(`]}`)
		return []byte(b.String())
	},
	Walk: func(ctx context.Context, serverURL string, prefetch, perPage int, each func()) (int, error) {
		c, err := readycloud.NewClient(benchToken, readycloud.WithBaseURL(serverURL+"/api/v2/"), readycloud.WithPrefetch(prefetch))
		if err != nil {
			return 0, err
		}
		return benchwalk.Count(c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: perPage}), each)
	},
	First: func(ctx context.Context, serverURL string, perPage, n int) ([]any, error) {
		c, err := readycloud.NewClient(benchToken, readycloud.WithBaseURL(serverURL+"/api/v2/"))
		if err != nil {
			return nil, err
		}
		return benchwalk.Lists(n, func() (*readycloud.OrganizationList, error) {
			list, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: perPage})
			return list, err
		})
	},
}

// BenchmarkWalkInFlight walks 100 pages of 100 organizations from a server
// that waits 20 ms a page: sequentially, one ahead by next links (before
// issue 25), and 1, 4 and 8 pages in flight by offset, in one loop
// (benchwalk.Run names the figures).
func BenchmarkWalkInFlight(b *testing.B) { benchwalk.Run(b, walkBench) }

// BenchmarkWalkLiveHeap reports the most heap a walk keeps live at 1 and 8
// pages in flight, in pages' worth (benchwalk.LiveHeap).
func BenchmarkWalkLiveHeap(b *testing.B) { benchwalk.LiveHeap(b, walkBench) }
