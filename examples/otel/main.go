// Program otel traces orgsdk calls with OpenTelemetry: one span per HTTP
// attempt, retries included, from otelhttp's transport given to the SDK
// through WithHTTPClient, under a span of the caller's for the whole call.
//
//	go run .   # from examples/otel: a retried List against the ReadyCloud fake
//
// It is a module of its own (see its go.mod), so the SDK's own module does
// not depend on OpenTelemetry. Every provider takes the same WithHTTPClient;
// ReadyCloud stands for the four here. The spans go to a printing exporter
// behind redactingExporter: otelhttp records each request's full URL, and
// a token sent in the query (readycloud.WithQueryToken) would be in it.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

func main() {
	os.Exit(run(context.Background(), os.Stdout, os.Stderr))
}

// run lists a page of organizations from the ReadyCloud fake, whose first
// answer is a 503, and prints the spans of the call as they end.
func run(ctx context.Context, stdout, stderr io.Writer) int {
	srv := readycloudtest.NewServer()
	defer srv.Close()
	srv.InjectFault(readycloudtest.Fault{Status: http.StatusServiceUnavailable, Count: 1})

	// The exporter scrubs with the client's Redact, and the client needs
	// the tracer provider that feeds the exporter: c is set before the
	// first span can end.
	var c *readycloud.Client
	exp := &redactingExporter{next: &lineExporter{w: stdout}, redact: func(s string) string { return c.Redact(s) }}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(ctx) }()

	var err error
	c, err = readycloud.NewClient(srv.Token,
		readycloud.WithBaseURL(srv.URL),
		readycloud.WithHTTPClient(tracedHTTPClient(tp)),
		readycloud.WithRetryWait(10*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		fmt.Fprintf(stderr, "otel: %v\n", err)
		return 1
	}
	list, err := listOrganizations(ctx, tp.Tracer("github.com/orgsdk/orgsdk/examples/otel"), c)
	if err != nil {
		fmt.Fprintf(stderr, "otel: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d organizations on the first page, %d in all\n", len(list.Items), list.Total)
	return 0
}

// tracedHTTPClient is an HTTP client whose every request is a client span
// of tp, with the W3C traceparent header sent along so the server's spans
// join the trace. The SDK sends each attempt through it, so a retried call
// has a span per attempt. Passing it to WithHTTPClient replaces the SDK's
// default client; its transport here is a copy of net/http's default.
func tracedHTTPClient(tp trace.TracerProvider) *http.Client {
	return &http.Client{Transport: otelhttp.NewTransport(
		http.DefaultTransport.(*http.Transport).Clone(),
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.TraceContext{}),
	)}
}

// listOrganizations is one SDK call in a span of its own, the parent of
// the spans of its HTTP attempts (the SDK hands ctx to every attempt).
func listOrganizations(ctx context.Context, tracer trace.Tracer, c *readycloud.Client) (*readycloud.OrganizationList, error) {
	ctx, span := tracer.Start(ctx, "readycloud.Organizations.List")
	defer span.End()
	list, _, err := c.Organizations.List(ctx, &readycloud.ListOptions{PerPage: 10})
	if err != nil {
		// The SDK's error text names no secret.
		span.SetStatus(codes.Error, err.Error())
		return nil, err
	}
	span.SetAttributes(attribute.Int("orgsdk.organizations", len(list.Items)))
	return list, nil
}

// redactingExporter passes spans on to next with redact applied to every
// string they carry: attributes (otelhttp's url.full holds the query),
// event attributes (a recorded error's text) and the status description.
type redactingExporter struct {
	next   sdktrace.SpanExporter
	redact func(string) string
}

func (e *redactingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	out := make([]sdktrace.ReadOnlySpan, len(spans))
	for i, s := range spans {
		r := redactedSpan{ReadOnlySpan: s, attrs: e.attributes(s.Attributes()), status: s.Status()}
		r.status.Description = e.redact(r.status.Description)
		for _, ev := range s.Events() {
			ev.Attributes = e.attributes(ev.Attributes)
			r.events = append(r.events, ev)
		}
		out[i] = r
	}
	return e.next.ExportSpans(ctx, out)
}

func (e *redactingExporter) Shutdown(ctx context.Context) error { return e.next.Shutdown(ctx) }

func (e *redactingExporter) attributes(in []attribute.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, len(in))
	for i, kv := range in {
		switch kv.Value.Type() {
		case attribute.STRING:
			kv.Value = attribute.StringValue(e.redact(kv.Value.AsString()))
		case attribute.STRINGSLICE:
			ss := kv.Value.AsStringSlice()
			for j := range ss {
				ss[j] = e.redact(ss[j])
			}
			kv.Value = attribute.StringSliceValue(ss)
		}
		out[i] = kv
	}
	return out
}

// redactedSpan is a span with its strings scrubbed; the rest is the
// original's.
type redactedSpan struct {
	sdktrace.ReadOnlySpan
	attrs  []attribute.KeyValue
	events []sdktrace.Event
	status sdktrace.Status
}

func (s redactedSpan) Attributes() []attribute.KeyValue { return s.attrs }
func (s redactedSpan) Events() []sdktrace.Event         { return s.events }
func (s redactedSpan) Status() sdktrace.Status          { return s.status }

// lineExporter prints one line per span: name, kind, ids, status and the
// HTTP attributes of an attempt.
type lineExporter struct{ w io.Writer }

func (e *lineExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	for _, s := range spans {
		var b strings.Builder
		fmt.Fprintf(&b, "span %s %s trace=%s span=%s", s.Name(), s.SpanKind(), s.SpanContext().TraceID(), s.SpanContext().SpanID())
		if s.Parent().IsValid() {
			fmt.Fprintf(&b, " parent=%s", s.Parent().SpanID())
		}
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case "http.response.status_code", "url.full", "orgsdk.organizations":
				fmt.Fprintf(&b, " %s=%s", kv.Key, kv.Value.Emit())
			}
		}
		if st := s.Status(); st.Code != codes.Unset {
			fmt.Fprintf(&b, " status=%s", st.Code)
		}
		fmt.Fprintf(&b, " took=%s\n", s.EndTime().Sub(s.StartTime()).Round(time.Microsecond))
		if _, err := io.WriteString(e.w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func (e *lineExporter) Shutdown(context.Context) error { return nil }
