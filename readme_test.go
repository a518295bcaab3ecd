// Package orgsdk_test holds the README's code: every ```go block of
// README.md is one of the declarations below, verbatim
// (TestREADMECodeBlocksCompile checks that), and the Example functions run
// them against the fake servers.
package orgsdk_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func readyCloudQuickstart(ctx context.Context, token string, opts ...readycloud.Option) error {
	c, err := readycloud.NewClient(token, opts...)
	if err != nil {
		return err
	}
	// All walks every page lazily; breaking out fetches nothing more.
	n := 0
	for org, err := range c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: 50}) {
		if err != nil {
			return err
		}
		fmt.Println(org.ID, org.Name, org.PaymentPlan.Price)
		if n++; n == 2 {
			break
		}
	}
	org, _, err := c.Organizations.Get(ctx, "1")
	if err != nil {
		return err
	}
	org, _, err = c.Organizations.Update(ctx, org.ID, &readycloud.OrganizationInput{Name: "Renamed Company"})
	if err != nil {
		return err
	}
	fmt.Println("renamed to", org.Name)

	_, _, err = c.Organizations.Get(ctx, "no-such-org")
	var apiErr *readycloud.APIError
	if errors.Is(err, readycloud.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}
	return nil
}

func rserviceAddresses(ctx context.Context, c *rservice.Client, orgID int64) error {
	// An organization's addresses and contacts are managed through its
	// sub-collections: add a street address, then walk them all.
	added, _, err := c.Organizations.CreateAddress(ctx, orgID, &rservice.AddressInput{
		Label:   rservice.Set(rservice.LabelStreet), // required
		Address: rservice.Set("1 Main St"),
		City:    rservice.Set("Albany"),
		State:   rservice.Set("NY"),
		Zip:     rservice.Set("12201"),
		Country: rservice.Set("US"),
	})
	if err != nil {
		return err
	}
	fmt.Println("added", added.Label, added.Address, added.City)
	for a, err := range c.Organizations.AllAddresses(ctx, orgID, nil) {
		if err != nil {
			return err
		}
		fmt.Println(a.ID, a.Label, a.Address)
	}
	// The children of an organization, the enabled ones only.
	for child, err := range c.Organizations.AllChildren(ctx, 6, &rservice.ListOptions{View: rservice.Enabled, PerPage: 2}) {
		if err != nil {
			return err
		}
		if child.ID < 100 {
			fmt.Println("child", child.Name)
		}
	}
	return nil
}

func rserviceQuickstart(ctx context.Context, token, account string, opts ...rservice.Option) error {
	opts = append(opts, rservice.WithAccount(account))
	c, err := rservice.NewClient(token, opts...)
	if err != nil {
		return err
	}
	list := &rservice.ListOptions{
		View:    rservice.Enabled,
		Filters: []rservice.Filter{rservice.Eq("name", "Widget Data Center")},
		Sort:    []string{"name"},
	}
	for org, err := range c.Organizations.All(ctx, list) {
		if err != nil {
			return err
		}
		fmt.Println(org.ID, org.Name, org.Manager.Name)
	}
	created, _, err := c.Organizations.Create(ctx, &rservice.OrganizationInput{
		Name:            rservice.Set("Widget Logistics"),
		ParentID:        rservice.Set[int64](6),
		OrderTemplateID: rservice.Set[int64](30), // required on create
	})
	if err != nil {
		return err
	}
	// Leave out a field, set it, or clear it to null.
	updated, _, err := c.Organizations.Update(ctx, created.ID, &rservice.OrganizationInput{
		Remarks:  rservice.Set("Moved to the new warehouse"),
		ParentID: rservice.Null[int64](),
	})
	if err != nil {
		return err
	}
	fmt.Println(updated.Name, *updated.Remarks, updated.Parent == nil)

	_, _, err = c.Organizations.Create(ctx, &rservice.OrganizationInput{
		Name:            rservice.Set("Widget Logistics"),
		OrderTemplateID: rservice.Set[int64](30),
	})
	var apiErr *rservice.APIError
	if errors.Is(err, rservice.ErrValidation) && errors.As(err, &apiErr) {
		for _, d := range apiErr.Details {
			fmt.Println(d.Field, d.Message)
		}
	}
	return nil
}

func commvaultQuickstart(ctx context.Context, baseURL, user, password string) error {
	c, err := commvault.NewClient(baseURL,
		commvault.WithCredentials(user, password), // the SDK base64-encodes the password
		commvault.WithFormat(commvault.JSON),
	)
	if err != nil {
		return err
	}
	// The first call logs in; an expired token is renewed and the call replayed once.
	defer c.Logout(ctx)
	list, _, err := c.Organizations.List(ctx, nil)
	if err != nil {
		return err
	}
	for _, o := range list.Items {
		plans, _, err := c.Organizations.DefaultPlan(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, p := range plans.Plans {
			fmt.Println(o.ID, o.Name, p.Subtype, p.Plan.PlanName)
		}
	}
	// Commvault reports many errors inside HTTP 200; they are *APIError too.
	_, _, err = c.Organizations.Get(ctx, 999)
	var apiErr *commvault.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("error code", apiErr.Code)
	}
	return nil
}

func commvaultListsQuickstart(ctx context.Context, c *commvault.Client) error {
	opts := &commvault.ListOptions{
		Filters: []commvault.Filter{commvault.Contains(commvault.ColumnName, "company")},
		Sort:    "-" + commvault.ColumnName,
		PerPage: 1,
	}
	for o, err := range c.Organizations.All(ctx, opts) {
		if err != nil {
			return err
		}
		fmt.Println(o.ID, o.Name)
	}
	_, _, err := c.Organizations.Get(ctx, 999)
	var apiErr *commvault.APIError
	if errors.As(err, &apiErr) && errors.Is(err, commvault.ErrNotFound) {
		fmt.Println("not found:", apiErr.Code == commvault.CodeGenericFailure, apiErr.Message)
	}
	return nil
}

func jsonapiQuickstart(ctx context.Context, token string, opts ...jsonapi.Option) error {
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		return err
	}
	page, resp, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Sort: "name", PerPage: 2})
	if err != nil {
		return err
	}
	fmt.Println(len(page.Items), "of", page.Total, "next page:", resp.NextCursor != "")
	for org, err := range c.Organizations.All(ctx, &jsonapi.ListOptions{Sort: "-name", PerPage: 2}) {
		if err != nil {
			return err
		}
		fmt.Println(org.Name, org.DefaultCurrencyCode)
	}
	_, _, err = c.Organizations.Get(ctx, "00000000-0000-0000-0000-000000000000")
	if errors.Is(err, jsonapi.ErrNotFound) {
		fmt.Println("not found")
	}
	return nil
}

func portableQuickstart(ctx context.Context, readyCloud, mpdx orgs.Config) error {
	rc, err := orgs.Open(ctx, "readycloud", readyCloud)
	if err != nil {
		return err // a *orgs.ConfigError names what is missing
	}
	jsonAPI, err := orgs.Open(ctx, "jsonapi", mpdx)
	if err != nil {
		return err
	}
	dirs := []*orgs.Directory{rc, jsonAPI}
	// Both at once, two of each; an error is one provider's, the others go on.
	count := map[string]int{}
	for org, err := range orgs.AllOf(ctx, &orgs.AllOptions{ListOptions: orgs.ListOptions{Limit: 2}}, dirs...) {
		if err != nil {
			fmt.Println("skipped:", err)
			continue
		}
		count[org.Provider]++
	}
	fmt.Println("readycloud:", count["readycloud"], "jsonapi:", count["jsonapi"])

	for _, dir := range dirs {
		org, err := dir.Rename(ctx, "1", "Renamed Company")
		switch {
		case errors.Is(err, orgs.ErrUnsupported):
			fmt.Println(dir.Provider(), "cannot rename; Can said so:", !dir.Can(orgs.Rename))
		case err != nil:
			return err
		default:
			var own *readycloud.Organization // the provider's own value
			if org.As(&own) && own.PaymentPlan != nil {
				fmt.Println("renamed", org.ID, "to", org.Name, "at", own.PaymentPlan.Price)
			}
		}
		_, err = dir.Get(ctx, "no-such-org")
		var apiErr *orgsdk.APIError
		if errors.Is(err, orgs.ErrNotFound) && errors.As(err, &apiErr) {
			fmt.Println(dir.Provider(), "not found:", apiErr.StatusCode)
		}
	}
	return nil
}

func countFast(ctx context.Context, token, baseURL string) (int, error) {
	c, err := readycloud.NewClient(token,
		readycloud.WithBaseURL(baseURL),
		readycloud.WithPrefetch(8),                // up to 8 pages in flight (default 0)
		readycloud.WithRateLimit(20, time.Second), // and never faster than this
	)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, err := range c.Organizations.All(ctx, &readycloud.ListOptions{PerPage: 100}) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TestREADMECountFast runs the README's walk with pages in flight against
// the fake: it yields every organization the fake holds.
func TestREADMECountFast(t *testing.T) {
	fake := readycloudtest.NewServer()
	t.Cleanup(fake.Close)
	c, err := readycloud.NewClient(fake.Token, readycloud.WithBaseURL(fake.URL))
	require.NoError(t, err)
	list, _, err := c.Organizations.List(t.Context(), nil)
	require.NoError(t, err)
	n, err := countFast(t.Context(), fake.Token, fake.URL)
	require.NoError(t, err)
	assert.Equal(t, list.Total, n)
}

func tunedClient(token string) (*rservice.Client, error) {
	return rservice.NewClient(token,
		rservice.WithMaxRetries(6),                       // default 4
		rservice.WithRetryWait(time.Second, time.Minute), // default 500ms..30s
		rservice.WithHTTPClient(&http.Client{Timeout: 2 * time.Minute}),
	)
}

func waitForRateLimit(ctx context.Context, err error) error {
	var apiErr *rservice.APIError
	if errors.Is(err, rservice.ErrRateLimited) && errors.As(err, &apiErr) {
		// The server asked for a longer wait than WithRetryWait's max allows.
		select {
		case <-time.After(apiErr.RetryAfter):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func sharedQuota(token string) (reports, sync *rservice.Client, err error) {
	// R-Service allows about 20 requests in 2 seconds per user: 10 at once, then 5 a second,
	// never more than 20 in any 2 seconds, for both clients together.
	quota := rate.NewLimiter(5, 10)
	reports, err = rservice.NewClient(token, rservice.WithLimiter(quota))
	if err != nil {
		return nil, nil, err
	}
	sync, err = rservice.NewClient(token, rservice.WithLimiter(quota), rservice.WithSource("nightly-sync"))
	return reports, sync, err
}

// allowLimiter turns a limiter that answers "allowed, or retry after" into an orgsdk.Limiter.
// With github.com/go-redis/redis_rate/v10:
//
//	lim := redis_rate.NewLimiter(rdb)
//	quota := allowLimiter(func(ctx context.Context) (bool, time.Duration, error) {
//		res, err := lim.Allow(ctx, "orgsdk:rservice", redis_rate.PerSecond(10))
//		if err != nil {
//			return false, 0, err
//		}
//		return res.Allowed > 0, res.RetryAfter, nil
//	})
func allowLimiter(allow func(ctx context.Context) (ok bool, retryAfter time.Duration, err error)) orgsdk.Limiter {
	return orgsdk.LimiterFunc(func(ctx context.Context) error {
		for {
			ok, retryAfter, err := allow(ctx)
			if err != nil || ok {
				return err
			}
			t := time.NewTimer(max(retryAfter, time.Millisecond))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	})
}

func debugLoggingClient(token string) (*jsonapi.Client, error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// Debug: one line per attempt (method, host, path, status, attempt, duration).
	// Warn: one line per retry (reason, wait). Never a token or password.
	return jsonapi.NewClient(token, jsonapi.WithLogger(logger))
}

// countOrgs is the code under test in the next block.
func countOrgs(ctx context.Context, c *readycloud.Client) (int, error) {
	n := 0
	for _, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func TestCountOrgs(t *testing.T) {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	c, err := readycloud.NewClient(srv.Token,
		readycloud.WithBaseURL(srv.URL),
		readycloud.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)

	n, err := countOrgs(t.Context(), c)
	require.NoError(t, err)
	assert.Equal(t, 25, n)

	// A 503 on the next two requests: GETs are retried, so the count still works.
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 2})
	n, err = countOrgs(t.Context(), c)
	require.NoError(t, err)
	assert.Equal(t, 25, n)
}

func TestCountOrgsSeeded(t *testing.T) {
	srv := readycloudtest.NewServer(readycloudtest.WithoutSeed())
	defer srv.Close()
	id := srv.Add(readycloudtest.Organization{Name: "Only One"})
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL))
	require.NoError(t, err)

	n, err := countOrgs(t.Context(), c)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	org, _, err := c.Organizations.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, id, org.ID)
	assert.Equal(t, 1, srv.HitsFor(http.MethodGet, readycloudtest.Prefix+"orgs/"+id+"/"))
}

func Example_readmeReadyCloud() {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	if err := readyCloudQuickstart(context.Background(), srv.Token, readycloud.WithBaseURL(srv.URL)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 Test Company 0.00 USD
	// 2 Acme Outfitters 49.99 USD
	// renamed to Renamed Company
	// 404 Not found.
}

func Example_readmeRService() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	if err := rserviceQuickstart(context.Background(), srv.Token, srv.Account, rservice.WithBaseURL(srv.URL)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 6 Widget Data Center Howard Tanner
	// Widget Logistics Moved to the new warehouse true
	// name Name has already been taken
}

func Example_readmeRServiceAddresses() {
	srv := rservicetest.NewServer()
	defer srv.Close()
	c, err := rservice.NewClient(srv.Token, rservice.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rserviceAddresses(context.Background(), c, 50); err != nil {
		fmt.Println(err)
	}
	// Output:
	// added street 1 Main St Albany
	// 71 street 1172 Park Avenue
	// 5000 street 1 Main St
	// child Widget Data Center, External IT
}

func commvaultLifecycle(ctx context.Context, c *commvault.Client) error {
	created, _, err := c.Organizations.Create(ctx, &commvault.OrganizationInput{
		Name: "Globex", Alias: "globex", EmailDomains: []string{"globex.example"},
		PrimaryContacts: []commvault.Contact{{FullName: "Hank Scorpio", Email: "hank@globex.example"}},
		Plans:           []commvault.PlanRef{{PlanName: "Server plan"}},
	})
	if errors.Is(err, commvault.ErrConflict) {
		return fmt.Errorf("the name or alias is taken: %w", err)
	} else if err != nil {
		return err
	}
	fmt.Println("created", created.ID, created.Alias)
	// Plans change by an explicit operation: add, remove or replace.
	_, err = c.Organizations.Update(ctx, created.ID, &commvault.OrganizationUpdate{
		NewName: "Globex Corporation",
		Plans:   commvault.AddPlans(commvault.PlanRef{PlanName: "Laptop plan"}),
	})
	if err != nil {
		return err
	}
	if _, err := c.Organizations.SetTags(ctx, created.ID, []commvault.Tag{{Name: "tier", Value: "gold"}}); err != nil {
		return err
	}
	// The server deletes only a deactivated company, and Delete does not
	// deactivate on its own: deleting an active one is ErrConflict.
	if _, err := c.Organizations.Delete(ctx, created.ID); errors.Is(err, commvault.ErrConflict) {
		fmt.Println("still active: deactivate first")
	}
	if _, err := c.Organizations.Deactivate(ctx, created.ID, nil); err != nil { // nil: backup, restore and login
		return err
	}
	if _, err := c.Organizations.Delete(ctx, created.ID); err != nil {
		return err
	}
	_, _, err = c.Organizations.Tags(ctx, created.ID)
	fmt.Println("gone:", errors.Is(err, commvault.ErrNotFound))
	return nil
}

func Example_readmeCommvault() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	if err := commvaultQuickstart(context.Background(), srv.URL, srv.Username, srv.Password); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 6 company001 Server Server plan
	// 16 test Company Laptop Laptop plan
	// error code 2
}

func Example_readmeCommvaultLists() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c, err := commvault.NewClient(srv.URL, commvault.WithToken(srv.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := commvaultListsQuickstart(context.Background(), c); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 16 test Company
	// 6 company001
	// not found: true Organization [999] does not exist
}

func Example_readmeCommvaultLifecycle() {
	srv := commvaulttest.NewServer()
	defer srv.Close()
	c, err := commvault.NewClient(srv.URL, commvault.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := commvaultLifecycle(context.Background(), c); err != nil {
		fmt.Println(err)
	}
	// Output:
	// created 1 globex
	// still active: deactivate first
	// gone: true
}

func Example_readmeJSONAPI() {
	srv := jsonapitest.NewServer()
	defer srv.Close()
	if err := jsonapiQuickstart(context.Background(), srv.Token, jsonapi.WithBaseURL(srv.URL)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2 of 5 next page: true
	// Power to Change CAD
	// Organization446 USD
	// Organization442 USD
	// Cru USD
	// Agape UK GBP
	// not found
}

func Example_readmePortable() {
	rc, ja := readycloudtest.NewServer(), jsonapitest.NewServer()
	defer rc.Close()
	defer ja.Close()
	err := portableQuickstart(context.Background(),
		orgs.Config{Token: rc.Token, BaseURL: rc.URL},
		orgs.Config{Token: ja.Token, BaseURL: ja.URL})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// readycloud: 2 jsonapi: 2
	// renamed 1 to Renamed Company at 0.00 USD
	// readycloud not found: 404
	// jsonapi cannot rename; Can said so: true
	// jsonapi not found: 404
}

// TestREADMEPortableConfigErrors runs the README's portable quickstart
// with a configuration that misses a value: Open's error names it.
func TestREADMEPortableConfigErrors(t *testing.T) {
	err := portableQuickstart(t.Context(), orgs.Config{BaseURL: "https://rc.example/api/v2/"}, orgs.Config{})
	var ce *orgs.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "BaseURL is set but Token missing", ce.Problem)
}

// TestREADMESetUpListsTheEnvironment holds the README's table of live
// variables to what orgs.FromEnv reads.
func TestREADMESetUpListsTheEnvironment(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, p := range orgs.Providers() {
		env, err := orgs.Environment(p)
		require.NoError(t, err)
		line := regexp.MustCompile("(?m)^\\| " + p + " \\|.*$").FindString(string(readme))
		require.NotEmpty(t, line, "README's Set up table has a row for %s", p)
		for _, v := range env.Vars {
			assert.Contains(t, line, "`"+v.Name+"`", "README's row of %s", p)
		}
	}
}

func TestREADMEHelpersBuildClients(t *testing.T) {
	_, err := tunedClient("token")
	require.NoError(t, err)
	reports, sync, err := sharedQuota("token")
	require.NoError(t, err)
	require.NotNil(t, reports)
	require.NotNil(t, sync)
	_, err = debugLoggingClient("token")
	require.NoError(t, err)
	require.NoError(t, waitForRateLimit(t.Context(), &rservice.APIError{StatusCode: 429, RetryAfter: time.Millisecond}))
	other := errors.New("other")
	require.ErrorIs(t, waitForRateLimit(t.Context(), other), other)
}

// TestREADMEAllowLimiter runs the README's adapter for "allowed, or retry
// after" limiters: it waits as told, returns the limiter's error, and ends
// with the context.
func TestREADMEAllowLimiter(t *testing.T) {
	t.Parallel()
	denials := 2
	quota := allowLimiter(func(context.Context) (bool, time.Duration, error) {
		if denials > 0 {
			denials--
			return false, 5 * time.Millisecond, nil
		}
		return true, -1, nil
	})
	require.NoError(t, quota.Wait(t.Context()))
	assert.Equal(t, 0, denials)

	down := errors.New("redis: connection refused")
	require.ErrorIs(t, allowLimiter(func(context.Context) (bool, time.Duration, error) { return false, 0, down }).Wait(t.Context()), down)

	never := allowLimiter(func(context.Context) (bool, time.Duration, error) { return false, time.Hour, nil })
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, never.Wait(ctx), context.DeadlineExceeded)

	srv := readycloudtest.NewServer()
	defer srv.Close()
	calls := 0
	c, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithLimiter(allowLimiter(func(context.Context) (bool, time.Duration, error) {
		calls++
		return true, -1, nil
	})))
	require.NoError(t, err)
	_, _, err = c.Organizations.Get(t.Context(), "1")
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestREADMECodeBlocksCompile checks that every Go block of README.md is a
// declaration of this file, so the README's code compiles and runs.
func TestREADMECodeBlocksCompile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("readme_test.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "readme_test.go", src, parser.ParseComments)
	require.NoError(t, err)
	decls := map[string]bool{}
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		start := fset.Position(fd.Pos()).Offset
		if fd.Doc != nil {
			start = fset.Position(fd.Doc.Pos()).Offset
		}
		decls[strings.TrimSpace(string(src[start:fset.Position(fd.End()).Offset]))] = true
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	require.NotEmpty(t, blocks)
	for _, b := range blocks {
		code := strings.TrimSpace(string(b[1]))
		assert.True(t, decls[code], "README block is not a declaration of readme_test.go:\n%s", code)
	}
}
