package jsonapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
)

// Fault injection (issue 11). The package only reads; its one way to
// write is the raw escape hatch, so the write cases go through Do.

func faultClient(t *testing.T, base string, opts ...jsonapi.Option) *jsonapi.Client {
	t.Helper()
	c, err := jsonapi.NewClient("fault-token", append(testOpts(base+"/api/v2/"), opts...)...)
	require.NoError(t, err)
	return c
}

func rawPost(t *testing.T, c *jsonapi.Client) error {
	t.Helper()
	req, err := c.NewRequest(http.MethodPost, "organizations", map[string]any{"data": map[string]any{"type": "organizations", "attributes": map[string]any{"name": "New"}}})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	return err
}

// TestFaultWrites: a write is never sent twice, however the server
// answers: redirects of every kind, a connection dropped after the write
// was sent, a 5xx; a 429 (the server says it did not act) is resent once
// and acted on once.
func TestFaultWrites(t *testing.T) {
	t.Parallel()
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run("redirect "+strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			var target atomic.Int64
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/moved" {
					target.Add(1)
					writeDoc(w, 201, `{"data":null}`)
					return
				}
				http.Redirect(w, r, "/moved", code)
			})
			err := rawPost(t, faultClient(t, srv.URL))
			assert.Equal(t, int64(1), int64(srv.Total())-target.Load(), "the redirecting endpoint saw the write once")
			if err == nil && (code == 307 || code == 308) {
				// 307/308 keep method and body and the server has not
				// acted: following one on the same origin, once, is allowed.
				assert.Equal(t, int64(1), target.Load(), "followed once")
				return
			}
			require.ErrorIs(t, err, jsonapi.ErrRedirectedWrite)
			assert.Zero(t, target.Load(), "the redirect was not followed with the write")
		})
	}
	t.Run("connection dropped after the write", func(t *testing.T) {
		t.Parallel()
		srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
			hj, ok := w.(http.Hijacker)
			require.True(t, ok)
			conn, _, err := hj.Hijack()
			require.NoError(t, err)
			conn.Close()
		})
		err := rawPost(t, faultClient(t, srv.URL))
		var te *jsonapi.TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 1, srv.Total())
	})
	t.Run("5xx", func(t *testing.T) {
		t.Parallel()
		srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
			writeDoc(w, 503, `{"errors":[{"status":"503","title":"Service Unavailable"}]}`)
		})
		err := rawPost(t, faultClient(t, srv.URL))
		var apiErr *jsonapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, 1, srv.Total())
	})
	t.Run("429 with Retry-After", func(t *testing.T) {
		t.Parallel()
		var first atomic.Bool
		first.Store(true)
		var acted atomic.Int64
		srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
			if first.Swap(false) {
				w.Header().Set("Retry-After", "0")
				writeDoc(w, 429, `{"errors":[{"status":"429","title":"Too Many Requests"}]}`)
				return
			}
			acted.Add(1)
			writeDoc(w, 201, `{"data":null}`)
		})
		require.NoError(t, rawPost(t, faultClient(t, srv.URL)))
		assert.Equal(t, 2, srv.Total(), "refused once with 429 (not acted on), then sent again")
		assert.Equal(t, int64(1), acted.Load(), "acted on once")
	})
}

// TestFaultForeignCursor: a links.next to another host becomes a cursor
// that is refused before anything is sent there, by List and by All.
func TestFaultForeignCursor(t *testing.T) {
	t.Parallel()
	foreign := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":[]}`)
	})
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		writeDoc(w, 200, `{"data":[`+fmt.Sprintf(orgJSON, "a", "A")+`],"links":{"next":"`+foreign.URL+`/api/v2/organizations?page=2&access_token=fault-token"}}`)
	})
	c := faultClient(t, srv.URL)
	_, resp, err := c.Organizations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(resp.NextCursor, foreign.URL), resp.NextCursor)
	assert.NotContains(t, resp.NextCursor, "fault-token")

	_, _, err = c.Organizations.List(context.Background(), &jsonapi.ListOptions{Cursor: resp.NextCursor})
	require.ErrorIs(t, err, jsonapi.ErrForeignHost)

	var n int
	var errs []error
	for _, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	assert.Equal(t, 1, n)
	require.Len(t, errs, 1, "one error, then the walk stops")
	assert.ErrorIs(t, errs[0], jsonapi.ErrForeignHost)
	assert.Zero(t, foreign.Total(), "nothing reached the other host")
}

// TestFaultCursorCycle: links.next going A→B→A ends the walk with
// ErrPaginationLoop, once.
func TestFaultCursorCycle(t *testing.T) {
	t.Parallel()
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		next := "/api/v2/organizations?page=B"
		if r.URL.Query().Get("page") == "B" {
			next = "/api/v2/organizations?page=A"
		}
		writeDoc(w, 200, `{"data":[`+fmt.Sprintf(orgJSON, "id-"+r.URL.RawQuery, "x")+`],"links":{"next":"`+next+`"}}`)
	})
	c := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	items := 0
	for _, err := range c.Organizations.All(ctx, &jsonapi.ListOptions{Cursor: srv.URL + "/api/v2/organizations?page=A"}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if items++; items > 50 {
			break
		}
	}
	require.LessOrEqual(t, items, 50, "the walk must end")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], jsonapi.ErrPaginationLoop)
	assert.True(t, strings.HasPrefix(errs[0].Error(), "orgsdk: jsonapi: pagination did not advance"), "every provider words the walk's own errors alike: %v", errs[0])
	assert.LessOrEqual(t, srv.Total(), 3, "A, B, and A again at most")
}

// TestFaultHostileBodies: each is a DecodeError (with its sentinel where
// one applies), never a panic or a silent empty page, and a body nested a
// million levels deep costs memory in proportion to its size.
func TestFaultHostileBodies(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat(`{"data":`, 1<<20) + "null" + strings.Repeat("}", 1<<20)
	deepArr := `{"data":[` + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + `]}`
	for name, tc := range map[string]struct {
		body, ctype string
		cut         bool // announce more bytes than sent
		cap         int64
		is          error
		says        string
	}{
		"truncated JSON":    {body: `{"data":[{"id":"a","type":"organiz`, says: "unexpected end of JSON"},
		"truncated stream":  {body: `{"data":[{"id":"a","type":"organizations"}]}`, cut: true, is: jsonapi.ErrTruncatedBody},
		"HTML":              {body: `<html><body>Bad Gateway</body></html>`, ctype: "text/html", is: jsonapi.ErrUnexpectedContentType},
		"HTML as JSON:API":  {body: `<html><body>Bad Gateway</body></html>`, is: jsonapi.ErrUnexpectedContentType, says: "got an HTML page"},
		"empty":             {body: ``, says: "not a JSON object"},
		"over the cap":      {body: `{"data":[` + strings.Repeat(fmt.Sprintf(orgJSON, "a", "A")+",", 100) + fmt.Sprintf(orgJSON, "a", "A") + `]}`, cap: 4096, is: jsonapi.ErrBodyTooLarge},
		"nested 1M deep":    {body: deep, says: "nested more than 256 levels"},
		"nested 1M in data": {body: deepArr, says: "nested more than 256 levels"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
				ct := tc.ctype
				if ct == "" {
					ct = "application/vnd.api+json"
				}
				w.Header().Set("Content-Type", ct)
				if tc.cut {
					w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)+100))
				}
				_, _ = w.Write([]byte(tc.body))
			})
			var opts []jsonapi.Option
			if tc.cap > 0 {
				opts = append(opts, jsonapi.WithMaxBodyBytes(tc.cap))
			}
			c := faultClient(t, srv.URL, append(opts, jsonapi.WithMaxRetries(0))...)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			list, _, err := c.Organizations.List(context.Background(), nil)
			runtime.ReadMemStats(&after)
			assert.Nil(t, list)
			var de *jsonapi.DecodeError
			require.ErrorAs(t, err, &de)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			if tc.says != "" {
				assert.Contains(t, err.Error(), tc.says)
			}
			assert.Positive(t, srv.Total())
			if len(tc.body) > 1<<20 {
				// Linear in the body (a small constant factor): reading it once, one
				// failed decode and the walk that explains the failure;
				// the error snippet is redacted over a small window only.
				// The decoder's own share is bounded in
				// TestDecodeDeepBodyBounded.
				assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*len(tc.body)), "allocated %d bytes for a %d-byte body", after.TotalAlloc-before.TotalAlloc, len(tc.body))
			}
		})
	}
}

// TestFaultSecretAudit: a token the server echoes back in every form it
// could take (literal, URL-escaped, JSON-escaped) reaches no log line,
// error string, cursor, APIError body or returned request.
func TestFaultSecretAudit(t *testing.T) {
	t.Parallel()
	const token = "s3cr3t/t0k+en=XYZ.ab"
	forms := []string{
		token,
		url.QueryEscape(token),
		url.PathEscape(token),
		strings.ReplaceAll(strings.ReplaceAll(token, "/", `\/`), "+", `\u002b`),
		strings.ReplaceAll(token, "+", `\u002B`),
	}
	echo := strings.Join(forms, " ")
	srv := faulttest.NewServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Query().Get("case") == "list":
			writeDoc(w, 200, `{"data":[`+fmt.Sprintf(orgJSON, "a", "A")+`],"links":{"next":"/api/v2/organizations?case=list2&access_token=`+url.QueryEscape(token)+`&bearer_token=`+url.QueryEscape(token)+`"}}`)
		case r.URL.Query().Get("case") == "list2":
			writeDoc(w, 200, `{"data":[]}`)
		case r.URL.Query().Get("case") == "decode":
			writeDoc(w, 200, `{"data":[{"id":5,"type":"organizations","attributes":{"name":"`+echo+`"}}], "token":"`+token+`"}`)
		case r.URL.Query().Get("case") == "retry":
			writeDoc(w, 503, `{"errors":[{"status":"503","title":"down","detail":"`+echo+`"}]}`)
		default:
			writeDoc(w, 401, `{"errors":[{"status":"401","title":"Unauthorized `+echo+`","detail":"Bearer `+token+`","source":{"parameter":"`+echo+`"}}],"meta":{"token":"`+echo+`"}}`)
		}
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := jsonapi.NewClient(token, jsonapi.WithBaseURL(srv.URL+"/api/v2/"), jsonapi.WithLogger(logger),
		jsonapi.WithRetryWait(time.Millisecond, 5*time.Millisecond), jsonapi.WithMaxRetries(2))
	require.NoError(t, err)
	ctx := context.Background()

	var texts []string
	var resps []*jsonapi.Response
	collect := func(resp *jsonapi.Response, err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
			var apiErr *jsonapi.APIError
			if errors.As(err, &apiErr) {
				texts = append(texts, string(apiErr.Body), apiErr.Message, fmt.Sprint(apiErr.Details), apiErr.URL)
			}
			for _, o := range jsonapi.ErrorObjects(err) {
				texts = append(texts, fmt.Sprint(o), fmt.Sprint(o.Source))
			}
		}
		if resp != nil {
			resps = append(resps, resp)
			texts = append(texts, resp.NextCursor)
		}
	}
	for _, q := range []string{"auth", "list", "decode", "retry"} {
		_, resp, err := c.Organizations.List(ctx, &jsonapi.ListOptions{Filter: map[string]string{"x": "y"}, Cursor: srv.URL + "/api/v2/organizations?case=" + q})
		collect(resp, err)
		if q == "list" {
			require.NoError(t, err)
			_, resp, err = c.Organizations.List(ctx, &jsonapi.ListOptions{Cursor: resp.NextCursor})
			require.NoError(t, err)
			collect(resp, err)
		}
	}
	_, resp, err := c.Organizations.Get(ctx, "x")
	collect(resp, err)
	req, err := c.NewRequest(http.MethodGet, "organizations?case=auth", nil)
	require.NoError(t, err)
	resp, err = c.Do(ctx, req, nil)
	collect(resp, err)

	getBody := false
	for _, resp := range resps {
		if resp.Response == nil || resp.Request == nil {
			continue
		}
		texts = append(texts, resp.Request.URL.String())
		for k, vs := range resp.Request.Header {
			texts = append(texts, k+": "+strings.Join(vs, ","))
		}
		if resp.Request.GetBody != nil {
			getBody = true
		}
		if resp.Request.Body != nil && resp.Request.Body != http.NoBody {
			t.Errorf("returned request for %s keeps a body", resp.Request.URL)
		}
	}
	require.NotEmpty(t, logs.String(), "the logger saw the calls")
	texts = append(texts, strings.Split(logs.String(), "\n")...)
	for _, text := range texts {
		for _, form := range forms {
			if strings.Contains(text, form) {
				t.Errorf("secret form %q found in %q", form, text)
			}
		}
	}
	assert.False(t, getBody, "Response.Request must not keep GetBody")
}
