package main

import (
	"context"

	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
)

// openJSONAPI lists MPDX organizations with their default currency.
func openJSONAPI(o options) (*source, error) {
	src := &source{name: "jsonapi", columns: []string{"CURRENCY", "COUNTRY"}}
	token := o.getenv("MPDX_TOKEN")
	var opts []jsonapi.Option
	if token != "" {
		src.live = true
		if base := o.getenv("MPDX_BASE_URL"); base != "" {
			opts = append(opts, jsonapi.WithBaseURL(base))
		}
	} else {
		srv := jsonapitest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.secrets.Add(token)
		opts = append(opts, jsonapi.WithBaseURL(srv.URL))
	}
	opts = append(opts, jsonapi.WithLogger(o.logger))
	if o.httpClient != nil {
		opts = append(opts, jsonapi.WithHTTPClient(o.httpClient))
	}
	c, err := jsonapi.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context, limit int) ([]row, error) {
		lo := &jsonapi.ListOptions{Sort: "name"}
		if limit > 0 && limit < 100 {
			lo.PerPage = limit
		}
		return collect(c.Organizations.All(ctx, lo), limit, func(org *jsonapi.Organization) row {
			country := "-"
			if org.Country != nil && *org.Country != "" {
				country = *org.Country
			}
			return row{Provider: "jsonapi", ID: org.ID, Name: org.Name, Extra: []string{org.DefaultCurrencyCode, country}}
		})
	}
	return src, nil
}
