package orgs_test

import (
	"context"
	"iter"
	"strconv"

	"github.com/orgsdk/orgsdk/orgs/driver"
)

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// brokenDriver hands back org (nil by default) for every call.
type brokenDriver struct{ org *driverOrg }

type driverOrg = driver.Organization

func (d *brokenDriver) Provider() string { return "broken" }
func (d *brokenDriver) MaxPageSize() int { return 0 }
func (d *brokenDriver) All(context.Context, *driver.ListOptions) iter.Seq2[*driver.Organization, error] {
	return func(yield func(*driver.Organization, error) bool) { yield(d.org, nil) }
}
func (d *brokenDriver) Get(context.Context, string) (*driver.Organization, error) { return d.org, nil }
func (d *brokenDriver) As(any) bool                                               { return false }
