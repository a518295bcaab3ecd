package jsonapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/benchpair"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// plainOrganization is the same document for encoding/json, the raw
// baseline. json.Number takes the decimal in either form, as Decimal does.
type plainOrganization struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		Abbreviation        *string      `json:"abbreviation"`
		Code                *string      `json:"code"`
		Country             *string      `json:"country"`
		CreatedAt           time.Time    `json:"created_at"`
		DefaultCurrencyCode string       `json:"default_currency_code"`
		GiftAidPercentage   *json.Number `json:"gift_aid_percentage"`
		Logo                *string      `json:"logo"`
		Name                string       `json:"name"`
		OAuth               bool         `json:"oauth"`
		UpdatedAt           time.Time    `json:"updated_at"`
		UpdatedInDBAt       time.Time    `json:"updated_in_db_at"`
	} `json:"attributes"`
}

type plainPage struct {
	Data []plainOrganization `json:"data"`
	Meta struct {
		Pagination struct {
			Page       int `json:"page"`
			PerPage    int `json:"per_page"`
			TotalCount int `json:"total_count"`
			TotalPages int `json:"total_pages"`
		} `json:"pagination"`
		Sort   *string           `json:"sort"`
		Filter map[string]string `json:"filter"`
	} `json:"meta"`
}

// hundredOrganizations is a 100-organization MPDX page: a third of them
// with a gift aid percentage, sent as Rails does ("25.0").
func hundredOrganizations() []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		gift, abbr := "null", "null"
		if i%3 == 0 {
			gift, abbr = `"25.0"`, fmt.Sprintf(`"O%d"`, i)
		}
		fmt.Fprintf(&b, `{"id":"6fcf9f2f-25c6-4a7c-9d76-%012d","type":"organizations","attributes":{"abbreviation":%s,"code":null,"country":"United Kingdom","created_at":"2021-11-23T14:38:10Z","default_currency_code":"GBP","gift_aid_percentage":%s,"logo":null,"name":"Organization%d","oauth":false,"updated_at":"2021-11-23T14:38:10Z","updated_in_db_at":"2021-11-23T14:38:10Z"}}`, i, abbr, gift, i)
	}
	b.WriteString(`],"meta":{"pagination":{"page":1,"per_page":100,"total_count":250,"total_pages":3},"sort":null,"filter":{}}}`)
	return []byte(b.String())
}

func TestBenchmarkDecodersAgree(t *testing.T) {
	t.Parallel()
	body := hundredOrganizations()
	list, next, _, err := decodeList(body, 200, testReqURL)
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.test/api/v2/organizations?page=2&per_page=2", next)
	assert.Equal(t, 250, list.Total)
	var plain plainPage
	require.NoError(t, json.Unmarshal(body, &plain))
	require.Len(t, list.Items, 100)
	for i, o := range list.Items {
		p := plain.Data[i]
		assert.Equal(t, p.ID, o.ID)
		assert.Equal(t, p.Attributes.Name, o.Name)
		if p.Attributes.GiftAidPercentage == nil {
			assert.Nil(t, o.GiftAidPercentage)
		} else {
			assert.Equal(t, p.Attributes.GiftAidPercentage.String(), o.GiftAidPercentage.String())
		}
		assert.True(t, p.Attributes.UpdatedInDBAt.Equal(o.UpdatedInDBAt))
	}
}

// pageServer answers every request with the 100-organization page.
func pageServer(b *testing.B) *httptest.Server {
	body := hundredOrganizations()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.api+json; charset=utf-8")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server) *Client {
	c, err := NewClient("bench-token", WithBaseURL(srv.URL+"/api/v2/"), WithHTTPClient(rawClient()))
	require.NoError(b, err)
	return c
}

// rawClient is a pooled client like the SDK's default one.
func rawClient() *http.Client { return transport.DefaultHTTPClient() }

// rawPage is the baseline: net/http and encoding/json doing what List
// does, with the same headers, into a plain struct of the same document.
func rawPage(hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	req.Header.Set("Accept", MediaType)
	req.Header.Set("Content-Type", MediaType)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	var p plainPage
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	if len(p.Data) != 100 {
		return fmt.Errorf("%d organizations", len(p.Data))
	}
	return nil
}

func sdkPage(c *Client) error {
	list, _, err := c.Organizations.List(context.Background(), &ListOptions{PerPage: 100})
	if err != nil {
		return err
	}
	if len(list.Items) != 100 {
		return fmt.Errorf("%d organizations", len(list.Items))
	}
	return nil
}

// BenchmarkPageSDK is List of a 100-organization page over loopback.
func BenchmarkPageSDK(b *testing.B) {
	c := benchClient(b, pageServer(b))
	b.ReportAllocs()
	for b.Loop() {
		if err := sdkPage(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPageRaw is the same page with net/http and encoding/json.
func BenchmarkPageRaw(b *testing.B) {
	srv := pageServer(b)
	hc := rawClient()
	url := srv.URL + "/api/v2/organizations?per_page=100"
	b.ReportAllocs()
	for b.Loop() {
		if err := rawPage(hc, url); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPagePair alternates the two in one loop and reports sdk/raw;
// the goal (issue 12) is time ≤ 2.0 and allocations ≤ 3×.
func BenchmarkPagePair(b *testing.B) {
	srv := pageServer(b)
	c := benchClient(b, srv)
	hc := rawClient()
	url := srv.URL + "/api/v2/organizations?per_page=100"
	benchpair.Run(b, func() error { return sdkPage(c) }, func() error { return rawPage(hc, url) })
}

// BenchmarkDecodePage isolates the decoders: this package's one pass
// against encoding/json into the plain struct.
func BenchmarkDecodePage(b *testing.B) {
	body := hundredOrganizations()
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, _, err := decodeList(body, 200, testReqURL); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var p plainPage
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
