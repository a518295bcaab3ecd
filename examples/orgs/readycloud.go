package main

import (
	"context"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// openReadyCloud lists ReadyCloud organizations with their plan and price.
func openReadyCloud(o options) (*source, error) {
	src := &source{name: "readycloud", columns: []string{"PLAN", "PRICE"}}
	token := o.getenv("READYCLOUD_TOKEN")
	var opts []readycloud.Option
	if token != "" {
		src.live = true
		if base := o.getenv("READYCLOUD_BASE_URL"); base != "" {
			opts = append(opts, readycloud.WithBaseURL(base))
		}
	} else {
		srv := readycloudtest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.secrets.Add(token)
		opts = append(opts, readycloud.WithBaseURL(srv.URL))
	}
	opts = append(opts, readycloud.WithLogger(o.logger))
	if o.httpClient != nil {
		opts = append(opts, readycloud.WithHTTPClient(o.httpClient))
	}
	c, err := readycloud.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context, limit int) ([]row, error) {
		lo := &readycloud.ListOptions{}
		if limit > 0 && limit < 100 {
			lo.PerPage = limit
		}
		return collect(c.Organizations.All(ctx, lo), limit, func(org *readycloud.Organization) row {
			plan, price := "", ""
			if p := org.PaymentPlan; p != nil {
				plan, price = p.Name, p.Price.String()
				if plan == "" {
					plan = "-"
				}
			}
			return row{Provider: "readycloud", ID: org.PK(), Name: org.Name, Extra: []string{plan, price}}
		})
	}
	return src, nil
}
