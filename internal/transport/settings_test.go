package transport

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/orgsdk/orgsdk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "https://api.example.com", want: "https://api.example.com/"},
		{in: "https://api.example.com/v1", want: "https://api.example.com/v1/"},
		{in: "https://api.example.com/v1///", want: "https://api.example.com/v1/"},
		{in: "HTTP://api.example.com:8080/a/b/", want: "http://api.example.com:8080/a/b/"},
		{in: "", wantErr: "empty"},
		{in: "api.example.com/v1", wantErr: "no scheme"},
		{in: "ftp://api.example.com/", wantErr: "want http or https"},
		{in: "https:///v1", wantErr: "no host"},
		{in: "https://user:" + testSecret + "@api.example.com/", wantErr: "must not carry credentials"},
		{in: "https://api.example.com/?token=" + testSecret, wantErr: "query or fragment"},
		{in: "https://api.example.com/#frag", wantErr: "query or fragment"},
		{in: "http://[::1", wantErr: "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseBaseURL(tt.in)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), testSecret)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
		})
	}
}

func TestSettersRejectBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  func(*Settings) error
	}{
		{"nil http client", func(s *Settings) error { return s.SetHTTPClient(nil) }},
		{"nil logger", func(s *Settings) error { return s.SetLogger(nil) }},
		{"user agent newline", func(s *Settings) error { return s.SetUserAgent("a\r\nX-Evil: 1") }},
		{"negative retries", func(s *Settings) error { return s.SetMaxRetries(-1) }},
		{"absurd retries", func(s *Settings) error { return s.SetMaxRetries(1000) }},
		{"zero min wait", func(s *Settings) error { return s.SetRetryWait(0, time.Second) }},
		{"max below min", func(s *Settings) error { return s.SetRetryWait(time.Second, time.Millisecond) }},
		{"zero body cap", func(s *Settings) error { return s.SetMaxBodyBytes(0) }},
		{"bad base url", func(s *Settings) error { return s.SetBaseURL("nope") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSettings("https://api.example.com/")
			require.NoError(t, err)
			assert.Error(t, tt.set(&s))
		})
	}
}

func TestSettersAcceptGoodValues(t *testing.T) {
	t.Parallel()
	s, err := NewSettings("https://api.example.com/v2")
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxRetries, s.MaxRetries)
	assert.Equal(t, DefaultRetryWaitMin, s.RetryWaitMin)
	assert.Equal(t, DefaultRetryWaitMax, s.RetryWaitMax)
	assert.Equal(t, int64(DefaultMaxBodyBytes), s.MaxBodyBytes)
	require.NoError(t, s.SetHTTPClient(&http.Client{}))
	require.NoError(t, s.SetLogger(slog.Default()))
	require.NoError(t, s.SetUserAgent(" myapp/1.2 "))
	require.NoError(t, s.SetMaxRetries(0))
	require.NoError(t, s.SetRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, s.SetMaxBodyBytes(1))
	assert.Equal(t, "myapp/1.2", s.UserAgentSuffix)
}

func TestNewRequiresBaseURLAndProvider(t *testing.T) {
	t.Parallel()
	s, err := NewSettings("")
	require.NoError(t, err)
	_, err = New(Config{Provider: "x", Settings: s})
	require.ErrorContains(t, err, "base URL is required")

	s, err = NewSettings("https://api.example.com/")
	require.NoError(t, err)
	_, err = New(Config{Settings: s})
	require.ErrorContains(t, err, "provider name")
}

func TestNewCopiesCallerClient(t *testing.T) {
	t.Parallel()
	caller := &http.Client{Timeout: 3 * time.Second}
	s, err := NewSettings("https://api.example.com/")
	require.NoError(t, err)
	require.NoError(t, s.SetHTTPClient(caller))
	c, err := New(Config{Provider: "x", Settings: s, Auth: bearerAuth})
	require.NoError(t, err)
	assert.Nil(t, caller.Transport, "caller's client must not be mutated")
	assert.Nil(t, caller.CheckRedirect, "caller's client must not be mutated")
	assert.Equal(t, 3*time.Second, c.hc.Timeout)
}

func TestDefaultHTTPClientHasTimeouts(t *testing.T) {
	t.Parallel()
	tr, ok := DefaultHTTPClient().Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotZero(t, tr.TLSHandshakeTimeout)
	// The wait for headers is bounded by the connection's idle deadline
	// (TestDefaultClientBodyIdleTimeout), which needs HTTP/1.1.
	assert.Zero(t, tr.ResponseHeaderTimeout)
	assert.False(t, tr.ForceAttemptHTTP2)
	assert.NotNil(t, tr.DialContext)
	assert.NotZero(t, tr.MaxIdleConnsPerHost)
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	var got string
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { got = r.UserAgent() })
	c := newTestClient(t, ts.URL+"/api/v1", withSettings(func(s *Settings) { s.UserAgentSuffix = "myapp/2" }))
	_, err := c.Do(t.Context(), &Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "orgsdk/"+orgsdk.Version+" (test) myapp/2", got)
}

func TestSetPrefetch(t *testing.T) {
	t.Parallel()
	var s Settings
	for _, n := range []int{0, 1, 8, 100} {
		require.NoError(t, s.SetPrefetch(n))
		assert.Equal(t, n, s.Prefetch)
	}
	assert.EqualError(t, s.SetPrefetch(-1), "WithPrefetch: -1 pages must not be negative")
	assert.Equal(t, 100, s.Prefetch, "a refused value changes nothing")
}
