package main

import (
	"context"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

// openJSONAPI lists MPDX organizations with their default currency.
func openJSONAPI(o options) (*source, error) {
	src := &source{name: "jsonapi", live: o.live, columns: []string{"CURRENCY", "COUNTRY"}}
	token := o.cmd.Getenv("MPDX_TOKEN")
	var opts []jsonapi.Option
	if o.live {
		if base := o.cmd.Getenv("MPDX_BASE_URL"); base != "" {
			opts = append(opts, jsonapi.WithBaseURL(base))
		}
	} else {
		srv := jsonapitest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.cmd.Secrets.Add(token)
		opts = append(opts, jsonapi.WithBaseURL(srv.URL))
	}
	opts = append(opts, jsonapi.WithLogger(o.cmd.Logger), jsonapi.WithHTTPClient(o.session.HTTPClient))
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context) ([]row, error) {
		lo := &jsonapi.ListOptions{Sort: "name", PerPage: o.cmd.PageSize(100)}
		return collect(o, c.Organizations.All(ctx, lo), func(org *jsonapi.Organization) row {
			return row{Provider: "jsonapi", ID: org.ID, Name: org.Name,
				Extra: []*string{text(org.DefaultCurrencyCode), org.Country}}
		})
	}
	return src, nil
}
