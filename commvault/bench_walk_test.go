package commvault_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/benchwalk"
)

// Run: go test ./commvault -run '^$' -bench Walk -benchtime 2x -count 6
// (BENCHMARKS.md, issue 25). Benchmarks do not run in CI; it compiles them.

// walkBench is Commvault's list for benchwalk: start/limit pages of
// provider objects shaped like the documented list answer, each saying
// filterQueryCount. Commvault has no cursor to follow, so the walk benchwalk
// calls a cursor walk (counted false) is the same counted walk: its
// "seq" and "cursor1" figures are the walk at WithPrefetch(0) and (1).
var walkBench = benchwalk.Provider{
	Path:        "/commandcenter/api/Organization",
	ContentType: "application/json",
	Index: func(r *http.Request) int {
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		return start / benchwalk.PerPage
	},
	Body: func(_ string, k, pages int, _ bool) []byte {
		var b strings.Builder
		b.WriteString(`{"providers":[`)
		for i := range benchwalk.PerPage {
			if i > 0 {
				b.WriteByte(',')
			}
			id := k*benchwalk.PerPage + i + 1
			fmt.Fprintf(&b, `{"serviceType":5,"flags":0,"description":"Company %d","enabled":1,"bTrustedHostUser":"","useSecureLdap":0,`+
				`"connectName":"Company %d","port":0,"bLogin":"","primaryContacts":[{"fullName":"admin","user":{"userName":"c%d\\admin","userId":%d}}],`+
				`"resourceProvider":{"domainName":"Qinetix Commcell","id":0},"shortName":{"domainName":"c%d","id":%d}}`, id, id, id, id, id, id)
		}
		fmt.Fprintf(&b, `],"filterQueryCount":%d}`, pages*benchwalk.PerPage)
		return []byte(b.String())
	},
	Walk: func(ctx context.Context, serverURL string, prefetch, perPage int, each func()) (int, error) {
		c, err := commvault.NewClient(serverURL+"/commandcenter/api/", commvault.WithToken("QSDK bench0token"), commvault.WithPrefetch(prefetch))
		if err != nil {
			return 0, err
		}
		return benchwalk.Count(c.Organizations.All(ctx, &commvault.ListOptions{PerPage: perPage}), each)
	},
	First: func(ctx context.Context, serverURL string, perPage, n int) ([]any, error) {
		c, err := commvault.NewClient(serverURL+"/commandcenter/api/", commvault.WithToken("QSDK bench0token"))
		if err != nil {
			return nil, err
		}
		return benchwalk.Lists(n, func() (*commvault.OrganizationList, error) {
			list, _, err := c.Organizations.List(ctx, &commvault.ListOptions{PerPage: perPage})
			return list, err
		})
	},
}

// BenchmarkWalkInFlight walks 100 pages of 100 organizations from a server
// that waits 20 ms a page, at 0, 1, 4 and 8 pages in flight by start, in
// one loop (benchwalk.Run names the figures).
func BenchmarkWalkInFlight(b *testing.B) { benchwalk.Run(b, walkBench) }

// BenchmarkWalkLiveHeap reports the most heap a walk keeps live at 1 and 8
// pages in flight, in pages' worth (benchwalk.LiveHeap).
func BenchmarkWalkLiveHeap(b *testing.B) { benchwalk.LiveHeap(b, walkBench) }
