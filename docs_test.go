package orgsdk_test

// The tests of this file make the docs fail a test when they drift from
// the code (issue 24, item 3): every option states its default, every code
// block of a package doc compiles, and the README's family table names only
// what each package exports.

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const modulePath = "github.com/orgsdk/orgsdk"

// sourcePackage is one directory's package, its parsed files and its doc.
type sourcePackage struct {
	dir   string
	files map[string]*ast.File // by file name, test files left out
	doc   *doc.Package
}

// loadPackages parses every package of the module (the nested examples/otel
// module and testdata left out), without its test files.
func loadPackages(t *testing.T) map[string]*sourcePackage {
	t.Helper()
	out := map[string]*sourcePackage{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
			return filepath.SkipDir
		}
		if path != "." {
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a module of its own
			}
		}
		fset := token.NewFileSet()
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		files := map[string]*ast.File{}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(path, e.Name()), nil, parser.ParseComments)
			if err != nil {
				return err
			}
			files[e.Name()] = f
		}
		if len(files) == 0 {
			return nil
		}
		var list []*ast.File
		for _, n := range slices.Sorted(maps.Keys(files)) {
			list = append(list, files[n])
		}
		importPath := modulePath
		if path != "." {
			importPath += "/" + filepath.ToSlash(path)
		}
		p, err := doc.NewFromFiles(fset, list, importPath, doc.PreserveAST)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(path)] = &sourcePackage{dir: path, files: files, doc: p}
		return nil
	})
	require.NoError(t, err)
	return out
}

// TestOptionsStateTheirDefault checks that the doc comment of every option
// of every package (a function named With… whose result is an Option)
// says what happens without it.
func TestOptionsStateTheirDefault(t *testing.T) {
	t.Parallel()
	checked := 0
	for path, p := range loadPackages(t) {
		if strings.HasPrefix(path, "internal") || strings.HasPrefix(path, "examples") {
			continue
		}
		var funcs []*doc.Func
		funcs = append(funcs, p.doc.Funcs...)
		for _, typ := range p.doc.Types {
			funcs = append(funcs, typ.Funcs...)
		}
		for _, fn := range funcs {
			if !strings.HasPrefix(fn.Name, "With") || !returnsOption(fn.Decl) {
				continue
			}
			checked++
			assert.Regexp(t, `(?i)\bdefault`, fn.Doc, "%s.%s: the doc comment does not state the option's default", path, fn.Name)
		}
	}
	assert.Greater(t, checked, 40, "the options were not found")
}

func returnsOption(fd *ast.FuncDecl) bool {
	if fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return false
	}
	var b strings.Builder
	_ = printer.Fprint(&b, token.NewFileSet(), fd.Type.Results.List[0].Type)
	return strings.HasSuffix(b.String(), "Option")
}

// snippetImports are the packages a package doc's snippet may use without
// saying so: the block is the body of a function, so it cannot import.
var snippetImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "http": "net/http", "io": "io",
	"log": "log", "os": "os", "slog": "log/slog", "strings": "strings", "testing": "testing",
	"time": "time", "json": "encoding/json", "iter": "iter", "rate": "golang.org/x/time/rate",
	"require":    "github.com/stretchr/testify/require",
	"orgsdk":     modulePath,
	"orgs":       modulePath + "/orgs",
	"orgstest":   modulePath + "/orgs/orgstest",
	"driver":     modulePath + "/orgs/driver",
	"readycloud": modulePath + "/readycloud", "readycloudtest": modulePath + "/readycloud/readycloudtest",
	"rservice": modulePath + "/rservice", "rservicetest": modulePath + "/rservice/rservicetest",
	"commvault": modulePath + "/commvault", "commvaulttest": modulePath + "/commvault/commvaulttest",
	"jsonapi": modulePath + "/jsonapi", "jsonapitest": modulePath + "/jsonapi/jsonapitest",
}

// snippet is one program built from the code blocks of one file's doc.
type snippet struct {
	name string // where it comes from, for messages
	src  string
}

// docSnippets turns the code blocks of the package doc of every file into
// programs: a block that starts with "package" is one as it is; a block of
// declarations gets a package clause and imports; the remaining blocks of
// one doc are read, in order, as the body of one function, so a later
// block may use what an earlier one declared. A block that is not Go (a
// shell command, a table) is left out; one that looks like Go and does not
// parse is an error.
func docSnippets(t *testing.T, p *sourcePackage) []snippet {
	t.Helper()
	var out []snippet
	for _, name := range slices.Sorted(maps.Keys(p.files)) {
		f := p.files[name]
		if f.Doc == nil {
			continue
		}
		where := filepath.ToSlash(filepath.Join(p.dir, name))
		var body []string
		var pr comment.Parser
		for i, b := range pr.Parse(f.Doc.Text()).Content {
			code, ok := b.(*comment.Code)
			if !ok {
				continue
			}
			text := code.Text
			fset := token.NewFileSet()
			switch {
			case strings.HasPrefix(text, "package "):
				out = append(out, snippet{fmt.Sprintf("%s block %d", where, i), text})
				continue
			case parses(fset, "package p\n"+text):
				out = append(out, snippet{fmt.Sprintf("%s block %d", where, i), withImports(t, "package main\n\nfunc main() {}\n\n"+text)})
				continue
			case parses(fset, "package p\nfunc _() {\n"+text+"\n}"):
				body = append(body, text)
				continue
			}
			if looksLikeGo(text) {
				_, err := parser.ParseFile(fset, where, "package p\nfunc _() {\n"+text+"\n}", 0)
				t.Errorf("%s: a code block of the package doc looks like Go and does not parse: %v\n%s", where, err, text)
			}
		}
		if len(body) > 0 {
			src := "package main\n\nfunc main() { _ = snippet }\n\nfunc snippet() error {\n" + strings.Join(body, "\n") + "\n" + uses(strings.Join(body, "\n")) + "\treturn nil\n}\n"
			out = append(out, snippet{where, withImports(t, src)})
		}
	}
	return out
}

func parses(fset *token.FileSet, src string) bool {
	_, err := parser.ParseFile(fset, "", src, 0)
	return err == nil
}

var goHints = regexp.MustCompile(`:=|\bfunc\b|err != nil|\bfmt\.`)

func looksLikeGo(text string) bool { return goHints.MatchString(text) }

// uses marks every variable a function body declares at its top level as
// used, since a doc snippet shows a value without always using it again.
func uses(body string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+body+"\n}", 0)
	if err != nil {
		return ""
	}
	var names []string
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						names = append(names, id.Name)
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, s := range gd.Specs {
					for _, id := range s.(*ast.ValueSpec).Names {
						if id.Name != "_" {
							names = append(names, id.Name)
						}
					}
				}
			}
		}
	}
	var b strings.Builder
	for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
		fmt.Fprintf(&b, "\t_ = %s\n", n)
	}
	return b.String()
}

// withImports adds the import of every package src refers to by name.
func withImports(t *testing.T, src string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	require.NoError(t, err)
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if _, known := snippetImports[id.Name]; known {
					used[id.Name] = true
				}
			}
		}
		return true
	})
	var imports []string
	for name := range used {
		imports = append(imports, fmt.Sprintf("\t%q", snippetImports[name]))
	}
	sort.Strings(imports)
	head, rest, _ := strings.Cut(src, "\n")
	return head + "\n\nimport (\n" + strings.Join(imports, "\n") + "\n)\n" + rest
}

// TestPackageDocSnippetsCompile builds every code block of every package
// doc (see docSnippets), so a snippet that calls a renamed method or uses
// an undefined variable fails here, not in a user's editor.
func TestPackageDocSnippetsCompile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	pkgs := loadPackages(t)
	var all []snippet
	for _, path := range slices.Sorted(maps.Keys(pkgs)) {
		all = append(all, docSnippets(t, pkgs[path])...)
	}
	require.Greater(t, len(all), 8, "the package docs' snippets were not found")

	// Inside the module, so the snippets import its packages as they are;
	// a leading underscore keeps ./... patterns away from it.
	dir, err := os.MkdirTemp(".", "_snippets")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Several main packages at once: go build discards what it builds.
	args := []string{"build"}
	where := map[string]string{}
	for i, s := range all {
		sub := filepath.Join(dir, fmt.Sprintf("s%02d", i))
		require.NoError(t, os.Mkdir(sub, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(sub, "main.go"), []byte(s.src), 0o644))
		args = append(args, "./"+filepath.ToSlash(sub))
		where[filepath.Base(sub)] = s.name
	}
	out, err := exec.Command(goTool, args...).CombinedOutput()
	if err != nil {
		msg := string(out)
		for sub, name := range where {
			msg = strings.ReplaceAll(msg, sub+"/main.go", sub+"/main.go ("+name+")")
		}
		t.Fatalf("a package doc's snippet does not compile:\n%s", msg)
	}
}

// stdNames are the standard library names the family table may use.
var stdNames = map[string][]string{"errors": {"Is", "As", "ErrUnsupported"}}

// apiIndex answers what a package exports, from its go/doc.
type apiIndex struct {
	pkgs map[string]*sourcePackage // by import name: "readycloud", "orgsdk", "readycloudtest", ...
}

func newAPIIndex(pkgs map[string]*sourcePackage) *apiIndex {
	ix := &apiIndex{pkgs: map[string]*sourcePackage{}}
	for path, p := range pkgs {
		if strings.HasPrefix(path, "internal") || strings.HasPrefix(path, "examples") {
			continue
		}
		ix.pkgs[p.doc.Name] = p
	}
	return ix
}

// has reports whether package pkg exports name at its top level.
func (ix *apiIndex) has(pkg, name string) bool {
	if names, ok := stdNames[pkg]; ok {
		return slices.Contains(names, name)
	}
	p, ok := ix.pkgs[pkg]
	if !ok {
		return false
	}
	values := func(vs []*doc.Value) bool {
		for _, v := range vs {
			if slices.Contains(v.Names, name) {
				return true
			}
		}
		return false
	}
	if values(p.doc.Consts) || values(p.doc.Vars) {
		return true
	}
	for _, f := range p.doc.Funcs {
		if f.Name == name {
			return true
		}
	}
	for _, typ := range p.doc.Types {
		if typ.Name == name || values(typ.Consts) || values(typ.Vars) {
			return true
		}
		for _, f := range typ.Funcs {
			if f.Name == name {
				return true
			}
		}
	}
	return false
}

// member reports whether the type pkg.typ has a method or field name,
// through aliases (type Response = orgsdk.Response) and embedded fields.
func (ix *apiIndex) member(pkg, typ, name string) bool {
	p, ok := ix.pkgs[pkg]
	if !ok {
		return false
	}
	for _, dt := range p.doc.Types {
		if dt.Name != typ {
			continue
		}
		for _, m := range dt.Methods {
			if m.Name == name {
				return true
			}
		}
		for _, spec := range dt.Decl.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || ts.Name.Name != typ {
				continue
			}
			if sel, ok := ts.Type.(*ast.SelectorExpr); ok && ts.Assign != 0 {
				if id, ok := sel.X.(*ast.Ident); ok {
					return ix.member(id.Name, sel.Sel.Name, name)
				}
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					if n.Name == name {
						return true
					}
				}
				if len(f.Names) == 0 { // embedded
					switch e := f.Type.(type) {
					case *ast.Ident:
						if e.Name == name || ix.member(pkg, e.Name, name) {
							return true
						}
					case *ast.StarExpr:
						if id, ok := e.X.(*ast.Ident); ok && (id.Name == name || ix.member(pkg, id.Name, name)) {
							return true
						}
					case *ast.SelectorExpr:
						if id, ok := e.X.(*ast.Ident); ok && (e.Sel.Name == name || ix.member(id.Name, e.Sel.Name, name)) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

var (
	codeSpan  = regexp.MustCompile("`([^`]+)`")
	selectors = regexp.MustCompile(`[{.(]?\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*`)
	stringLit = regexp.MustCompile(`"[^"]*"`)
	literal   = regexp.MustCompile(`\b([A-Z][A-Za-z0-9_]*)\{([A-Z][A-Za-z0-9_]*):`)
)

// familyVars are the variables the family table's cells use, and the type
// each stands for in the column's package ("" for the column's package
// itself, "test" for its fake).
var familyVars = map[string][2]string{
	"c":    {"", "Client"},
	"list": {"", "OrganizationList"},
	"page": {"", "OrganizationList"},
	"org":  {"", "Organization"},
	"resp": {"", "Response"},
	"srv":  {"test", "Server"},
}

// TestREADMEFamilyTableMatchesTheAPI reads the README's table "One family:
// the same operation in all four" and checks every name in its code spans
// against the exported API of the column's package: package-qualified
// names, the methods of c.Organizations, the fields of list, org and resp,
// the fields of composite literals, the options, the fake's methods, and
// the portable directory's. A cell that says "same" repeats the first
// column's with the package renamed, and is checked as that.
func TestREADMEFamilyTableMatchesTheAPI(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, table, ok := strings.Cut(string(readme), "## One family: the same operation in all four")
	require.True(t, ok, "README has no family section")
	var rows [][]string
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "## ") {
			break
		}
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	require.Greater(t, len(rows), 10, "the family table was not found")
	header := rows[0]
	require.Equal(t, []string{"operation", "readycloud", "rservice", "commvault", "jsonapi"}, header)
	ix := newAPIIndex(loadPackages(t))
	checked := 0
	for _, row := range rows[2:] {
		require.Len(t, row, len(header), "row %q", row[0])
		for col := 1; col < len(row); col++ {
			pkg, cell := header[col], row[col]
			if col > 1 && (strings.HasPrefix(cell, "same") || strings.Contains(cell, "(same)")) {
				cell = strings.ReplaceAll(row[1], header[1], pkg)
			}
			for _, span := range codeSpan.FindAllStringSubmatch(cell, -1) {
				for _, problem := range ix.checkSpan(pkg, row[0], span[1]) {
					t.Errorf("family table, row %q, column %s: %s", row[0], pkg, problem)
				}
				checked++
			}
		}
	}
	assert.Greater(t, checked, 40)
}

// checkSpan returns what code, a cell of row in pkg's column, names that
// does not exist.
func (ix *apiIndex) checkSpan(pkg, row, code string) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, m := range literal.FindAllStringSubmatch(code, -1) {
		if !ix.member(pkg, m[1], m[2]) {
			fail("%s.%s has no field %s", pkg, m[1], m[2])
		}
	}
	fake := pkg + "test"
	code = stringLit.ReplaceAllString(code, `""`)
	for _, m := range selectors.FindAllString(code, -1) {
		if m[0] == '{' || m[0] == '.' {
			continue // a literal's field (checked above), a file extension
		}
		m = strings.TrimPrefix(m, "(")
		parts := strings.Split(m, ".")
		head := parts[0]
		switch {
		case len(parts) > 1 && (ix.pkgs[head] != nil || stdNames[head] != nil):
			if !ix.has(head, parts[1]) {
				fail("package %s has no %s", head, parts[1])
			} else if len(parts) > 2 && !ix.member(head, parts[1], parts[2]) {
				fail("%s.%s has no %s", head, parts[1], parts[2])
			}
		case head == "c" && len(parts) > 2 && parts[1] == "Organizations":
			if !ix.member(pkg, "OrganizationsService", parts[2]) {
				fail("%s.OrganizationsService has no method %s", pkg, parts[2])
			}
		case len(parts) > 1 && familyVars[head] != [2]string{}:
			v := familyVars[head]
			in := pkg
			if v[0] == "test" {
				in = fake
			}
			if !ix.member(in, v[1], parts[1]) {
				fail("%s.%s has no %s (%s)", in, v[1], parts[1], m)
			}
		case len(parts) == 1 && head[0] >= 'A' && head[0] <= 'Z':
			var found bool
			switch {
			case strings.HasPrefix(row, "fake server"):
				found = ix.member(fake, "Server", head) || ix.has(fake, head)
			case strings.HasPrefix(row, "portable"):
				found = ix.member("orgs", "Directory", head) || ix.has("orgs", head)
			default:
				// A bare method continues a cell's c.Organizations call.
				found = ix.has(pkg, head) || ix.member(pkg, "OrganizationsService", head)
			}
			if !found {
				fail("%s names nothing %s exports", head, pkg)
			}
		}
	}
	return problems
}
