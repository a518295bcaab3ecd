package commvault

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// Column names a field of a listed organization for a filter, a sort or a
// field list, as the list endpoint takes it: the path of the field in the
// answer ("providers.connectName"). The constants are the columns
// Commvault's Python SDK (cvpysdk, Organizations valid_columns) sends;
// any other path the server knows may be given as a Column too (older
// clients such as the Terraform provider send "name").
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type Column string

// Columns of the organization list, as cvpysdk names them.
const (
	ColumnName                    Column = "providers.connectName"
	ColumnID                      Column = "providers.shortname.id"
	ColumnContactFullName         Column = "providers.primaryContacts.fullName"
	ColumnAssociatedEntitiesCount Column = "providers.associatedEntitiesCount"
	ColumnStatus                  Column = "providers.status"
	ColumnGUID                    Column = "providers.providerGUID"
	ColumnTags                    Column = "providers.provider.tags"
	ColumnTagName                 Column = "providers.provider.tags.name"
	ColumnReseller                Column = "providers.canCreateCompanies"
	ColumnParentCompany           Column = "providers.ownerCompanyName"
	ColumnCommcell                Column = "providers.commcell"
	// ColumnShortName is the organization's shortName (id and alias);
	// cvpysdk always asks for it in fl with ColumnName.
	ColumnShortName Column = "providers.shortName"
)

// Value is what a filter compares with: text, an integer or a bool.
type Value interface {
	string | int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | bool
}

// Filter is one fq= condition, column:op:value. Build it with Contains,
// Eq, NotEq, Gt, Lt, Gte, Lte or NotIn; a filter built with a value the
// API cannot take carries the error, and List reports it before any I/O.
// The filters of one ListOptions are ANDed (each is its own fq=).
//
// API doc: https://documentation.commvault.com/v11/essential/92470_rest_api_get_organization.html
type Filter struct {
	column Column
	op     string
	value  string
	err    error
}

// Column returns the column the filter applies to.
func (f Filter) Column() Column { return f.column }

// Err returns why the filter cannot be sent, or nil.
func (f Filter) Err() error {
	if f.err != nil {
		return f.err
	}
	if f.op == "" {
		return invalidArgument("empty filter (use a constructor such as Eq)")
	}
	return nil
}

// String returns the filter as the fq parameter's value,
// "providers.connectName:eq:Acme" ("" for a filter with an error).
func (f Filter) String() string {
	if f.Err() != nil {
		return ""
	}
	return string(f.column) + ":" + f.op + ":" + f.value
}

// Contains keeps organizations whose column contains text.
func Contains(column Column, text string) Filter { return single(column, "contains", text) }

// Eq keeps organizations whose column equals v (fq=column:eq:v).
func Eq[V Value](column Column, v V) Filter { return single(column, "eq", v) }

// NotEq keeps organizations whose column differs from v (neq).
func NotEq[V Value](column Column, v V) Filter { return single(column, "neq", v) }

// Gt keeps organizations whose column is greater than v (gt).
func Gt[V Value](column Column, v V) Filter { return single(column, "gt", v) }

// Lt keeps organizations whose column is less than v (lt).
func Lt[V Value](column Column, v V) Filter { return single(column, "lt", v) }

// Gte keeps organizations whose column is at least v (gteq).
func Gte[V Value](column Column, v V) Filter { return single(column, "gteq", v) }

// Lte keeps organizations whose column is at most v (lteq).
func Lte[V Value](column Column, v V) Filter { return single(column, "lteq", v) }

// NotIn keeps organizations whose column is none of vs (nin, the values
// joined by commas, so a value may not hold one).
func NotIn[V Value](column Column, vs ...V) Filter {
	f := Filter{column: column, op: "nin"}
	if f.err = checkColumn(column); f.err != nil {
		return f
	}
	if len(vs) == 0 {
		f.err = invalidArgument("filter %s: NotIn needs at least one value", column)
		return f
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		s, _ := transport.FormatScalar(v)
		if err := checkValue(s); err != nil {
			f.err = invalidArgument("filter %s: %v", column, err)
			return f
		}
		if strings.Contains(s, ",") {
			f.err = invalidArgument("filter %s: %q holds a comma, which separates NotIn's values", column, s)
			return f
		}
		parts[i] = s
	}
	f.value = strings.Join(parts, ",")
	return f
}

func single[V Value](column Column, op string, v V) Filter {
	f := Filter{column: column, op: op}
	if f.err = checkColumn(column); f.err != nil {
		return f
	}
	s, _ := transport.FormatScalar(v)
	if err := checkValue(s); err != nil {
		f.err = invalidArgument("filter %s: %v", column, err)
		return f
	}
	f.value = s
	return f
}

// checkColumn refuses a filter's column that cannot go into
// column:op:value, with the family's wording.
func checkColumn(c Column) error {
	if err := columnProblem(c); err != nil {
		return invalidArgument("filter: %v", err)
	}
	return nil
}

// columnProblem says why a column cannot be sent, or nil.
func columnProblem(c Column) error {
	switch {
	case strings.TrimSpace(string(c)) == "":
		return fmt.Errorf("empty column")
	case !utf8.ValidString(string(c)):
		return fmt.Errorf("column is not valid UTF-8")
	case strings.ContainsAny(string(c), ":,") || strings.ContainsFunc(string(c), isSpaceOrControl):
		return fmt.Errorf("column %q holds a colon, a comma, a space or a control character", string(c))
	}
	return nil
}

// checkValue refuses a value the server cannot read back.
func checkValue(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty value")
	case !utf8.ValidString(s):
		return fmt.Errorf("value is not valid UTF-8")
	case strings.ContainsFunc(s, isControl):
		return fmt.Errorf("value holds a control character")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func isSpaceOrControl(r rune) bool { return r == ' ' || isControl(r) }
