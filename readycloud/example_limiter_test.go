package readycloud_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"golang.org/x/time/rate"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// Two clients (say, two parts of one program with their own settings)
// share one quota: every request either sends, retries and redirects
// included, takes a token from the same *rate.Limiter. A limiter shared
// between processes (one backed by Redis) fits WithLimiter the same way,
// through its Wait method.
func ExampleWithLimiter() {
	srv := readycloudtest.NewServer()
	defer srv.Close()

	// Ten requests a minute, at most two at once, for both clients.
	quota := rate.NewLimiter(rate.Every(6*time.Second), 2)
	reports, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL), readycloud.WithLimiter(quota))
	if err != nil {
		log.Fatal(err)
	}
	billing, err := readycloud.NewClient(srv.Token, readycloud.WithBaseURL(srv.URL),
		readycloud.WithLimiter(quota), readycloud.WithUserAgent("billing/2.1"))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	for _, c := range []*readycloud.Client{reports, billing} {
		org, _, err := c.Organizations.Get(ctx, "1")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(org.Name)
	}

	// The two tokens are spent: the next request, from either client,
	// waits about six seconds for the next one; with a deadline sooner
	// than that it fails at once instead.
	soon, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, _, err = reports.Organizations.Get(soon, "1")
	fmt.Println(errors.Is(err, context.DeadlineExceeded), soon.Err() == nil)
	// Output:
	// Test Company
	// Test Company
	// true true
}
