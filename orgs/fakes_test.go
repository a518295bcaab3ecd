package orgs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// Retry waits of milliseconds, so fault tests stay fast.
const waitMin, waitMax = time.Millisecond, 5 * time.Millisecond

// fake is one provider's fake server with a directory over it.
type fake struct {
	provider string
	// missing is an id in the provider's form that no organization has.
	missing string
	// open starts a fresh fake, closed when t ends, and returns its
	// directory and the server (see inject).
	open func(t *testing.T) (dir *orgs.Directory, srv fakeServer)
}

// fakeServer is what the tests use of every fake (their shared API).
type fakeServer interface {
	Hits() int
	HitsFor(method, path string) int
}

func fakes() []fake {
	return []fake{
		{provider: "readycloud", missing: "no-such-org", open: func(t *testing.T) (*orgs.Directory, fakeServer) {
			srv := readycloudtest.NewServer()
			t.Cleanup(srv.Close)
			c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithRetryWait(waitMin, waitMax))
			require.NoError(t, err)
			return orgs.ReadyCloud(c), rcServer{srv}
		}},
		{provider: "rservice", missing: "999999", open: func(t *testing.T) (*orgs.Directory, fakeServer) {
			srv := rservicetest.NewServer()
			t.Cleanup(srv.Close)
			c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL), rservice.WithAccount(srv.Account), rservice.WithRetryWait(waitMin, waitMax))
			require.NoError(t, err)
			return orgs.RService(c), rsServer{srv}
		}},
		{provider: "commvault", missing: "999", open: func(t *testing.T) (*orgs.Directory, fakeServer) {
			srv := commvaulttest.NewServer()
			t.Cleanup(srv.Close)
			c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password), commvault.WithRetryWait(waitMin, waitMax))
			require.NoError(t, err)
			return orgs.Commvault(c), cvServer{srv}
		}},
		{provider: "jsonapi", missing: "00000000-0000-0000-0000-000000000000", open: func(t *testing.T) (*orgs.Directory, fakeServer) {
			srv := jsonapitest.NewServer()
			t.Cleanup(srv.Close)
			c, err := jsonapi.NewClient(srv.Token, jsonapi.WithBaseURL(srv.URL), jsonapi.WithRetryWait(waitMin, waitMax))
			require.NoError(t, err)
			return orgs.JSONAPI(c), jaServer{srv}
		}},
	}
}

// The four fakes share Hits and HitsFor; InjectFault takes each one's own
// Fault type, so each wrapper adds inject.
type (
	rcServer struct{ *readycloudtest.Server }
	rsServer struct{ *rservicetest.Server }
	cvServer struct{ *commvaulttest.Server }
	jaServer struct{ *jsonapitest.Server }
)

func (s rcServer) inject(status, count int, method string) {
	s.InjectFault(readycloudtest.Fault{Status: status, Count: count, Method: method})
}
func (s rsServer) inject(status, count int, method string) {
	s.InjectFault(rservicetest.Fault{Status: status, Count: count, Method: method})
}
func (s cvServer) inject(status, count int, method string) {
	s.InjectFault(commvaulttest.Fault{Status: status, Count: count, Method: method})
}
func (s jaServer) inject(status, count int, method string) {
	s.InjectFault(jsonapitest.Fault{Status: status, Count: count, Method: method})
}

// inject queues a fault on srv, one of the wrappers above.
func inject(srv fakeServer, status, count int, method string) {
	srv.(interface{ inject(int, int, string) }).inject(status, count, method)
}
