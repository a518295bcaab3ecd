package orgs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/orgs"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// liveEnv starts the four fakes and returns the environment that points
// FromEnv at them, and every secret in it.
func liveEnv(t *testing.T) (map[string]string, map[string]string, *commvaulttest.Server) {
	t.Helper()
	rc := readycloudtest.NewServer()
	rs := rservicetest.NewServer()
	cv := commvaulttest.NewServer()
	ja := jsonapitest.NewServer()
	t.Cleanup(func() { rc.Close(); rs.Close(); cv.Close(); ja.Close() })
	env := map[string]string{
		"READYCLOUD_TOKEN": rc.Token, "READYCLOUD_BASE_URL": rc.URL,
		"RSERVICE_TOKEN": rs.Token, "RSERVICE_ACCOUNT": rs.Account, "RSERVICE_BASE_URL": rs.URL,
		"COMMVAULT_BASE_URL": cv.URL, "COMMVAULT_USERNAME": cv.Username, "COMMVAULT_PASSWORD": cv.Password,
		"MPDX_TOKEN": ja.Token, "MPDX_BASE_URL": ja.URL,
	}
	return env, map[string]string{"readycloud": rc.Token, "rservice": rs.Token, "commvault": cv.Password, "jsonapi": ja.Token}, cv
}

// TestFromEnvThenOpen reads each provider's configuration from the
// environment, opens it, and lists, with a logger and errors audited for
// every secret.
func TestFromEnvThenOpen(t *testing.T) {
	t.Parallel()
	env, own, cv := liveEnv(t)
	var secrets []string
	for _, s := range own {
		secrets = append(secrets, s)
	}
	trail := &faulttest.Trail{}
	for _, p := range orgs.Providers() {
		cfg, err := orgs.FromEnvFunc(p, func(k string) string { return env[k] })
		require.NoError(t, err, p)
		trail.Text(p+" Config.String", cfg.String())
		trail.Text(p+" Config %#v", fmt.Sprintf("%#v", cfg))
		trail.Text(p+" Config %+v", fmt.Sprintf("%+v", cfg))
		cfg.Logger = trail.Logger()
		dir, err := orgs.Open(t.Context(), p, cfg)
		require.NoError(t, err, p)
		n := 0
		for org, err := range dir.All(t.Context(), &orgs.ListOptions{Limit: 2}) {
			require.NoError(t, err, p)
			assert.Equal(t, p, org.Provider)
			n++
		}
		assert.Equal(t, 2, n, p)
		_, err = dir.Get(t.Context(), "missing")
		trail.Call(nil, err)
		_, err = dir.Rename(t.Context(), "missing", "x")
		trail.Call(nil, err)
		// Each client knows its own secrets.
		trail.Text(p+" Redact", dir.Redact("before "+own[p]+" after"))
		require.NoError(t, dir.Close(t.Context()), p)
	}
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "cfg", orgs.Config{Token: own["readycloud"], Password: own["commvault"]})
	trail.Text("slog of a Config", buf.String())
	assert.Contains(t, buf.String(), "Token:<set>")
	trail.Audit(t, secrets...)
	assert.Equal(t, 1, cv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Logout"), "Close ends the session Open logged in to")
}

// TestCommvaultCloseKeepsAGivenToken: a token given to Open is the
// caller's session; Close does not end it.
func TestCommvaultCloseKeepsAGivenToken(t *testing.T) {
	t.Parallel()
	cv := commvaulttest.NewServer()
	t.Cleanup(cv.Close)
	login, err := orgs.Open(t.Context(), "commvault", orgs.Config{BaseURL: cv.URL, Username: cv.Username, Password: cv.Password})
	require.NoError(t, err)
	_, err = login.Get(t.Context(), "6")
	require.NoError(t, err)
	require.NoError(t, login.Close(t.Context()))
	logouts := cv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Logout")
	assert.Equal(t, 1, logouts)

	require.NotEmpty(t, cv.Token, "the fake pre-issues a token")
	dir, err := orgs.Open(t.Context(), "commvault", orgs.Config{BaseURL: cv.URL, Token: cv.Token})
	require.NoError(t, err)
	_, err = dir.Get(t.Context(), "6")
	require.NoError(t, err)
	require.NoError(t, dir.Close(t.Context()))
	assert.Equal(t, logouts, cv.HitsFor(http.MethodPost, commvaulttest.Prefix+"Logout"), "no logout of a given token")
}

// TestFromEnvNamesWhatIsMissing: the partial configurations examples/orgs
// has always refused, with the same words.
func TestFromEnvNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		env      map[string]string
		problem  string
	}{
		{"nothing set", "rservice", nil, "none of RSERVICE_TOKEN, RSERVICE_ACCOUNT, RSERVICE_BASE_URL is set"},
		{"token without account", "rservice", map[string]string{"RSERVICE_TOKEN": "t"}, "RSERVICE_TOKEN is set but RSERVICE_ACCOUNT missing"},
		{"account without token", "rservice", map[string]string{"RSERVICE_ACCOUNT": "a"}, "RSERVICE_ACCOUNT is set but RSERVICE_TOKEN missing"},
		{"base URL alone", "rservice", map[string]string{"RSERVICE_BASE_URL": "https://x/v1/"}, "RSERVICE_BASE_URL is set but RSERVICE_TOKEN; and RSERVICE_ACCOUNT missing"},
		{"readycloud base URL without token", "readycloud", map[string]string{"READYCLOUD_BASE_URL": "https://x/"}, "READYCLOUD_BASE_URL is set but READYCLOUD_TOKEN missing"},
		{"mpdx base URL without token", "jsonapi", map[string]string{"MPDX_BASE_URL": "https://x/"}, "MPDX_BASE_URL is set but MPDX_TOKEN missing"},
		{"commvault credentials without base URL", "commvault", map[string]string{"COMMVAULT_USERNAME": "u", "COMMVAULT_PASSWORD": "p"},
			"COMMVAULT_USERNAME and COMMVAULT_PASSWORD are set but COMMVAULT_BASE_URL missing"},
		{"commvault base URL without credentials", "commvault", map[string]string{"COMMVAULT_BASE_URL": "https://x/"},
			"COMMVAULT_BASE_URL is set but COMMVAULT_USERNAME and COMMVAULT_PASSWORD, or COMMVAULT_TOKEN missing"},
		{"commvault username without password", "commvault", map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_USERNAME": "u", "COMMVAULT_TOKEN": "t"},
			"COMMVAULT_USERNAME is set but COMMVAULT_PASSWORD is not"},
		{"commvault domain without username", "commvault", map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_TOKEN": "t", "COMMVAULT_DOMAIN": "corp"},
			"COMMVAULT_DOMAIN is set but COMMVAULT_USERNAME is not (a domain is for a login)"},
		{"values never in the message", "commvault", map[string]string{"COMMVAULT_PASSWORD": "hunter2-secret"},
			"COMMVAULT_PASSWORD is set but COMMVAULT_USERNAME is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := orgs.FromEnvFunc(tt.provider, func(k string) string { return tt.env[k] })
			assert.Equal(t, orgs.Config{}, cfg)
			var ce *orgs.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.provider, ce.Provider)
			assert.Equal(t, tt.problem, ce.Problem)
			assert.Equal(t, "orgsdk: "+tt.provider+": configuration: "+tt.problem, err.Error())
			assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
			assert.Equal(t, tt.env == nil, isNotConfigured(err), "ErrNotConfigured only when nothing is set")
			for _, v := range tt.env {
				if len(v) > 3 {
					assert.NotContains(t, err.Error(), v)
				}
			}
		})
	}
}

func isNotConfigured(err error) bool { return errors.Is(err, orgs.ErrNotConfigured) }

func TestFromEnvComplete(t *testing.T) {
	tests := []struct {
		provider string
		env      map[string]string
		want     orgs.Config
	}{
		{"readycloud", map[string]string{"READYCLOUD_TOKEN": "t"}, orgs.Config{Token: "t"}},
		{"rservice", map[string]string{"RSERVICE_TOKEN": "t", "RSERVICE_ACCOUNT": "a", "RSERVICE_BASE_URL": "https://x/v1/"},
			orgs.Config{Token: "t", Account: "a", BaseURL: "https://x/v1/"}},
		{"commvault", map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_USERNAME": "u", "COMMVAULT_PASSWORD": "p", "COMMVAULT_DOMAIN": "d"},
			orgs.Config{BaseURL: "https://x/", Username: "u", Password: "p", Domain: "d"}},
		{"commvault", map[string]string{"COMMVAULT_BASE_URL": "https://x/", "COMMVAULT_TOKEN": "t"}, orgs.Config{BaseURL: "https://x/", Token: "t"}},
		{"jsonapi", map[string]string{"MPDX_TOKEN": "t", "READYCLOUD_TOKEN": "other"}, orgs.Config{Token: "t"}},
	}
	for _, tt := range tests {
		cfg, err := orgs.FromEnvFunc(tt.provider, func(k string) string { return tt.env[k] })
		require.NoError(t, err)
		assert.Equal(t, tt.want, cfg)
	}
	t.Setenv("MPDX_TOKEN", "from-the-process")
	cfg, err := orgs.FromEnv("jsonapi")
	require.NoError(t, err)
	assert.Equal(t, "from-the-process", cfg.Token)
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		cfg      orgs.Config
		want     string
	}{
		{"unknown provider", "github", orgs.Config{Token: "t"}, `orgsdk: invalid argument: unknown provider "github" (want readycloud, rservice, commvault, jsonapi)`},
		{"nothing", "readycloud", orgs.Config{}, "orgsdk: readycloud: configuration: none of Token, BaseURL is set"},
		{"missing account", "rservice", orgs.Config{Token: "t"}, "orgsdk: rservice: configuration: Token is set but Account missing"},
		{"a field the provider does not use", "readycloud", orgs.Config{Token: "t", Account: "a"},
			"orgsdk: readycloud: configuration: Account is set but readycloud does not use it (it uses Token and BaseURL)"},
		{"password without username", "commvault", orgs.Config{BaseURL: "https://x/", Password: "pw-value"},
			"orgsdk: commvault: configuration: Password is set but Username is not"},
		{"credentials in the base URL", "readycloud", orgs.Config{Token: "t", BaseURL: "https://user:pw-value@x.example/api/v2/"},
			"orgsdk: readycloud: invalid argument: base URL must not carry credentials"},
		{"a token in the base URL's query", "jsonapi", orgs.Config{Token: "t", BaseURL: "https://x.example/api/v2/?access_token=pw-value"},
			"must not have a query or fragment"},
		{"a bad token", "jsonapi", orgs.Config{Token: "t\nx"}, "orgsdk: jsonapi: invalid argument:"},
		{"negative pages in flight", "readycloud", orgs.Config{Token: "t", Prefetch: -1}, "orgsdk: readycloud: invalid argument: WithPrefetch"},
		{"negative pages in flight, commvault", "commvault", orgs.Config{BaseURL: "https://x/", Token: "QSDK t", Prefetch: -2}, "orgsdk: commvault: invalid argument: WithPrefetch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, err := orgs.Open(t.Context(), tt.provider, tt.cfg)
			assert.Nil(t, dir)
			require.ErrorIs(t, err, orgs.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "pw-value")
		})
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := orgs.Open(ctx, "readycloud", orgs.Config{Token: "t"})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = orgs.FromEnvFunc("readycloud", nil)
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
	_, err = orgs.FromEnvFunc("github", func(string) string { return "" })
	assert.ErrorIs(t, err, orgs.ErrInvalidArgument)
}

func TestConfigStringHidesCredentials(t *testing.T) {
	t.Parallel()
	cfg := orgs.Config{BaseURL: "https://x/", Token: "tok-secret", Username: "admin", Password: "pw-secret", HTTPClient: http.DefaultClient}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprint(&cfg)} {
		assert.NotContains(t, s, "secret")
		assert.Contains(t, s, "Token:<set>")
		assert.Contains(t, s, `Username:"admin"`)
	}
	assert.Equal(t, "orgs.Config{}", orgs.Config{}.String())
	assert.Equal(t, `orgs.Config{Token:<set> Prefetch:4}`, orgs.Config{Token: "t", Prefetch: 4}.String())
}

// TestConfigPrefetchReachesTheWalk: Config.Prefetch is the provider's
// WithPrefetch: a walk of every provider's fake in pages of one, at 4
// pages in flight, yields what the walk without it yields, in order.
func TestConfigPrefetchReachesTheWalk(t *testing.T) {
	t.Parallel()
	env, _, _ := liveEnv(t)
	walk := func(p string, prefetch int) []string {
		cfg, err := orgs.FromEnvFunc(p, func(k string) string { return env[k] })
		require.NoError(t, err, p)
		cfg.Prefetch = prefetch
		dir, err := orgs.Open(t.Context(), p, cfg)
		require.NoError(t, err, p)
		defer func() { _ = dir.Close(context.Background()) }()
		var ids []string
		for o, err := range dir.All(t.Context(), &orgs.ListOptions{PageSize: 1}) {
			require.NoError(t, err, p)
			ids = append(ids, o.ID)
		}
		return ids
	}
	for _, p := range orgs.Providers() {
		want := walk(p, 0)
		assert.Greater(t, len(want), 1, p)
		assert.Equal(t, want, walk(p, 4), p)
	}
}
