package jsonapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/internal/benchwalk"
)

// Run: go test ./jsonapi -run '^$' -bench Walk -benchtime 2x -count 6
// (BENCHMARKS.md, issue 25). Benchmarks do not run in CI; it compiles them.

// walkBench is MPDX's list for benchwalk: pages of organizations shaped
// like hundredOrganizations, counted as MPDX counts them
// (meta.pagination, no links) or, for the cursor walk, with a links.next
// of the server's own and no meta.
var walkBench = benchwalk.Provider{
	Path:        "/api/v2/organizations",
	ContentType: "application/vnd.api+json; charset=utf-8",
	Index: func(r *http.Request) int {
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil {
			return 0
		}
		return page - 1
	},
	Body: func(serverURL string, k, pages int, counted bool) []byte {
		var b strings.Builder
		b.WriteString(`{"data":[`)
		for i := range benchwalk.PerPage {
			if i > 0 {
				b.WriteByte(',')
			}
			id := k*benchwalk.PerPage + i
			gift, abbr := "null", "null"
			if i%3 == 0 {
				gift, abbr = `"25.0"`, fmt.Sprintf(`"O%d"`, id)
			}
			fmt.Fprintf(&b, `{"id":"6fcf9f2f-25c6-4a7c-9d76-%012d","type":"organizations","attributes":{"abbreviation":%s,"code":null,"country":"United Kingdom","created_at":"2021-11-23T14:38:10Z","default_currency_code":"GBP","gift_aid_percentage":%s,"logo":null,"name":"Organization%d","oauth":false,"updated_at":"2021-11-23T14:38:10Z","updated_in_db_at":"2021-11-23T14:38:10Z"}}`, id, abbr, gift, id)
		}
		b.WriteString(`]`)
		if counted {
			fmt.Fprintf(&b, `,"meta":{"pagination":{"page":"%d","per_page":"%d","total_count":%d,"total_pages":%d},"sort":null,"filter":{}}}`,
				k+1, benchwalk.PerPage, pages*benchwalk.PerPage, pages)
			return []byte(b.String())
		}
		next := "null"
		if k+1 < pages {
			next = fmt.Sprintf(`"%s/api/v2/organizations?page=%d&per_page=%d"`, serverURL, k+2, benchwalk.PerPage)
		}
		fmt.Fprintf(&b, `,"links":{"next":%s}}`, next)
		return []byte(b.String())
	},
	Walk: func(ctx context.Context, serverURL string, prefetch, perPage int, each func()) (int, error) {
		c, err := NewClient("bench-token", WithBaseURL(serverURL+"/api/v2/"), WithPrefetch(prefetch))
		if err != nil {
			return 0, err
		}
		return benchwalk.Count(c.Organizations.All(ctx, &ListOptions{PerPage: perPage}), each)
	},
	First: func(ctx context.Context, serverURL string, perPage, n int) ([]any, error) {
		c, err := NewClient("bench-token", WithBaseURL(serverURL+"/api/v2/"))
		if err != nil {
			return nil, err
		}
		return benchwalk.Lists(n, func() (*OrganizationList, error) {
			list, _, err := c.Organizations.List(ctx, &ListOptions{PerPage: perPage})
			return list, err
		})
	},
}

// BenchmarkWalkInFlight walks 100 pages of 100 organizations from a server
// that waits 20 ms a page: sequentially and one ahead by the server's own
// links.next (a cursor walk, as every walk was before issue 25), and 1, 4
// and 8 pages in flight by page number, in one loop (benchwalk.Run names
// the figures).
func BenchmarkWalkInFlight(b *testing.B) { benchwalk.Run(b, walkBench) }

// BenchmarkWalkLiveHeap reports the most heap a walk keeps live at 1 and 8
// pages in flight, in pages' worth (benchwalk.LiveHeap).
func BenchmarkWalkLiveHeap(b *testing.B) { benchwalk.LiveHeap(b, walkBench) }
