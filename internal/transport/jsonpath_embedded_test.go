package transport

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type strictInt int

func (n *strictInt) UnmarshalJSON(b []byte) error {
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return errors.New("not an integer")
	}
	*n = strictInt(v)
	return nil
}

type embeddedModel struct {
	Name  string    `json:"name"`
	Count strictInt `json:"count"`
	Ref   struct {
		ID strictInt `json:"id"`
	} `json:"ref"`
}

// aliasedModel and aliasedWire are a decoder's wire struct that embeds the model
// through an unexported alias: the model's fields are promoted.
type aliasedModel embeddedModel

type aliasedWire struct {
	aliasedModel
	Name json.RawMessage `json:"name"`
}

type aliasedEnvelope struct {
	Items []aliasedWire `json:"items"`
}

// TestJSONPathErrorEmbedded: the path goes through embedded structs, even
// of unexported types, as encoding/json's field promotion does; an outer
// field hides the promoted one.
func TestJSONPathErrorEmbedded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, path string }{
		{`{"items":[{"count":1},{"count":"x"}]}`, "items[1].count: not an integer"},
		{`{"items":[{"ref":{"id":true}}]}`, "items[0].ref.id: not an integer"},
		{`{"Items":[{"COUNT":"x"}]}`, "Items[0].COUNT: not an integer"},
	} {
		var env aliasedEnvelope
		err := json.Unmarshal([]byte(tc.body), &env)
		require.Error(t, err)
		assert.EqualError(t, JSONPathError([]byte(tc.body), &env, err), tc.path, tc.body)
	}
	// name is the outer RawMessage, which takes anything: no path there.
	var env aliasedEnvelope
	require.NoError(t, json.Unmarshal([]byte(`{"items":[{"name":{"a":1}}]}`), &env))
}
