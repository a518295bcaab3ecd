package commvault_test

// Pages in flight (issue 25): the promises of All at WithPrefetch(n) over
// Commvault's start/limit paging, checked at the server.

import (
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

// pagedServer serves p as Commvault list pages: page k is at start
// k·PerPage, and every page says filterQueryCount, the whole count.
func pagedServer(t *testing.T, p *faulttest.Paged) *faulttest.Server {
	t.Helper()
	return faulttest.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		k := start / p.PerPage
		status, ids := p.Answer(r, k)
		switch status {
		case 0:
			return true
		case http.StatusOK:
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"errorMessage":"page ` + strconv.Itoa(k) + ` failed","errorCode":2}`))
			return true
		}
		providers := make([]map[string]any, len(ids))
		for i, id := range ids {
			n, _ := strconv.Atoi(id)
			providers[i] = map[string]any{"connectName": "Org " + id, "shortName": map[string]any{"domainName": "org" + id, "id": n}}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"providers": providers, "filterQueryCount": p.Count()})
		return true
	}, nil)
}

func orgID(o *commvault.Organization) string { return strconv.Itoa(o.ID) }

func pagedWalk(t *testing.T, p *faulttest.Paged, prefetch int, pace faulttest.Pace) iter.Seq2[string, error] {
	opts := append(faulttest.PaceOptions(pace, commvault.WithRateLimit, commvault.WithLimiter), commvault.WithPrefetch(prefetch))
	c := walksClient(t, pagedServer(t, p), opts...)
	return faulttest.IDsOf(c.Organizations.All(t.Context(), &commvault.ListOptions{PerPage: p.PerPage}), orgID)
}

func TestWalkPaged(t *testing.T) {
	t.Parallel()
	faulttest.PagedWalks(t, "commvault", pagedWalk)
}

func TestWalkPagedControl(t *testing.T) {
	t.Parallel()
	faulttest.WithoutLimiterExceeds(t, pagedWalk)
}

func TestWithPrefetchNegative(t *testing.T) {
	t.Parallel()
	_, err := commvault.NewClient("https://cv.example/commandcenter/api/", commvault.WithPrefetch(-1))
	require.ErrorIs(t, err, commvault.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "WithPrefetch")
}
