// Command rservice lists R-Service organizations with a view, filters and a
// sort, shows one, and creates or updates one from flags.
//
// With RSERVICE_TOKEN set it talks to the live API (RSERVICE_ACCOUNT picks
// the account, RSERVICE_BASE_URL overrides https://api.r-service.tech/v1/);
// without it, to an in-memory fake (rservicetest), so it runs anywhere.
//
//	go run ./examples/rservice -view enabled -filter 'created_at>=2016-04-10' -sort -created_at -max 5
//	go run ./examples/rservice -get 50
//	go run ./examples/rservice -create 'Widget Europe' -order-template 30 -parent 6 -region EMEA
//	go run ./examples/rservice -update 50 -region EMEA -clear substitute,remarks
//
// Filters are field<op>value with op one of = != < <= > >= (an empty value
// with = or != means empty or present), or field~a,b,c for a list (~! for
// not in). Values are typed by field: id and parent are integers, disabled
// is a bool, created_at and updated_at take RFC 3339 times or yyyy-mm-dd.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "rservice:", err)
		}
		os.Exit(1)
	}
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rservice", flag.ContinueOnError)
	fs.SetOutput(stderr)
	view := fs.String("view", "", "predefined filter: enabled, disabled, external, internal, trusted, directory, support_domain, managed_by_me")
	var filters multi
	fs.Var(&filters, "filter", "field filter such as name=Widget, id>=44, parent~6,51 (repeatable)")
	sortBy := fs.String("sort", "", "comma-separated sort fields, - for descending (e.g. -created_at,name)")
	fields := fs.String("fields", "", "comma-separated fields to return")
	perPage := fs.Int("per-page", 0, "page size 1..100 (0: 100)")
	maxOrgs := fs.Int("max", 20, "list at most this many organizations (0: all)")
	get := fs.Int64("get", 0, "organization id to show")
	create := fs.String("create", "", "create an organization with this name")
	update := fs.Int64("update", 0, "organization id to update")
	rename := fs.String("name", "", "new name (with -update)")
	region := fs.String("region", "", "region to set")
	remarks := fs.String("remarks", "", "remarks to set")
	financialID := fs.String("financial-id", "", "financial ID to set")
	parent := fs.Int64("parent", 0, "parent organization id to set")
	manager := fs.Int64("manager", 0, "manager (person id) to set")
	substitute := fs.Int64("substitute", 0, "substitute (person id) to set")
	orderTemplate := fs.Int64("order-template", 0, "order template (request template id) to set; required with -create")
	disabled := fs.String("disabled", "", "true or false")
	clear := fs.String("clear", "", "comma-separated fields to clear: region, remarks, financialID, parent, manager, substitute")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *maxOrgs < 0 {
		return fmt.Errorf("-max %d is negative", *maxOrgs)
	}
	modes := 0
	for _, set := range []bool{*get != 0, *create != "", *update != 0} {
		if set {
			modes++
		}
	}
	if modes > 1 {
		return errors.New("use only one of -get, -create and -update")
	}

	token := env("RSERVICE_TOKEN")
	var opts []rservice.Option
	if token == "" {
		srv := rservicetest.NewServer()
		defer srv.Close()
		token = srv.Token
		opts = append(opts, rservice.WithBaseURL(srv.URL), rservice.WithAccount(srv.Account))
		fmt.Fprintln(stderr, "RSERVICE_TOKEN not set: using the in-memory fake server")
	} else {
		if base := env("RSERVICE_BASE_URL"); base != "" {
			opts = append(opts, rservice.WithBaseURL(base))
		}
		if acc := env("RSERVICE_ACCOUNT"); acc != "" {
			opts = append(opts, rservice.WithAccount(acc))
		}
	}
	c, err := rservice.NewClient(token, opts...)
	if err != nil {
		return err
	}

	switch {
	case *get != 0:
		org, _, err := c.Organizations.Get(ctx, *get)
		if err != nil {
			return err
		}
		return printJSON(stdout, org)
	case *create != "" || *update != 0:
		in := &rservice.OrganizationInput{}
		if *create != "" {
			in.Name = rservice.Set(*create)
		} else if *rename != "" {
			in.Name = rservice.Set(*rename)
		}
		setText := func(o *rservice.Optional[string], v string) {
			if v != "" {
				*o = rservice.Set(v)
			}
		}
		setID := func(o *rservice.Optional[int64], v int64) {
			if v != 0 {
				*o = rservice.Set(v)
			}
		}
		setText(&in.Region, *region)
		setText(&in.Remarks, *remarks)
		setText(&in.FinancialID, *financialID)
		setID(&in.ParentID, *parent)
		setID(&in.ManagerID, *manager)
		setID(&in.SubstituteID, *substitute)
		setID(&in.OrderTemplateID, *orderTemplate)
		if *disabled != "" {
			b, err := strconv.ParseBool(*disabled)
			if err != nil {
				return fmt.Errorf("-disabled %q: want true or false", *disabled)
			}
			in.Disabled = rservice.Set(b)
		}
		if err := applyClear(in, *clear); err != nil {
			return err
		}
		var org *rservice.Organization
		if *create != "" {
			org, _, err = c.Organizations.Create(ctx, in)
		} else {
			org, _, err = c.Organizations.Update(ctx, *update, in)
		}
		if err != nil {
			return err
		}
		return printJSON(stdout, org)
	}

	lo := &rservice.ListOptions{View: rservice.View(*view), PerPage: *perPage}
	for _, f := range filters {
		flt, err := parseFilter(f)
		if err != nil {
			return err
		}
		lo.Filters = append(lo.Filters, flt)
	}
	lo.Sort = splitList(*sortBy)
	lo.Fields = splitList(*fields)
	n := 0
	for org, err := range c.Organizations.All(ctx, lo) {
		if err != nil {
			return err
		}
		parentName := "-"
		if org.Parent != nil {
			parentName = org.Parent.Name
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\n", org.ID, org.Name, parentName)
		n++
		if *maxOrgs > 0 && n >= *maxOrgs {
			break
		}
	}
	fmt.Fprintf(stderr, "%d organizations\n", n)
	return nil
}

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func applyClear(in *rservice.OrganizationInput, list string) error {
	for _, f := range splitList(list) {
		switch f {
		case "region":
			in.Region = rservice.Null[string]()
		case "remarks":
			in.Remarks = rservice.Null[string]()
		case "financialID":
			in.FinancialID = rservice.Null[string]()
		case "parent":
			in.ParentID = rservice.Null[int64]()
		case "manager":
			in.ManagerID = rservice.Null[int64]()
		case "substitute":
			in.SubstituteID = rservice.Null[int64]()
		default:
			return fmt.Errorf("-clear: cannot clear %q", f)
		}
	}
	return nil
}

// parseFilter reads the command line's filter syntax.
func parseFilter(s string) (rservice.Filter, error) {
	i := strings.IndexAny(s, "=!<>~")
	if i <= 0 {
		return rservice.Filter{}, fmt.Errorf("-filter %q: want field<op>value", s)
	}
	field, rest := s[:i], s[i:]
	var op string
	for _, candidate := range []string{"~!", "!=", "<=", ">=", "=", "<", ">", "~"} {
		if strings.HasPrefix(rest, candidate) {
			op = candidate
			break
		}
	}
	if op == "" {
		return rservice.Filter{}, fmt.Errorf("-filter %q: unknown operator", s)
	}
	value := rest[len(op):]
	switch {
	case op == "=" && value == "":
		return rservice.Empty(field), nil
	case op == "!=" && value == "":
		return rservice.Present(field), nil
	}
	switch field {
	case "id", "parent":
		if op == "~" || op == "~!" {
			var ids []int64
			for _, p := range strings.Split(value, ",") {
				n, err := strconv.ParseInt(p, 10, 64)
				if err != nil {
					return rservice.Filter{}, fmt.Errorf("-filter %q: %q is not an integer", s, p)
				}
				ids = append(ids, n)
			}
			return build(op, field, ids...), nil
		}
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return rservice.Filter{}, fmt.Errorf("-filter %q: %q is not an integer", s, value)
		}
		return build(op, field, n), nil
	case "disabled":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return rservice.Filter{}, fmt.Errorf("-filter %q: %q is not a bool", s, value)
		}
		return build(op, field, b), nil
	case "created_at", "updated_at":
		if t, err := time.Parse(time.RFC3339, value); err == nil {
			return build(op, field, t), nil
		}
		d, err := time.Parse(time.DateOnly, value)
		if err != nil {
			return rservice.Filter{}, fmt.Errorf("-filter %q: want an RFC 3339 time or yyyy-mm-dd", s)
		}
		return build(op, field, rservice.DateOf(d)), nil
	}
	if op == "~" || op == "~!" {
		return build(op, field, strings.Split(value, ",")...), nil
	}
	return build(op, field, value), nil
}

func build[V rservice.Value](op, field string, vs ...V) rservice.Filter {
	switch op {
	case "~":
		return rservice.In(field, vs...)
	case "~!":
		return rservice.NotIn(field, vs...)
	case "!=":
		return rservice.NotEq(field, vs[0])
	case "<":
		return rservice.Lt(field, vs[0])
	case "<=":
		return rservice.Lte(field, vs[0])
	case ">":
		return rservice.Gt(field, vs[0])
	case ">=":
		return rservice.Gte(field, vs[0])
	}
	return rservice.Eq(field, vs[0])
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
