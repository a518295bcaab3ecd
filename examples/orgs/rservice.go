package main

import (
	"context"
	"strconv"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// openRService lists R-Service organizations with their parent and manager.
func openRService(o options) (*source, error) {
	src := &source{name: "rservice", columns: []string{"PARENT", "MANAGER"}}
	token := o.getenv("RSERVICE_TOKEN")
	var opts []rservice.Option
	if token != "" {
		src.live = true
		if account := o.getenv("RSERVICE_ACCOUNT"); account != "" {
			opts = append(opts, rservice.WithAccount(account))
		}
		if base := o.getenv("RSERVICE_BASE_URL"); base != "" {
			opts = append(opts, rservice.WithBaseURL(base))
		}
	} else {
		srv := rservicetest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.secrets.Add(token)
		opts = append(opts, rservice.WithBaseURL(srv.URL))
	}
	opts = append(opts, rservice.WithLogger(o.logger))
	if o.httpClient != nil {
		opts = append(opts, rservice.WithHTTPClient(o.httpClient))
	}
	c, err := rservice.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context, limit int) ([]row, error) {
		lo := &rservice.ListOptions{Sort: []string{"name"}}
		if limit > 0 && limit < 100 {
			lo.PerPage = limit
		}
		return collect(c.Organizations.All(ctx, lo), limit, func(org *rservice.Organization) row {
			return row{Provider: "rservice", ID: strconv.FormatInt(org.ID, 10), Name: org.Name,
				Extra: []string{refName(org.Parent), refName(org.Manager)}}
		})
	}
	return src, nil
}

func refName(r *rservice.Reference) string {
	if r == nil {
		return "-"
	}
	return r.Name
}
