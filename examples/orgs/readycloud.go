package main

import (
	"context"

	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
)

// openReadyCloud lists ReadyCloud organizations with their plan and price.
func openReadyCloud(o options) (*source, error) {
	src := &source{name: "readycloud", live: o.live, columns: []string{"PLAN", "PRICE"}}
	token := o.cmd.Getenv("READYCLOUD_TOKEN")
	var opts []readycloud.Option
	if o.live {
		if base := o.cmd.Getenv("READYCLOUD_BASE_URL"); base != "" {
			opts = append(opts, readycloud.WithBaseURL(base))
		}
	} else {
		srv := readycloudtest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.cmd.Secrets.Add(token)
		opts = append(opts, readycloud.WithBaseURL(srv.URL))
	}
	opts = append(opts, readycloud.WithLogger(o.cmd.Logger), readycloud.WithHTTPClient(o.session.HTTPClient))
	c, err := readycloud.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	o.session.RedactWith(c.Redact)
	src.list = func(ctx context.Context) ([]row, error) {
		lo := &readycloud.ListOptions{PerPage: o.cmd.PageSize(100)}
		return collect(o, c.Organizations.All(ctx, lo), func(org *readycloud.Organization) row {
			var plan, price *string
			if p := org.PaymentPlan; p != nil {
				plan, price = text(p.Name), text(p.Price.String())
			}
			return row{Provider: "readycloud", ID: org.ID, Name: org.Name, Extra: []*string{plan, price}}
		})
	}
	return src, nil
}
