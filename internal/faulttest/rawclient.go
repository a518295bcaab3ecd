package faulttest

import (
	"net/http"
	"testing"
)

// RawClient returns an HTTP client with a transport of its own, for tests
// that speak to a fake without the SDK. http.DefaultClient will not do in
// parallel tests: every httptest.Server.Close calls CloseIdleConnections
// on http.DefaultTransport, and a request that has just picked up one of
// those connections fails with "http: CloseIdleConnections called" (a
// PATCH is not retried by the transport), which made the fakes' tests
// flaky under load. Redirects are not followed, so a test sees each
// answer as the server sent it.
func RawClient(t testing.TB) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
