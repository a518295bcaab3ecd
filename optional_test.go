package orgsdk_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/orgsdk/orgsdk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionalStates(t *testing.T) {
	t.Parallel()
	type body struct {
		Name orgsdk.Optional[string] `json:"name,omitzero"`
	}
	cases := []struct {
		name     string
		field    orgsdk.Optional[string]
		wire     string
		str      string
		goString string
	}{
		{"left out", orgsdk.Optional[string]{}, `{}`, "<unset>", "orgsdk.Optional{}"},
		{"set", orgsdk.Set("Widget"), `{"name":"Widget"}`, `"Widget"`, `orgsdk.Set("Widget")`},
		{"set to the zero value", orgsdk.Set(""), `{"name":""}`, `""`, `orgsdk.Set("")`},
		{"cleared", orgsdk.Null[string](), `{"name":null}`, "null", "orgsdk.Null()"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(body{Name: tc.field})
			require.NoError(t, err)
			assert.JSONEq(t, tc.wire, string(b))
			assert.Equal(t, tc.str, tc.field.String())
			assert.Equal(t, tc.goString, fmt.Sprintf("%#v", tc.field))

			var back body
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.field.IsZero(), back.Name.IsZero())
			assert.Equal(t, tc.field.IsNull(), back.Name.IsNull())
			want, wantOK := tc.field.Get()
			got, ok := back.Name.Get()
			assert.Equal(t, wantOK, ok)
			assert.Equal(t, want, got)
		})
	}
	var bad orgsdk.Optional[int]
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &bad), "a value of the wrong type is an error, not a silent zero")
	assert.True(t, bad.IsZero())
}
