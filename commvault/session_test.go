package commvault_test

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/internal/faulttest"
)

func newClient(t *testing.T, srv *commvaulttest.Server, opts ...commvault.Option) *commvault.Client {
	t.Helper()
	base := []commvault.Option{
		commvault.WithCredentials(srv.Username, srv.Password),
		commvault.WithRetryWait(time.Millisecond, 20*time.Millisecond),
	}
	c, err := commvault.NewClient(srv.URL, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func bothFormats(t *testing.T, fn func(t *testing.T, f commvault.Format)) {
	t.Helper()
	for _, f := range []commvault.Format{commvault.JSON, commvault.XML} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			fn(t, f)
		})
	}
}

func TestConcurrentFirstCallsLogInOnce(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		const n = 32
		var wg sync.WaitGroup
		errs := make(chan error, n)
		start := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				orgs, _, err := c.Organizations.List(context.Background(), nil)
				if err == nil && len(orgs.Items) != 3 {
					err = errors.New("wrong organization count")
				}
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Equal(t, 1, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Login"))
		assert.Equal(t, 1, srv.Logins())
		assert.Equal(t, n, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"))
	})
}

func TestExplicitLogin(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		info, resp, err := c.Login(context.Background())
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, "admin", info.UserName)
		assert.Equal(t, commvault.Int(4328650366975), info.Capability)
		require.NotNil(t, info.OwnerOrganization)
		assert.Equal(t, "Qinetix Commcell", info.OwnerOrganization.ProviderDomainName)
		_, _, err = c.Organizations.Get(context.Background(), 6)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.Logins(), "the call reuses the explicit login")
	})
}

func TestExpiredTokenIsRenewedAndReplayedOnce(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		_, _, err := c.Organizations.Get(ctx, 6)
		require.NoError(t, err)

		srv.ExpireTokens()
		org, _, err := c.Organizations.Get(ctx, 6)
		require.NoError(t, err)
		assert.Equal(t, "company001", org.Organization.Name)
		assert.Equal(t, 1, srv.Renewals())
		assert.Equal(t, 1, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"RenewLoginToken"))
		assert.Equal(t, 1, srv.Logins(), "renewal, not a second login")
		assert.Equal(t, 3, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization/6"), "one 401, one replay")
	})
}

func TestExpiryUnderConcurrencyRenewsOnce(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, _, err := c.Login(ctx)
	require.NoError(t, err)
	srv.ExpireTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := c.Organizations.DefaultPlan(ctx, 6)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Renewals())
	assert.Equal(t, 1, srv.Logins())
}

func TestFailedRenewalFallsBackToLogin(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, _, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	srv.ExpireTokens()
	srv.InjectFault(commvaulttest.Fault{Status: http.StatusInternalServerError, PathContains: "RenewLoginToken"})
	_, _, err = c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"RenewLoginToken"), "a POST is not retried")
	assert.Equal(t, 0, srv.Renewals())
	assert.Equal(t, 2, srv.Logins())
}

func TestRenewalNeverLoops(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	// Every token is already idle too long when it is used.
	srv.SetIdleTimeout(-time.Hour)
	c := newClient(t, srv)
	_, _, err := c.Organizations.List(context.Background(), nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, commvault.ErrUnauthorized)
	assert.Equal(t, 2, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"), "the request is replayed once, never more")
	assert.Equal(t, 1, srv.Renewals())
	assert.Equal(t, 1, srv.Logins())
}

func TestTokenOnlyClient(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	// The bare token, without "QSDK ", gets the prefix added.
	bare := strings.TrimPrefix(srv.Token, "QSDK ")
	c, err := commvault.NewClient(srv.URL, commvault.WithToken(bare),
		commvault.WithRetryWait(time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	orgs, _, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, orgs.Items, 3)
	assert.Equal(t, 3, orgs.Total)
	assert.Equal(t, 0, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Login"))

	_, _, err = c.Login(ctx)
	assert.ErrorIs(t, err, commvault.ErrInvalidArgument)

	srv.ExpireTokens()
	_, _, err = c.Organizations.List(ctx, nil)
	assert.ErrorIs(t, err, commvault.ErrUnauthorized, "nothing to renew with: the 401 is returned")
	assert.Equal(t, 0, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"RenewLoginToken"))
	assert.Equal(t, 2, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"))
}

func TestTokenWithCredentialsLogsInWhenTokenExpires(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, commvault.WithToken(srv.Token))
	srv.ExpireTokens()
	_, _, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Logins())
	assert.Equal(t, 0, srv.HitsFor(http.MethodPost, commvaulttest.Prefix+"RenewLoginToken"), "a foreign token's deviceId is unknown")
}

func TestLogout(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		c := newClient(t, srv, commvault.WithFormat(f))
		ctx := context.Background()
		resp, err := c.Logout(ctx)
		require.NoError(t, err)
		assert.Nil(t, resp, "no session: nothing sent")
		assert.Equal(t, 0, srv.Hits())

		_, _, err = c.Login(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, srv.Sessions())
		resp, err = c.Logout(ctx)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, 1, srv.Sessions(), "the session is gone on the server")

		_, _, err = c.Organizations.List(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Logins(), "the next call logs in again")
	})
}

func TestLogoutTokenOnly(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	require.NoError(t, err)
	_, err = c.Logout(context.Background())
	require.NoError(t, err)
	_, _, err = c.Organizations.List(context.Background(), nil)
	assert.ErrorIs(t, err, commvault.ErrNoSession)
	assert.Equal(t, 1, srv.Hits())
}

func TestFailedLogin(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		logs := &faulttest.LogBuffer{}
		const password = "wrong-Secret-42"
		c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, password),
			commvault.WithFormat(f), commvault.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		require.NoError(t, err)
		_, _, err = c.Organizations.List(context.Background(), nil)
		var apiErr *commvault.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode, "errorCode 5 inside 200 is a 401")
		assert.ErrorIs(t, err, commvault.ErrUnauthorized)
		assert.Equal(t, "5", apiErr.Code)
		assert.Contains(t, err.Error(), "login failed: Invalid Username or Password")
		assert.Equal(t, 0, srv.HitsFor(http.MethodGet, commvaulttest.Prefix+"Organization"))
		for _, secret := range []string{password, base64.StdEncoding.EncodeToString([]byte(password))} {
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, string(apiErr.Body), secret)
			assert.NotContains(t, logs.String(), secret)
		}
	})
}

func TestLockedAccount(t *testing.T) {
	t.Parallel()
	bothFormats(t, func(t *testing.T, f commvault.Format) {
		srv := commvaulttest.NewServer()
		defer srv.Close()
		srv.LockAccount(90 * time.Second)
		c := newClient(t, srv, commvault.WithFormat(f))
		_, _, err := c.Login(context.Background())
		var apiErr *commvault.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 90*time.Second, apiErr.RetryAfter)
		assert.Contains(t, err.Error(), "User account is locked")
		assert.Contains(t, err.Error(), "the account is locked for another 1m30s")
	})
}

func TestNoSecretInLogsOrErrors(t *testing.T) {
	t.Parallel()
	srv := commvaulttest.NewServer()
	defer srv.Close()
	logs := &faulttest.LogBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, commvault.WithLogger(logger), commvault.WithMaxRetries(1))
	ctx := context.Background()

	var errs []string
	_, _, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	srv.ExpireTokens()
	srv.InjectFault(commvaulttest.Fault{Status: http.StatusBadGateway, PathContains: "RenewLoginToken",
		Body: `{"token":"` + srv.Token + `","errorMessage":"proxy echoed ` + srv.Token + `","errorCode":9}`})
	_, _, err = c.Organizations.Get(ctx, 16)
	require.NoError(t, err)
	// Errors that quote the request: a 503 with retries, an error inside 200.
	srv.InjectFault(commvaulttest.Fault{Status: http.StatusServiceUnavailable, Count: 2})
	_, _, err = c.Organizations.Get(ctx, 6)
	require.Error(t, err)
	errs = append(errs, err.Error())
	_, _, err = c.Organizations.Get(ctx, 404)
	require.Error(t, err)
	errs = append(errs, err.Error())
	srv.SetIdleTimeout(-time.Hour)
	_, _, err = c.Organizations.List(ctx, nil)
	require.Error(t, err)
	errs = append(errs, err.Error())
	_, err = c.Logout(ctx)
	require.NoError(t, err)

	out := logs.String()
	require.Contains(t, out, "orgsdk: http attempt", "debug logging is on")
	require.Contains(t, out, "commvault: logged in")
	secrets := []string{srv.Password, base64.StdEncoding.EncodeToString([]byte(srv.Password)), srv.Token,
		strings.TrimPrefix(srv.Token, "QSDK ")}
	for _, s := range secrets {
		assert.NotContains(t, out, s)
		for _, e := range errs {
			assert.NotContains(t, e, s)
		}
	}
	assert.NotRegexp(t, `QSDK [0-9a-f]{8}`, out, "no token of any login reaches the log")
	for _, e := range errs {
		assert.NotRegexp(t, `QSDK [0-9a-f]{8}`, e)
	}
}
