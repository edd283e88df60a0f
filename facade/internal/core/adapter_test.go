package core

import (
	"net/netip"
	"strings"
	"testing"

	. "github.com/secondarydns/secondarydns-go/facade"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequireID(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"abc", "023e105f4ecef8ad9ca31a8372d0c353", "0f1e9e1c-6f5e-4c1d-8d4b-6e0b0f4f6d1e", "1234", "example.com"} {
		assert.NoError(t, RequireID("zone id", v), v)
	}
	for _, v := range []string{"", " ", "a b", "a/b", `a\b`, "a\nb", ".", "..", "\u00a0x", strings.Repeat("x", 256), "a\x00"} {
		err := RequireID("zone id", v)
		assert.ErrorIs(t, err, ErrInvalidInput, "%q", v)
		if err != nil {
			assert.Contains(t, err.Error(), "zone id")
		}
	}
}

func TestCoreValidatePrimaries(t *testing.T) {
	t.Parallel()
	loop := []Primary{{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("127.0.0.1"), Port: 5353}}
	c, err := NewCore(testProvider(ProviderIONOS), "t", "https://api.example")
	require.NoError(t, err)
	assert.False(t, c.AllowsPrivatePrimaries())
	_, err = c.ValidatePrimaries("CreateZone", loop)
	require.ErrorIs(t, err, ErrInvalidInput)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "CreateZone", fe.Operation)
	assert.Equal(t, ProviderIONOS, fe.Provider)
	assert.Contains(t, err.Error(), "primaries[1]")
	require.ErrorIs(t, c.CheckPrimaryAddr("CreatePeer", loop[1].Addr), ErrInvalidInput)

	c, err = NewCore(testProvider(ProviderIONOS), "t", "https://api.example", WithPrivatePrimaries())
	require.NoError(t, err)
	assert.True(t, c.AllowsPrivatePrimaries())
	got, err := c.ValidatePrimaries("CreateZone", loop)
	require.NoError(t, err)
	assert.Equal(t, loop, got)
	require.NoError(t, c.CheckPrimaryAddr("CreatePeer", loop[1].Addr))
	_, err = c.ValidatePrimaries("CreateZone", []Primary{{Addr: netip.MustParseAddr("255.255.255.255")}})
	require.ErrorIs(t, err, ErrInvalidInput)
}

func TestApplyCreateOptions(t *testing.T) {
	t.Parallel()
	assert.Equal(t, CreateOptions{}, ApplyCreateOptions())
	k := TSIG{Name: "k", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}
	o := ApplyCreateOptions(WithTSIG(k), nil, WithWaitUntilAvailable(), WithDescription("d"))
	require.NotNil(t, o.TSIG)
	assert.Equal(t, k, *o.TSIG)
	assert.True(t, o.WaitAvailable)
	assert.Equal(t, "d", o.Description)
}
