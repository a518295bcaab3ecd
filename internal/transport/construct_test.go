package transport

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testOpts struct{ n int }

type testOption func(*testOpts) error

func TestApplyOptions(t *testing.T) {
	t.Parallel()
	o := &testOpts{}
	inc := testOption(func(o *testOpts) error { o.n++; return nil })
	require.NoError(t, ApplyOptions("p", o, []testOption{inc, inc}))
	assert.Equal(t, 2, o.n)

	err := ApplyOptions("p", o, []testOption{inc, nil})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.EqualError(t, err, "orgsdk: p: invalid argument: option 1 is nil")

	err = ApplyOptions("p", o, []testOption{func(*testOpts) error { return errors.New("max retries -1 out of range") }})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "orgsdk: p: invalid argument: ")
	assert.Contains(t, err.Error(), "max retries -1 out of range")
}

func TestCheckToken(t *testing.T) {
	t.Parallel()
	assert.NoError(t, CheckToken("p", "abc.DEF-123_~+/="))
	for _, bad := range []string{"", " ", "Bearer " + testSecret, testSecret + "\r\nX-Evil: 1", "a\tb", "a\x00b", "a\x7fb"} {
		err := CheckToken("p", bad)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", bad)
		assert.NotContains(t, err.Error(), testSecret)
	}
}
