package commvault_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/internal/benchpair"
	"github.com/orgsdk/orgsdk/internal/recording"
)

// Run: go test ./commvault -run '^$' -bench 'DefaultPlan.*Pair' -benchtime 3000x -count 10
// The pair benchmarks report sdk/raw (goal: ≤ 1.05 JSON, ≤ 1.10 XML,
// issue 12); compare medians, the machine's noise hits both sides alike.

// benchServer answers GET Organization/6/defaultplan with the recorded body
// of the given format.
func benchServer(b *testing.B, dir string) *httptest.Server {
	b.Helper()
	ex, err := recording.Load(filepath.Join(testdataDir, dir, "004-get-Organization_16_defaultplan.json"))
	if err != nil {
		b.Fatal(err)
	}
	body := ex.Response.Body()
	ct := ex.Response.Header.Get("Content-Type")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authtoken") != "QSDK bench-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// rawInfo is what a hand-written client would decode the answer into,
// with the same field types as the SDK.
type rawInfo struct {
	Info commvault.OrganizationInfo `json:"organizationInfo" xml:"organizationInfo"`
}

func rawDefaultPlan(hc *http.Client, url, accept string) func() error {
	return func() error {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authtoken", "QSDK bench-token")
		req.Header.Set("Accept", accept)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var v rawInfo
		if accept == "application/xml" {
			err = xml.Unmarshal(body, &v)
		} else {
			err = json.Unmarshal(body, &v)
		}
		if err == nil && len(v.Info.Properties.DefaultPlans) != 1 {
			err = fmt.Errorf("decoded %d plans", len(v.Info.Properties.DefaultPlans))
		}
		return err
	}
}

// defaultPlanPair returns the SDK call and its raw net/http +
// encoding/json (or encoding/xml) twin, against one fake server.
func defaultPlanPair(b *testing.B, dir string, format commvault.Format, accept string) (sdk, raw func() error) {
	srv := benchServer(b, dir)
	c, err := commvault.NewClient(srv.URL+"/commandcenter/api/", commvault.WithToken("QSDK bench-token"), commvault.WithFormat(format))
	if err != nil {
		b.Fatal(err)
	}
	sdk = func() error {
		plans, _, err := c.Organizations.DefaultPlan(context.Background(), 6)
		if err == nil && len(plans.Plans) != 1 {
			err = fmt.Errorf("decoded %d plans", len(plans.Plans))
		}
		return err
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	raw = rawDefaultPlan(hc, srv.URL+"/commandcenter/api/Organization/6/defaultplan", accept)
	return sdk, raw
}

func loop(b *testing.B, f func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

func jsonPair(b *testing.B) (func() error, func() error) {
	return defaultPlanPair(b, "json", commvault.JSON, "application/json")
}

func xmlPair(b *testing.B) (func() error, func() error) {
	return defaultPlanPair(b, "xml", commvault.XML, "application/xml")
}

func BenchmarkDefaultPlanJSONSDK(b *testing.B) { sdk, _ := jsonPair(b); loop(b, sdk) }

func BenchmarkDefaultPlanJSONRaw(b *testing.B) { _, raw := jsonPair(b); loop(b, raw) }

func BenchmarkDefaultPlanJSONPair(b *testing.B) { sdk, raw := jsonPair(b); benchpair.Run(b, sdk, raw) }

func BenchmarkDefaultPlanXMLSDK(b *testing.B) { sdk, _ := xmlPair(b); loop(b, sdk) }

func BenchmarkDefaultPlanXMLRaw(b *testing.B) { _, raw := xmlPair(b); loop(b, raw) }

func BenchmarkDefaultPlanXMLPair(b *testing.B) { sdk, raw := xmlPair(b); benchpair.Run(b, sdk, raw) }
