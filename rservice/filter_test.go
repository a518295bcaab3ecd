package rservice

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilterQueryStrings(t *testing.T) {
	t.Parallel()
	ts := time.Date(2016, 1, 15, 18, 0, 0, 0, time.FixedZone("-05:00", -5*3600))
	jan1 := Date{2016, time.January, 1}
	jan31 := Date{2016, time.January, 31}
	cases := []struct {
		name string
		f    Filter
		want string
	}{
		{"eq string", Eq("name", "Widget"), "name=Widget"},
		{"eq escapes commas, spaces and punctuation", Eq("name", "Widget Data Center, External IT"), "name=Widget%20Data%20Center%2C%20External%20IT"},
		{"eq escapes & = + # %", Eq("name", "A&B=C+D#E%F"), "name=A%26B%3DC%2BD%23E%25F"},
		{"eq unicode", Eq("name", "Zürich"), "name=Z%C3%BCrich"},
		{"eq int", Eq("id", 44), "id=44"},
		{"eq int64", Eq("parent", int64(6)), "parent=6"},
		{"eq uint", Eq("id", uint32(7)), "id=7"},
		{"eq bool", Eq("disabled", true), "disabled=true"},
		{"eq time in UTC", Eq("created_at", ts), "created_at=2016-01-15T23%3A00%3A00Z"},
		{"eq date", Eq("updated_at", jan1), "updated_at=2016-01-01"},
		{"not eq", NotEq("name", "Widget"), "name=!Widget"},
		{"not eq bool", NotEq("disabled", false), "disabled=!false"},
		{"empty", Empty("financialID"), "financialID="},
		{"present", Present("sourceID"), "sourceID=!"},
		{"in ints", In("id", 1, 2, 3), "id=1,2,3"},
		{"in enum tokens", In("source", "importer", "ldap_sync"), "source=importer,ldap_sync"},
		{"not in", NotIn("id", int64(1), 2, 3), "id=!1,2,3"},
		{"lt time", Lt("created_at", ts), "created_at=%3C2016-01-15T23%3A00%3A00Z"},
		{"lte date", Lte("created_at", jan31), "created_at=%3C%3D2016-01-31"},
		{"gt int", Gt("id", 100), "id=%3E100"},
		{"gte time", Gte("updated_at", ts), "updated_at=%3E%3D2016-01-15T23%3A00%3A00Z"},
		{"between dates", Between("created_at", jan1, jan31), "created_at=%3E%3D2016-01-01%3C%3D2016-01-31"},
		{"between ints", Between("id", 10, 20), "id=%3E%3D10%3C%3D20"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, tc.f.Err())
			assert.Equal(t, tc.want, tc.f.String())
		})
	}
}

func TestFilterRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		f    Filter
	}{
		{"unknown field", Eq("region", "NA")},
		{"unknown field for Empty", Empty("remarks")},
		{"unknown field for Present", Present("manager")},
		{"string for int field", Eq("id", "44")},
		{"int for string field", Eq("name", 5)},
		{"bool for time field", Eq("created_at", true)},
		{"empty text", Eq("name", "")},
		{"leading bang", Eq("name", "!Widget")},
		{"leading <", NotEq("name", "<Widget")},
		{"leading >", Eq("sourceID", ">1")},
		{"invalid utf-8", Eq("name", "\xff")},
		{"in needs values", In[int]("id")},
		{"in refuses commas", In("source", "a,b")},
		{"in refuses spaces", In("name", "Widget Data Center")},
		{"in refuses timestamps", In("created_at", time.Now())},
		{"not in refuses text", NotIn("sourceID", "x y")},
		{"range on text", Lt("name", "M")},
		{"range on bool", Gt("disabled", false)},
		{"zero time", Lt("created_at", time.Time{})},
		{"bad date", Gte("created_at", Date{2016, time.February, 30})},
		{"between reversed", Between("id", 20, 10)},
		{"between reversed dates", Between("created_at", Date{2016, 2, 1}, Date{2016, 1, 1})},
		{"between on text", Between("name", "a", "b")},
		{"zero filter", Filter{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.f.Err()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.Empty(t, tc.f.String())
		})
	}
}

func TestListOptionsQuery(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    ListOptions
		perPage int
		want    string
		wantErr string
	}{
		{"nothing", ListOptions{}, 0, "organizations", ""},
		{"all default page", ListOptions{}, 100, "organizations?per_page=100", ""},
		{"view", ListOptions{View: ManagedByMe}, 0, "organizations/managed_by_me", ""},
		{"everything, in order", ListOptions{
			View:    Enabled,
			Filters: []Filter{Eq("name", "Widget, Inc"), In("id", 1, 2)},
			Fields:  []string{"id", "name"},
			Sort:    []string{"-created_at", "name"},
			PerPage: 25,
		}, 100, "organizations/enabled?name=Widget%2C%20Inc&id=1,2&fields=id,name&sort=-created_at,name&per_page=25", ""},
		{"unknown view", ListOptions{View: "archived"}, 0, "", "unknown view"},
		{"bad filter", ListOptions{Filters: []Filter{Eq("nope", 1)}}, 0, "", "cannot be filtered on"},
		{"two filters on a field", ListOptions{Filters: []Filter{Gt("id", 1), Lt("id", 9)}}, 0, "", "two filters on id"},
		{"unknown sort", ListOptions{Sort: []string{"region"}}, 0, "", "cannot be sorted"},
		{"sort twice", ListOptions{Sort: []string{"name", "-name"}}, 0, "", "given twice"},
		{"unknown field", ListOptions{Fields: []string{"colour"}}, 0, "", "no field"},
		{"per page too big", ListOptions{PerPage: 101}, 0, "", "PerPage"},
		{"per page negative", ListOptions{PerPage: -1}, 0, "", "PerPage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.opts.query(tc.perPage)
			if tc.wantErr != "" {
				require.ErrorIs(t, err, ErrInvalidArgument)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestEscapeKeepsOnlyUnreserved(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "aZ09-._~%20%21%2C%3C%3E%3D%2F%3F", escape("aZ09-._~ !,<>=/?"))
}

func TestFilterIntegerKinds(t *testing.T) {
	t.Parallel()
	fs := []Filter{Eq("id", int8(1)), Eq("id", int16(2)), Eq("id", int32(3)), Eq("id", uint(4)), Eq("id", uint8(5)), Eq("id", uint16(6)), Eq("id", uint64(7))}
	for i, f := range fs {
		require.NoError(t, f.Err())
		assert.Equal(t, "id", f.Field())
		assert.Equal(t, "id="+string(rune('1'+i)), f.String())
	}
	assert.Error(t, Between("id", uint64(9), uint64(2)).Err())
	assert.NoError(t, Between("id", uint64(2), uint64(1<<63)).Err())
	assert.Error(t, Between("created_at", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)).Err())
	assert.Error(t, Eq("created_at", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)).Err())
}
