package main

import (
	"context"
	"strconv"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// openRService lists R-Service organizations with their parent and manager.
func openRService(o options) (*source, error) {
	src := &source{name: "rservice", live: o.live, columns: []string{"PARENT", "MANAGER"}}
	token := o.cmd.Getenv("RSERVICE_TOKEN")
	var opts []rservice.Option
	if o.live {
		opts = append(opts, rservice.WithAccount(o.cmd.Getenv("RSERVICE_ACCOUNT")))
		if base := o.cmd.Getenv("RSERVICE_BASE_URL"); base != "" {
			opts = append(opts, rservice.WithBaseURL(base))
		}
	} else {
		srv := rservicetest.NewServer()
		src.close = srv.Close
		token = srv.Token
		o.cmd.Secrets.Add(token)
		opts = append(opts, rservice.WithBaseURL(srv.URL), rservice.WithAccount(srv.Account))
	}
	opts = append(opts, rservice.WithLogger(o.cmd.Logger), rservice.WithHTTPClient(o.session.HTTPClient))
	c, err := rservice.NewClient(token, opts...)
	if err != nil {
		if src.close != nil {
			src.close()
		}
		return nil, err
	}
	src.list = func(ctx context.Context) ([]row, error) {
		lo := &rservice.ListOptions{Sort: []string{"name"}, PerPage: o.cmd.PageSize(100)}
		return collect(o, c.Organizations.All(ctx, lo), func(org *rservice.Organization) row {
			return row{Provider: "rservice", ID: strconv.FormatInt(org.ID, 10), Name: org.Name,
				Extra: []*string{refName(org.Parent), refName(org.Manager)}}
		})
	}
	return src, nil
}

func refName(r *rservice.Reference) *string {
	if r == nil {
		return nil
	}
	return text(r.Name)
}
