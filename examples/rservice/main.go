// Command rservice lists R-Service organizations with a view, filters and a
// sort, shows one, and creates or updates one from flags.
//
// With RSERVICE_TOKEN and RSERVICE_ACCOUNT set it talks to the live API
// (RSERVICE_BASE_URL overrides https://api.r-service.tech/v1/); with none of
// them set, to an in-memory fake (rservicetest), so it runs anywhere.
//
//	go run ./examples/rservice -view enabled -filter 'created_at>=2016-04-10' -sort -created_at -limit 5
//	go run ./examples/rservice -get 50
//	go run ./examples/rservice -create 'Widget Europe' -order-template 30 -parent 6 -region EMEA
//	go run ./examples/rservice -update 50 -region EMEA -clear substitute,remarks
//	go run ./examples/rservice -addresses 50
//	go run ./examples/rservice -add-address 50 'label=street,address=1 Main St,city=Albany,state=NY,zip=12201,country=US'
//	go run ./examples/rservice -children 51 -view disabled -limit 3
//
// -add-address takes the address as key=value pairs after the flags (or
// among them), separated by commas or given as separate arguments; the
// keys are label (street, mailing or billing; required), address, city,
// state, zip, country (ISO 3166 alpha-2) and integration (true or false).
// A comma inside a value is kept when what follows it is not key=, as in
// 'address=1 Main St, Suite 5'. An unknown key is a usage error (exit 2).
// -children lists an organization's direct children and takes -view
// (enabled or disabled), -filter, -sort and -fields like the list.
//
// Filters are field<op>value with op one of = != < <= > >= (an empty value
// with = or != means empty or present), or field~a,b,c for a list (~! for
// not in). Values are typed by field: id and parent are integers, disabled
// is a bool, created_at and updated_at take RFC 3339 times or yyyy-mm-dd.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/examples/internal/cli"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// flags are the program's own flags, beside the shared ones.
type flags struct {
	view, sortBy, fields                         string
	filters                                      multi
	get, update, parent, manager, substitute     int64
	addresses, addAddress, children              int64
	orderTemplate                                int64
	create, rename, region, remarks, financialID string
	disabled, clear                              string
}

func run(ctx context.Context, args []string, env cli.Env) (code int) {
	cmd := cli.New("rservice", "[-view V] [-filter F]... [-sort S] [-fields F] | -get ID | -create NAME | -update ID [write flags]\n"+
		"  | -addresses ID | -add-address ID label=street,address=...,city=... | -children ID [-view V] [-filter F]...", env, cli.RService)
	defer func() { code = cmd.Finish(code) }()
	cmd.TakesArgs = true // the pairs of -add-address
	var f flags
	fs := cmd.Flags
	fs.StringVar(&f.view, "view", "", "predefined filter: enabled, disabled, external, internal, trusted, directory, support_domain, managed_by_me")
	fs.Var(&f.filters, "filter", "field filter such as name=Widget, id>=44, parent~6,51 (repeatable)")
	fs.StringVar(&f.sortBy, "sort", "", "comma-separated sort fields, - for descending (e.g. -created_at,name)")
	fs.StringVar(&f.fields, "fields", "", "comma-separated fields to return")
	fs.Int64Var(&f.get, "get", 0, "organization `id` to show")
	fs.StringVar(&f.create, "create", "", "create an organization with this `name`")
	fs.Int64Var(&f.update, "update", 0, "organization `id` to update")
	fs.StringVar(&f.rename, "name", "", "new name (with -update)")
	fs.StringVar(&f.region, "region", "", "region to set")
	fs.StringVar(&f.remarks, "remarks", "", "remarks to set")
	fs.StringVar(&f.financialID, "financial-id", "", "financial ID to set")
	fs.Int64Var(&f.parent, "parent", 0, "parent organization `id` to set")
	fs.Int64Var(&f.manager, "manager", 0, "manager (person `id`) to set")
	fs.Int64Var(&f.substitute, "substitute", 0, "substitute (person `id`) to set")
	fs.Int64Var(&f.orderTemplate, "order-template", 0, "order template (request template `id`) to set; required with -create")
	fs.StringVar(&f.disabled, "disabled", "", "true or false")
	fs.Int64Var(&f.addresses, "addresses", 0, "list the addresses of the organization `id`")
	fs.Int64Var(&f.addAddress, "add-address", 0, "add an address to the organization `id`, given as key=value pairs:\nlabel (street, mailing, billing), address, city, state, zip, country, integration")
	fs.Int64Var(&f.children, "children", 0, "list the direct children of the organization `id` (with -view, -filter, -sort, -fields)")
	fs.StringVar(&f.clear, "clear", "", "comma-separated fields to clear: region, remarks, financialID, parent, manager, substitute")
	if code, ok := cmd.Parse(args); !ok {
		return code
	}
	modes := 0
	for _, set := range []bool{f.get != 0, f.create != "", f.update != 0, f.addresses != 0, f.addAddress != 0, f.children != 0} {
		if set {
			modes++
		}
	}
	if modes > 1 {
		return cmd.UsageError("use only one of -get, -create, -update, -addresses, -add-address and -children")
	}
	if len(cmd.Args) > 0 && f.addAddress == 0 {
		return cmd.UsageError("unexpected argument %q", cmd.Args[0])
	}
	var in *rservice.OrganizationInput
	if f.create != "" || f.update != 0 {
		var err error
		if in, err = f.input(); err != nil {
			return cmd.UsageError("%v", err)
		}
	}
	lo := &rservice.ListOptions{View: rservice.View(f.view), PerPage: cmd.PageSize(100), Sort: splitList(f.sortBy), Fields: splitList(f.fields)}
	for _, v := range f.filters {
		flt, err := parseFilter(v)
		if err != nil {
			return cmd.UsageError("%v", err)
		}
		lo.Filters = append(lo.Filters, flt)
	}

	live, err := cli.RService.Resolve(cmd.Getenv)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	s := cmd.Session("rservice")
	token := cmd.Getenv("RSERVICE_TOKEN")
	opts := []rservice.Option{rservice.WithLogger(cmd.Logger), rservice.WithHTTPClient(s.HTTPClient)}
	if !live {
		srv := rservicetest.NewServer()
		defer srv.Close()
		token = srv.Token
		cmd.Secrets.Add(token)
		opts = append(opts, rservice.WithBaseURL(srv.URL), rservice.WithAccount(srv.Account))
		cmd.Infof("rservice: RSERVICE_TOKEN not set: using the in-memory fake server")
	} else {
		opts = append(opts, rservice.WithAccount(cmd.Getenv("RSERVICE_ACCOUNT")))
		if base := cmd.Getenv("RSERVICE_BASE_URL"); base != "" {
			opts = append(opts, rservice.WithBaseURL(base))
		}
	}
	opts = append(opts, rservice.WithPrefetch(cmd.Prefetch))
	c, err := rservice.NewClient(token, opts...)
	if err != nil {
		cmd.Errorf("%v", err)
		return cli.ExitError
	}
	s.RedactWith(c.Redact)
	if err := work(ctx, cmd, s, c, &f, in, lo); err != nil {
		return s.Fail(err)
	}
	return cli.ExitOK
}

// input builds the write payload of -create or -update.
func (f *flags) input() (*rservice.OrganizationInput, error) {
	in := &rservice.OrganizationInput{}
	if f.create != "" {
		in.Name = rservice.Set(f.create)
	} else if f.rename != "" {
		in.Name = rservice.Set(f.rename)
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
	setText(&in.Region, f.region)
	setText(&in.Remarks, f.remarks)
	setText(&in.FinancialID, f.financialID)
	setID(&in.ParentID, f.parent)
	setID(&in.ManagerID, f.manager)
	setID(&in.SubstituteID, f.substitute)
	setID(&in.OrderTemplateID, f.orderTemplate)
	if f.disabled != "" {
		b, err := strconv.ParseBool(f.disabled)
		if err != nil {
			return nil, fmt.Errorf("-disabled %q: want true or false", f.disabled)
		}
		in.Disabled = rservice.Set(b)
	}
	if err := applyClear(in, f.clear); err != nil {
		return nil, err
	}
	return in, nil
}

func work(ctx context.Context, cmd *cli.Command, s *cli.Session, c *rservice.Client, f *flags, in *rservice.OrganizationInput, lo *rservice.ListOptions) error {
	var org *rservice.Organization
	var err error
	switch {
	case f.addresses != 0:
		return listAddresses(ctx, cmd, s, c, f.addresses)
	case f.addAddress != 0:
		in, err := addressInput(cmd.Args)
		if err != nil {
			return err
		}
		a, _, err := c.Organizations.CreateAddress(ctx, f.addAddress, in)
		if err != nil {
			return err
		}
		return printOne(cmd, a)
	case f.children != 0:
		return listChildren(ctx, cmd, s, c, f.children, lo)
	case f.get != 0:
		org, _, err = c.Organizations.Get(ctx, f.get)
	case f.create != "":
		org, _, err = c.Organizations.Create(ctx, in)
	case f.update != 0:
		org, _, err = c.Organizations.Update(ctx, f.update, in)
	default:
		return list(ctx, cmd, s, c, lo)
	}
	if err != nil {
		return err
	}
	return printOne(cmd, org)
}

// printOne prints one record: a line with -json, indented JSON without.
func printOne(cmd *cli.Command, v any) error {
	if cmd.JSON {
		return cmd.PrintJSON(v)
	}
	enc := json.NewEncoder(cmd.Stdout())
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// addressKeys are the keys -add-address takes, in the order -h lists them.
var addressKeys = []string{"label", "address", "city", "state", "zip", "country", "integration"}

// addressInput reads -add-address's key=value pairs. An unknown key or a
// bad value is an rservice.ErrInvalidArgument, so the run ends as a usage
// error (exit 2) before anything is sent; what the SDK checks itself (a
// label is required, a country has two letters) it checks.
func addressInput(args []string) (*rservice.AddressInput, error) {
	in := &rservice.AddressInput{}
	seen := map[string]bool{}
	for _, pair := range splitPairs(args) {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%w: -add-address: %q is not key=value", rservice.ErrInvalidArgument, pair)
		}
		k = strings.TrimSpace(k)
		if seen[k] {
			return nil, fmt.Errorf("%w: -add-address: %s given twice", rservice.ErrInvalidArgument, k)
		}
		seen[k] = true
		text := map[string]*rservice.Optional[string]{"label": &in.Label, "address": &in.Address, "city": &in.City,
			"state": &in.State, "zip": &in.Zip, "country": &in.Country}
		switch {
		case text[k] != nil:
			*text[k] = rservice.Set(v)
		case k == "integration":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("%w: -add-address: integration=%q: want true or false", rservice.ErrInvalidArgument, v)
			}
			in.Integration = rservice.Set(b)
		default:
			return nil, fmt.Errorf("%w: -add-address: unknown key %q (keys: %s)", rservice.ErrInvalidArgument, k, strings.Join(addressKeys, ", "))
		}
	}
	return in, nil
}

// splitPairs splits each argument at the commas that start a new key=
// pair; a comma followed by anything else belongs to the value.
func splitPairs(args []string) []string {
	var out []string
	for _, arg := range args {
		for i, piece := range strings.Split(arg, ",") {
			if i > 0 && !startsPair(piece) {
				out[len(out)-1] += "," + piece
				continue
			}
			out = append(out, piece)
		}
	}
	return out
}

// startsPair reports whether s begins with a key (letters and _) and =.
func startsPair(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

func listAddresses(ctx context.Context, cmd *cli.Command, s *cli.Session, c *rservice.Client, orgID int64) error {
	seq := c.Organizations.AllAddresses(ctx, orgID, &rservice.ListOptions{PerPage: cmd.PageSize(rservice.MaxPerPage)})
	return walk(cmd, s, seq, "addresses", func(a *rservice.Address) error {
		if cmd.JSON {
			return cmd.PrintJSON(a)
		}
		var parts []string
		for _, p := range []string{a.Address, a.City, strings.TrimSpace(a.State + " " + a.Zip), a.Country} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		_, err := fmt.Fprintf(cmd.Stdout(), "%d\t%s\t%s\n", a.ID, a.Label, strings.Join(parts, ", "))
		return err
	})
}

func listChildren(ctx context.Context, cmd *cli.Command, s *cli.Session, c *rservice.Client, orgID int64, lo *rservice.ListOptions) error {
	return walk(cmd, s, c.Organizations.AllChildren(ctx, orgID, lo), "children", func(org *rservice.Organization) error { return printRow(cmd, org) })
}

// walk prints every record seq yields, up to -limit, with progress, and
// says how many it listed.
func walk[T any](cmd *cli.Command, s *cli.Session, seq iter.Seq2[*T, error], what string, print func(*T) error) error {
	n := 0
	defer s.Done()
	for v, err := range seq {
		if err != nil {
			return err
		}
		n++
		s.Item()
		if err := print(v); err != nil {
			return err
		}
		if cmd.Enough(n) {
			break
		}
	}
	cmd.Infof("rservice: %d %s listed", n, what)
	return nil
}

// printRow prints one organization of a list: a JSON line with -json,
// else id, name and parent's name.
func printRow(cmd *cli.Command, org *rservice.Organization) error {
	if cmd.JSON {
		return cmd.PrintJSON(org)
	}
	parentName := "-"
	if org.Parent != nil {
		parentName = org.Parent.Name
	}
	_, err := fmt.Fprintf(cmd.Stdout(), "%d\t%s\t%s\n", org.ID, org.Name, parentName)
	return err
}

func list(ctx context.Context, cmd *cli.Command, s *cli.Session, c *rservice.Client, lo *rservice.ListOptions) error {
	return walk(cmd, s, c.Organizations.All(ctx, lo), "organizations", func(org *rservice.Organization) error { return printRow(cmd, org) })
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
