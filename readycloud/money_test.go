package readycloud

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	t.Parallel()
	good := map[string]Money{
		"0.00 USD":                       {"0.00", "USD"},
		"49.99 USD":                      {"49.99", "USD"},
		"-12.5 EUR":                      {"-12.5", "EUR"},
		"1991 USD":                       {"1991", "USD"},
		" 10.00  usd ":                   {"10.00", "usd"},
		"USD 3.10":                       {"3.10", "USD"},
		"10.00":                          {"10.00", ""},
		"0.000000000001":                 {"0.000000000001", ""},
		"99999999999999999999999.99 USD": {"99999999999999999999999.99", "USD"},
	}
	for in, want := range good {
		got, err := ParseMoney(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "USD", "1e3 USD", "+1.00 USD", "1,000.00 USD", "1. USD", ".5 USD", "1.00 US", "1.00 USD EUR", "NaN USD", "0x10 USD", "1.00 U$D"} {
		_, err := ParseMoney(in)
		assert.Error(t, err, in)
	}
}

func TestMoneyJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, wire := range []string{`"0.00 USD"`, `"49.990 USD"`, `"-0.01 EUR"`, `"100"`, `"123456789012345678901234567890.123456789 USD"`} {
		var m Money
		require.NoError(t, json.Unmarshal([]byte(wire), &m), wire)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		assert.Equal(t, wire, string(out), "exact round trip, no float")
		var again Money
		require.NoError(t, json.Unmarshal(out, &again))
		assert.Equal(t, m, again)
	}
	// A JSON number keeps its literal text.
	var m Money
	require.NoError(t, json.Unmarshal([]byte(`0.10`), &m))
	assert.Equal(t, Money{Amount: "0.10"}, m)
	require.Error(t, json.Unmarshal([]byte(`1e2`), &m))
	require.Error(t, json.Unmarshal([]byte(`true`), &m))
	require.Error(t, json.Unmarshal([]byte(`"free"`), &m))

	// null leaves it zero, and the zero Money writes null.
	var p struct{ M *Money }
	require.NoError(t, json.Unmarshal([]byte(`{"M": null}`), &p))
	assert.Nil(t, p.M)
	out, err := json.Marshal(Money{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(out))
}

func TestMoneyMinorUnits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		amount string
		places int
		want   int64
		ok     bool
	}{
		{"0.00", 2, 0, true},
		{"49.99", 2, 4999, true},
		{"49.9", 2, 4990, true},
		{"49", 2, 4900, true},
		{"49.990", 2, 4999, true},
		{"-0.5", 2, -50, true},
		{"49.995", 2, 0, false},
		{"1.5", 0, 0, false},
		{"7", 0, 7, true},
		{"99999999999999999999", 2, 0, false},
		{"abc", 2, 0, false},
		{"1.00", -1, 0, false},
	}
	for _, tc := range cases {
		got, err := Money{Amount: tc.amount}.MinorUnits(tc.places)
		if !tc.ok {
			assert.Error(t, err, tc.amount)
			continue
		}
		require.NoError(t, err, tc.amount)
		assert.Equal(t, tc.want, got, tc.amount)
	}
}

func TestMoneyString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "0.00 USD", Money{"0.00", "USD"}.String())
	assert.Equal(t, "5", Money{Amount: "5"}.String())
	assert.True(t, Money{}.IsZero())
	assert.False(t, Money{Amount: "0"}.IsZero())
}
