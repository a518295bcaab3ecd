package commvault_test

// Fault injection, issue 19 groups 2, 6 and 10. Commvault answers its list
// in one body, so its walk is one request whatever that body holds; an
// HTML page (a proxy's login page served with 200, typed as JSON or XML)
// or a body in another format than its Content-Type names is a
// DecodeError, never an empty organization list; and an answer that names
// an identity, an envelope or an error code twice is refused.

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func walksClient(t *testing.T, srv *faulttest.Server, opts ...commvault.Option) *commvault.Client {
	t.Helper()
	base := []commvault.Option{
		commvault.WithToken("QSDK walks0token0value"),
		commvault.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		commvault.WithMaxRetries(2),
	}
	c, err := commvault.NewClient(srv.URL+root, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func walksOrg(name string, id int) string {
	return `{"connectName":"` + name + `","shortName":{"domainName":"` + strings.ToLower(name) + `","id":` + strconv.Itoa(id) + `}}`
}

func walksName(o *commvault.Organization) string { return o.Name }

func formats() []commvault.Format { return []commvault.Format{commvault.JSON, commvault.XML} }

// TestWalksOneRequestWhateverTheBody: a walk is one GET Organization, with
// a huge list, a list of one organization repeated, or a hostile body, and
// each range makes its own.
func TestWalksOneRequestWhateverTheBody(t *testing.T) {
	t.Parallel()
	many := make([]string, 2000)
	for i := range many {
		many[i] = walksOrg("Org"+strconv.Itoa(i), i+1)
	}
	same := make([]string, 1000)
	for i := range same {
		same[i] = walksOrg("Same", 6)
	}
	for _, tc := range []struct {
		name, ctype, body string
		yields            int
		fails             bool
	}{
		{"two thousand organizations", "application/json", `{"providers":[` + strings.Join(many, ",") + `]}`, 2000, false},
		{"one organization a thousand times", "application/json", `{"providers":[` + strings.Join(same, ",") + `]}`, 1000, false},
		{"a login page typed as XML", "application/xml", "<html><body>Sign in</body></html>", 0, true},
		{"over the body cap", "application/json", `{"providers":[` + strings.Repeat(walksOrg("Big", 1)+",", 5000) + walksOrg("Big", 1) + `]}`, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				_, _ = io.WriteString(w, tc.body)
			})
			c := walksClient(t, srv, commvault.WithMaxBodyBytes(256<<10))
			seq := c.Organizations.All(t.Context(), nil)
			for run := 1; run <= 2; run++ {
				walked := faulttest.Walk(seq, walksName, 1<<20)
				assert.Len(t, walked.IDs, tc.yields)
				if tc.fails {
					assert.Len(t, walked.Errs, 1)
				} else {
					assert.Empty(t, walked.Errs)
				}
				assert.Equal(t, run, srv.Count(http.MethodGet, root+"Organization"), "one request a range")
			}
		})
	}
}

func TestWalksForeignBodies(t *testing.T) {
	t.Parallel()
	bodies := append(faulttest.ForeignBodies(),
		faulttest.ForeignBody{Name: "JSON typed as XML", ContentType: "application/xml", Body: `{"providers":[]}`, Is: commvault.ErrUnexpectedContentType, Says: "the body is JSON but its Content-Type says application/xml"},
		faulttest.ForeignBody{Name: "a JSON array", ContentType: faulttest.JSONType, Body: `[]`, Says: "got a JSON array, want a JSON object"},
		faulttest.ForeignBody{Name: "an array of providers", ContentType: faulttest.JSONType, Body: `[{"providers":[]}]`, Says: "got a JSON array, want a JSON object"})
	for _, fb := range bodies {
		for _, format := range formats() {
			for _, call := range []string{"List", "All", "Get", "DefaultPlan"} {
				t.Run(fmt.Sprintf("%s/%s/%s", fb.Name, format, call), func(t *testing.T) {
					t.Parallel()
					srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
						w.Header()["Content-Type"] = []string{strings.ReplaceAll(fb.ContentType, faulttest.JSONType, "application/json")}
						_, _ = io.WriteString(w, fb.Body)
					})
					c := walksClient(t, srv, commvault.WithFormat(format))
					var err error
					switch call {
					case "List":
						var list *commvault.OrganizationList
						list, _, err = c.Organizations.List(t.Context(), nil)
						assert.Nil(t, list, "never an empty organization list")
					case "All":
						walked := faulttest.Walk(c.Organizations.All(t.Context(), nil), walksName, 10)
						assert.Empty(t, walked.IDs)
						require.Len(t, walked.Errs, 1)
						err = walked.Errs[0]
					case "Get":
						_, _, err = c.Organizations.Get(t.Context(), 6)
					case "DefaultPlan":
						_, _, err = c.Organizations.DefaultPlan(t.Context(), 6)
					}
					faulttest.AssertForeign(t, fb, err, srv.Total())
				})
			}
		}
	}
}

func TestWalksDuplicateKeys(t *testing.T) {
	t.Parallel()
	org := walksOrg("Acme", 6)
	list := `{"providers":[` + org + `]}`
	info := `{"organizationInfo":{"organization":` + org + `,"organizationProperties":{"defaultPlans":[]}}}`
	inList := func(o string) string { return `{"providers":[` + walksOrg("First", 5) + `,` + o + `]}` }
	inOrg := func(s string) string { return `{"providers":[{"connectName":"Acme","shortName":` + s + `}]}` }
	inInfo := func(o string) string { return `{"organizationInfo":{"organization":` + o + `}}` }
	var cases []faulttest.DuplicateCase
	for _, c := range [][]faulttest.DuplicateCase{
		faulttest.DuplicateCases("List", list, "providers", `[]`, nil),
		faulttest.DuplicateCases("List", org, "connectName", `"Someone Else"`, inList),
		faulttest.DuplicateCases("List", org, "shortName", `{"domainName":"other","id":7}`, inList),
		faulttest.DuplicateCases("List", `{"domainName":"acme","id":6}`, "id", `7`, inOrg),
		faulttest.DuplicateCases("List", list, "errorCode", `5`, func(l string) string { return strings.Replace(l, `{"providers"`, `{"errorCode":0,"providers"`, 1) }),
		faulttest.DuplicateCases("DefaultPlan", info, "organizationInfo", `{}`, nil),
		faulttest.DuplicateCases("DefaultPlan", org, "shortName", `{"domainName":"other","id":7}`, inInfo),
		faulttest.DuplicateCases("Login", `{"userName":"admin","token":"QSDK first"}`, "token", `"QSDK second"`, nil),
	} {
		cases = append(cases, c...)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.Body)
			})
			var err error
			switch {
			case strings.HasPrefix(tc.Name, "List/"):
				_, _, err = walksClient(t, srv).Organizations.List(t.Context(), nil)
			case strings.HasPrefix(tc.Name, "DefaultPlan/"):
				_, _, err = walksClient(t, srv).Organizations.DefaultPlan(t.Context(), 6)
			default:
				c, cerr := commvault.NewClient(srv.URL+root, commvault.WithCredentials("admin", "pw-secret"))
				require.NoError(t, cerr)
				_, _, err = c.Login(t.Context())
			}
			faulttest.AssertDuplicate(t, tc.Key, err, srv.Total())
		})
	}
}
