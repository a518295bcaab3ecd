package orgsdk_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/commvault/commvaulttest"
	"github.com/orgsdk/orgsdk/jsonapi"
	"github.com/orgsdk/orgsdk/jsonapi/jsonapitest"
	"github.com/orgsdk/orgsdk/readycloud"
	"github.com/orgsdk/orgsdk/readycloud/readycloudtest"
	"github.com/orgsdk/orgsdk/rservice"
	"github.com/orgsdk/orgsdk/rservice/rservicetest"
)

// A provider of the family: its package, its fake's, and what only that
// fake exports. What is the same concept in every fake must have the same
// name and signature in every fake; a name only one fake has is listed here,
// so that adding one is a choice (list it, or give it to all four).
var family = []struct {
	provider, fake string
	own            []string
}{
	{"readycloud", "readycloud/readycloudtest", []string{
		"DefaultLimit", "MaxLimit", "Plan", "FreePlan", "ProPlan",
		"WithRelativeLinks", "Server.SetRelativeLinks",
	}},
	{"rservice", "rservice/rservicetest", []string{
		"WithRateLimit", "Server.SetRateLimit", "Server.Account", "Server.APIUserID",
	}},
	{"commvault", "commvault/commvaulttest", []string{
		"DefaultUsername", "DefaultPassword", "TokenDeviceID", "DefaultIdleTimeout", "DefaultPlan",
		"WithCredentials", "WithIdleTimeout", "Server.Username", "Server.Password",
		"Server.Logins", "Server.Renewals", "Server.Sessions", "Server.SetIdleTimeout",
		"Server.ExpireTokens", "Server.LockAccount",
		"WithoutListPaging",
	}},
	{"jsonapi", "jsonapi/jsonapitest", []string{
		"LinksMode", "LinksNone", "LinksAbsolute", "LinksRelative", "LinksObject",
		"WithLinks", "WithoutPaginationMeta", "Server.SetLinks", "Server.SetPaginationMeta",
		"PersonID", "Account", "Server.AddOrganizationAccount", "Server.OrganizationAccount",
		"Server.OrganizationAccounts", "Server.SetAdmin",
	}},
}

// shared is the API every fake has, as go doc prints it; $ID stands for the
// type of the provider's Organization.ID, the one thing besides
// Organization itself that differs by provider.
var shared = map[string]string{
	"Prefix":               "const",
	"Option":               "type func(*Server)",
	"Fault":                "type struct",
	"Request":              "type struct",
	"Organization":         "", // the client's type or the fake's own: checked below
	"Server":               "type struct",
	"Server.URL":           "string",
	"Server.Token":         "string",
	"NewServer":            "func(opts ...Option) *Server",
	"WithToken":            "func(token string) Option",
	"WithoutSeed":          "func() Option",
	"Server.Add":           "func(org Organization) $ID",
	"Server.Organization":  "func(id $ID) (Organization, bool)",
	"Server.Organizations": "func() []Organization",
	"Server.Clear":         "func()",
	"Server.Reset":         "func()",
	"Server.Close":         "func()",
	"Server.InjectFault":   "func(f Fault)",
	"Server.Hits":          "func() int",
	"Server.HitsFor":       "func(method, path string) int",
	"Server.Requests":      "func() []Request",
}

// docPackage reads the exported API of the package in dir, as go doc
// shows it.
func docPackage(t *testing.T, dir string) (*doc.Package, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	require.NoError(t, err)
	require.Len(t, pkgs, 1, dir)
	for _, p := range pkgs {
		return doc.New(p, dir, 0), fset
	}
	return nil, nil
}

func nodeText(t *testing.T, fset *token.FileSet, n ast.Node) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, printer.Fprint(&b, fset, n))
	return b.String()
}

// exports lists a fake's exported names ("Name", "Server.Method",
// "Server.Field") with what go doc shows of each: a function's signature,
// a field's type, a type's kind.
func exports(t *testing.T, p *doc.Package, fset *token.FileSet) map[string]string {
	t.Helper()
	out := map[string]string{}
	values := func(vs []*doc.Value, kind string) {
		for _, v := range vs {
			for _, n := range v.Names {
				if token.IsExported(n) {
					out[n] = kind
				}
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			out[prefix+f.Name] = nodeText(t, fset, f.Decl.Type)
		}
	}
	values(p.Consts, "const")
	values(p.Vars, "var")
	funcs("", p.Funcs)
	for _, typ := range p.Types {
		spec := typ.Decl.Specs[0].(*ast.TypeSpec)
		kind := "type"
		switch x := spec.Type.(type) {
		case *ast.StructType:
			if spec.Assign == token.NoPos {
				kind = "type struct"
			}
			if typ.Name == "Server" {
				for _, f := range x.Fields.List {
					for _, n := range f.Names {
						if n.IsExported() {
							out["Server."+n.Name] = nodeText(t, fset, f.Type)
						}
					}
				}
			}
		case *ast.FuncType:
			kind = "type " + nodeText(t, fset, x)
		}
		out[typ.Name] = kind
		values(typ.Consts, "const")
		values(typ.Vars, "var")
		funcs("", typ.Funcs)
		funcs(typ.Name+".", typ.Methods)
	}
	return out
}

// idType returns the type of the exported field ID of the provider's
// Organization, failing when there is none: the identity of an
// organization is that field in every provider, filled at decode, never a
// method.
func idType(t *testing.T, provider string) string {
	t.Helper()
	p, fset := docPackage(t, provider)
	for _, typ := range p.Types {
		if typ.Name != "Organization" {
			continue
		}
		for _, m := range typ.Methods {
			assert.NotContains(t, []string{"ID", "PK", "Key"}, m.Name, "%s: the identity is the field ID, not a method", provider)
		}
		st, ok := typ.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType)
		require.True(t, ok, "%s.Organization is a struct", provider)
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				if n.Name == "ID" {
					return nodeText(t, fset, f.Type)
				}
			}
		}
		t.Fatalf("%s.Organization has no field ID", provider)
	}
	t.Fatalf("%s has no Organization type", provider)
	return ""
}

// TestFakesShareOneAPI: the four fakes export the same names with the same
// signatures (the organization and id types aside), each provider's
// Organization has the field ID its fake's Add returns, and common.go, which
// holds the shared types so that go doc of each fake shows their fields, is
// the same file in all four.
func TestFakesShareOneAPI(t *testing.T) {
	t.Parallel()
	var common []byte
	owners := map[string][]string{}
	for _, f := range family {
		t.Run(f.provider, func(t *testing.T) {
			id := idType(t, f.provider)
			p, fset := docPackage(t, f.fake)
			got := exports(t, p, fset)
			for name, want := range shared {
				want = strings.ReplaceAll(want, "$ID", id)
				if assert.Contains(t, got, name, "%s lacks %s, which every fake has", f.fake, name) && want != "" {
					assert.Equal(t, want, got[name], "%s.%s", f.fake, name)
				}
			}
			for name := range got {
				owners[name] = append(owners[name], f.provider)
				_, isShared := shared[name]
				assert.True(t, isShared || slices.Contains(f.own, name),
					"%s exports %s, which is neither in every fake nor listed as %s's own: give it to all four fakes, or list it in family",
					f.fake, name, f.provider)
			}
			for _, name := range f.own {
				assert.Contains(t, got, name, "%s no longer exports %s: update family", f.fake, name)
			}

			// The fake's Organization is the client's own type or a struct
			// of the fake's with the same ID.
			for _, typ := range p.Types {
				if typ.Name != "Organization" {
					continue
				}
				spec := typ.Decl.Specs[0].(*ast.TypeSpec)
				if spec.Assign != token.NoPos {
					assert.Equal(t, f.provider+".Organization", nodeText(t, fset, spec.Type))
					continue
				}
				fakeID := ""
				for _, fl := range spec.Type.(*ast.StructType).Fields.List {
					for _, n := range fl.Names {
						if n.Name == "ID" {
							fakeID = nodeText(t, fset, fl.Type)
						}
					}
				}
				assert.Equal(t, id, fakeID, "%s.Organization.ID has the client's type", f.fake)
			}

			src, err := os.ReadFile(filepath.Join(f.fake, "common.go"))
			require.NoError(t, err)
			_, body, ok := bytes.Cut(src, []byte("\n"))
			require.True(t, ok)
			if common == nil {
				common = body
			}
			if line, want, got := firstDiff(common, body); line > 0 {
				t.Errorf("%s/common.go differs from %s/common.go but for its package clause, first at line %d:\n want %q\n  got %q",
					f.fake, family[0].fake, line+1, want, got)
			}
		})
	}
	for name, who := range owners {
		_, isShared := shared[name]
		assert.True(t, isShared || len(who) == 1, "%s is in %v: a concept in two fakes must be in all four, with one signature", name, who)
	}
}

// firstDiff returns the first line (counted from 1) where a and b differ,
// with both versions of it; 0 when they are the same.
func firstDiff(a, b []byte) (line int, inA, inB string) {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range max(len(la), len(lb)) {
		x, y := "", ""
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y || i >= len(la) || i >= len(lb) {
			return i + 1, x, y
		}
	}
	return 0, "", ""
}

// fakeAPI is the shared part of every fake as Go sees it: that the four
// satisfy it (checked where each is used below) is the compile-time half of
// TestFakesShareOneAPI.
type fakeAPI[O any, ID comparable] interface {
	Add(org O) ID
	Organization(id ID) (O, bool)
	Organizations() []O
	Clear()
	Reset()
	Close()
	Hits() int
	HitsFor(method, path string) int
}

// fakeCase runs the shared behaviour against one fake: a seeded server and
// one started WithoutSeed, how to make an organization with an id (zero
// for a new one) and a name, how to read them back, and how a client of
// the provider reads one (its ID field and name).
type fakeCase[O any, ID comparable] struct {
	seeded, empty fakeAPI[O, ID]
	make          func(id ID, name string) O
	idOf          func(O) ID
	nameOf        func(O) string
	get           func(ctx context.Context, id ID) (ID, string, error)
}

func (fc fakeCase[O, ID]) run(t *testing.T) {
	defer fc.seeded.Close()
	defer fc.empty.Close()
	var zero ID
	names := func(s fakeAPI[O, ID]) []string {
		var out []string
		for _, o := range s.Organizations() {
			out = append(out, fc.nameOf(o))
		}
		return out
	}

	seed := fc.seeded.Organizations()
	require.NotEmpty(t, seed)
	for _, o := range seed {
		got, ok := fc.seeded.Organization(fc.idOf(o))
		require.True(t, ok)
		assert.Equal(t, fc.nameOf(o), fc.nameOf(got))
	}
	assert.Empty(t, fc.empty.Organizations(), "WithoutSeed")

	first := fc.empty.Add(fc.make(zero, "A"))
	assert.NotEqual(t, zero, first, "a zero id gets a new one")
	assert.Equal(t, first, fc.empty.Add(fc.make(first, "B")), "a taken id replaces")
	second := fc.empty.Add(fc.make(zero, "C"))
	assert.NotEqual(t, first, second)
	assert.Equal(t, []string{"B", "C"}, names(fc.empty), "replaced in place; new ones come last")
	got, ok := fc.empty.Organization(second)
	require.True(t, ok)
	assert.Equal(t, "C", fc.nameOf(got))

	// What the fake holds is what a client reads, its ID field included.
	clientID, name, err := fc.get(t.Context(), first)
	require.NoError(t, err)
	assert.Equal(t, first, clientID)
	assert.Equal(t, "B", name)
	assert.Positive(t, fc.empty.Hits())

	fc.empty.Clear()
	assert.Empty(t, fc.empty.Organizations())
	assert.Equal(t, first, fc.empty.Add(fc.make(zero, "D")), "after Clear the ids start again")
	fc.empty.Reset()
	assert.Empty(t, fc.empty.Organizations(), "Reset keeps WithoutSeed")
	assert.Zero(t, fc.empty.Hits())

	fc.seeded.Add(fc.make(zero, "Extra"))
	fc.seeded.Clear()
	assert.Empty(t, fc.seeded.Organizations())
	fc.seeded.Reset()
	assert.Equal(t, len(seed), len(fc.seeded.Organizations()), "Reset brings the seed back")
}

// TestFakesBehaveAlike: the shared API does the same in every fake.
func TestFakesBehaveAlike(t *testing.T) {
	t.Parallel()
	wait := time.Millisecond
	t.Run("readycloud", func(t *testing.T) {
		t.Parallel()
		empty := readycloudtest.NewServer(readycloudtest.WithoutSeed())
		c, err := readycloud.NewClient(empty.Token, readycloud.WithBaseURL(empty.URL), readycloud.WithRetryWait(wait, wait))
		require.NoError(t, err)
		fakeCase[readycloudtest.Organization, string]{
			seeded: readycloudtest.NewServer(), empty: empty,
			make: func(id, name string) readycloudtest.Organization {
				return readycloudtest.Organization{ID: id, Name: name}
			},
			idOf:   func(o readycloudtest.Organization) string { return o.ID },
			nameOf: func(o readycloudtest.Organization) string { return o.Name },
			get: func(ctx context.Context, id string) (string, string, error) {
				o, _, err := c.Organizations.Get(ctx, id)
				if err != nil {
					return "", "", err
				}
				return o.ID, o.Name, nil
			},
		}.run(t)
	})
	t.Run("rservice", func(t *testing.T) {
		t.Parallel()
		empty := rservicetest.NewServer(rservicetest.WithoutSeed())
		c, err := rservice.NewClient(empty.Token, rservice.WithBaseURL(empty.URL), rservice.WithRetryWait(wait, wait))
		require.NoError(t, err)
		fakeCase[rservicetest.Organization, int64]{
			seeded: rservicetest.NewServer(), empty: empty,
			make: func(id int64, name string) rservicetest.Organization {
				return rservicetest.Organization{ID: id, Name: name}
			},
			idOf:   func(o rservicetest.Organization) int64 { return o.ID },
			nameOf: func(o rservicetest.Organization) string { return o.Name },
			get: func(ctx context.Context, id int64) (int64, string, error) {
				o, _, err := c.Organizations.Get(ctx, id)
				if err != nil {
					return 0, "", err
				}
				return o.ID, o.Name, nil
			},
		}.run(t)
	})
	t.Run("commvault", func(t *testing.T) {
		t.Parallel()
		empty := commvaulttest.NewServer(commvaulttest.WithoutSeed())
		c, err := commvault.NewClient(empty.URL, commvault.WithToken(empty.Token), commvault.WithRetryWait(wait, wait))
		require.NoError(t, err)
		fakeCase[commvaulttest.Organization, int]{
			seeded: commvaulttest.NewServer(), empty: empty,
			make: func(id int, name string) commvaulttest.Organization {
				return commvaulttest.Organization{ID: id, Name: name}
			},
			idOf:   func(o commvaulttest.Organization) int { return o.ID },
			nameOf: func(o commvaulttest.Organization) string { return o.Name },
			get: func(ctx context.Context, id int) (int, string, error) {
				o, _, err := c.Organizations.Get(ctx, id)
				if err != nil {
					return 0, "", err
				}
				return o.Organization.ID, o.Organization.Name, nil
			},
		}.run(t)
	})
	t.Run("jsonapi", func(t *testing.T) {
		t.Parallel()
		empty := jsonapitest.NewServer(jsonapitest.WithoutSeed())
		c, err := jsonapi.NewClient(empty.Token, jsonapi.WithBaseURL(empty.URL), jsonapi.WithRetryWait(wait, wait))
		require.NoError(t, err)
		fakeCase[jsonapitest.Organization, string]{
			seeded: jsonapitest.NewServer(), empty: empty,
			make:   func(id, name string) jsonapitest.Organization { return jsonapitest.Organization{ID: id, Name: name} },
			idOf:   func(o jsonapitest.Organization) string { return o.ID },
			nameOf: func(o jsonapitest.Organization) string { return o.Name },
			get: func(ctx context.Context, id string) (string, string, error) {
				o, _, err := c.Organizations.Get(ctx, id)
				if err != nil {
					return "", "", err
				}
				return o.ID, o.Name, nil
			},
		}.run(t)
	})
}
