package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// tracedClient is a ReadyCloud client of srv whose attempts are spans of
// tp, with millisecond retry waits.
func tracedClient(t *testing.T, srv *readycloudtest.Server, tp trace.TracerProvider, opts ...readycloud.Option) *readycloud.Client {
	t.Helper()
	opts = append([]readycloud.Option{
		readycloud.WithBaseURL(srv.URL),
		readycloud.WithHTTPClient(tracedHTTPClient(tp)),
		readycloud.WithRetryWait(time.Millisecond, 10*time.Millisecond),
	}, opts...)
	c, err := readycloud.NewClient(srv.Token, opts...)
	require.NoError(t, err)
	return c
}

func attr(s tracetest.SpanStub, key attribute.Key) attribute.Value {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// TestSpansOfARetriedGet: the fake answers the first GET with a 503 and
// the retry with a 200, so the call has two attempt spans, children of the
// caller's span, in one trace, each with its status, and each attempt
// carried its own span's traceparent to the server.
func TestSpansOfARetriedGet(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer()
	defer srv.Close()
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 1})
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	c := tracedClient(t, srv, tp)

	list, err := listOrganizations(t.Context(), tp.Tracer("test"), c)
	require.NoError(t, err)
	require.NotEmpty(t, list.Items)

	spans := exp.GetSpans()
	require.Len(t, spans, 3, "two attempts and the call")
	var call tracetest.SpanStub
	var attempts []tracetest.SpanStub
	for _, s := range spans {
		switch s.SpanKind {
		case trace.SpanKindInternal:
			call = s
		case trace.SpanKindClient:
			attempts = append(attempts, s)
		}
	}
	require.Equal(t, "readycloud.Organizations.List", call.Name)
	assert.False(t, call.Parent.IsValid(), "the call's span is a root")
	assert.Equal(t, int64(len(list.Items)), attr(call, "orgsdk.organizations").AsInt64())
	require.Len(t, attempts, 2)

	requests := srv.Requests()
	require.Len(t, requests, 2, "the server saw both attempts")
	assert.Equal(t, 2, srv.HitsFor(http.MethodGet, readycloudtest.Prefix+"orgs/"))
	for i, want := range []struct {
		status int64
		code   codes.Code
	}{{http.StatusServiceUnavailable, codes.Error}, {http.StatusOK, codes.Unset}} {
		a := attempts[i]
		assert.Equal(t, call.SpanContext.TraceID(), a.SpanContext.TraceID(), "attempt %d is in the call's trace", i+1)
		assert.Equal(t, call.SpanContext.SpanID(), a.Parent.SpanID(), "attempt %d is a child of the call", i+1)
		assert.Equal(t, "GET", attr(a, "http.request.method").AsString())
		assert.Equal(t, want.status, attr(a, "http.response.status_code").AsInt64(), "attempt %d", i+1)
		assert.Equal(t, want.code, a.Status.Code, "attempt %d", i+1)
		assert.Contains(t, attr(a, "url.full").AsString(), readycloudtest.Prefix+"orgs/")
		assert.False(t, a.EndTime.Before(a.StartTime))
		assert.Equal(t, fmt.Sprintf("00-%s-%s-01", a.SpanContext.TraceID(), a.SpanContext.SpanID()),
			requests[i].Header.Get("Traceparent"), "attempt %d sent its own span as the parent of the server's", i+1)
	}
	assert.False(t, attempts[1].StartTime.Before(attempts[0].EndTime), "the first attempt ended (its body closed) before the retry")
	assert.False(t, call.EndTime.Before(attempts[1].EndTime), "the call ends after its last attempt")
}

// spanText is every string a span carries, for secret checks.
func spanText(spans tracetest.SpanStubs) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintln(&b, s.Name, s.Status.Description)
		for _, kv := range s.Attributes {
			fmt.Fprintln(&b, kv.Key, kv.Value.Emit())
		}
		for _, ev := range s.Events {
			for _, kv := range ev.Attributes {
				fmt.Fprintln(&b, ev.Name, kv.Key, kv.Value.Emit())
			}
		}
	}
	return b.String()
}

// TestRedactingExporterScrubsTheQueryToken: with the token in the query,
// otelhttp's url.full holds it; behind redactingExporter, no span does.
func TestRedactingExporterScrubsTheQueryToken(t *testing.T) {
	t.Parallel()
	srv := readycloudtest.NewServer(readycloudtest.WithToken("query-token-8c1f2e7d"))
	defer srv.Close()
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 1})
	raw, scrubbed := tracetest.NewInMemoryExporter(), tracetest.NewInMemoryExporter()
	var c *readycloud.Client
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(raw),
		sdktrace.WithSyncer(&redactingExporter{next: scrubbed, redact: func(s string) string { return c.Redact(s) }}))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	c = tracedClient(t, srv, tp, readycloud.WithQueryToken())

	_, err := listOrganizations(t.Context(), tp.Tracer("test"), c)
	require.NoError(t, err)
	// A Get of an unknown id fails: its span has an error status too.
	_, _, err = c.Organizations.Get(t.Context(), "no-such-org")
	require.Error(t, err)

	require.Contains(t, spanText(raw.GetSpans()), srv.Token, "otelhttp records the query, so the test can see a leak")
	text := spanText(scrubbed.GetSpans())
	require.Len(t, scrubbed.GetSpans(), 4, "three attempts and the call")
	assert.NotContains(t, text, srv.Token)
	assert.Contains(t, text, "bearer_token=REDACTED")
}

// TestRun runs the program: it prints a line per span, the two attempts
// first (503, then 200), then the call.
func TestRun(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	require.Equal(t, 0, run(t.Context(), &out, &errOut), errOut.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 4, out.String())
	assert.Contains(t, lines[0], "span HTTP GET client")
	assert.Contains(t, lines[0], "http.response.status_code=503 status=Error")
	assert.Contains(t, lines[1], "http.response.status_code=200")
	assert.Contains(t, lines[2], "span readycloud.Organizations.List internal")
	assert.Regexp(t, `^\d+ organizations on the first page, \d+ in all$`, lines[3])
	assert.Empty(t, errOut.String())
}
