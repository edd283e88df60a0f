package fakes_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// privateFakes starts each fake with opts and returns a facade client for
// it that accepts private primaries itself (facade.WithPrivatePrimaries),
// so that what is refused is refused by the fake.
func privateFakes(t *testing.T, opts ...fakes.Option) map[string]facade.SecondaryDNS {
	t.Helper()
	copts := func(url string) []facade.Option {
		return []facade.Option{facade.WithBaseURL(url), facade.WithPrivatePrimaries(),
			facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1})}
	}
	fi := fakes.StartIONOS(t, append([]fakes.Option{fakes.WithProvisioningReads(0)}, opts...)...)
	ci, err := ionos.New(fi.Token(), copts(fi.URL())...)
	require.NoError(t, err)
	fd := fakes.StartDNSimple(t, opts...)
	cd, err := dnsimple.New(fd.Token(), int64(fd.AccountID()), copts(fd.URL())...)
	require.NoError(t, err)
	fc := fakes.StartCloudflare(t, opts...)
	cc, err := cloudflare.New(fc.Token(), fc.AccountID(), copts(fc.URL())...)
	require.NoError(t, err)
	return map[string]facade.SecondaryDNS{"ionos": ci, "dnsimple": cd, "cloudflare": cc}
}

// TestPrivatePrimaries: every fake refuses loopback and private primaries
// by default, server-side (a 4xx the client classifies as
// ErrInvalidInput, leaving no zone), and accepts them with
// fakes.WithPrivatePrimaries; addresses no provider can transfer from stay
// refused either way.
func TestPrivatePrimaries(t *testing.T) {
	t.Parallel()
	private := []string{"127.0.0.1", "::1", "10.0.0.53", "172.16.5.4", "192.168.0.1", "fd00::53", "100.64.0.1"}
	never := []string{"255.255.255.255", "224.0.0.1", "169.254.0.1", "fe80::1", "0.0.0.1", "ff02::1"}

	t.Run("default", func(t *testing.T) {
		t.Parallel()
		for name, c := range privateFakes(t) {
			for _, ip := range append(private, never...) {
				_, err := c.CreateZone(t.Context(), "private.example", []facade.Primary{{Addr: netip.MustParseAddr(ip)}})
				require.ErrorIs(t, err, facade.ErrInvalidInput, "%s: CreateZone with primary %s", name, ip)
				var fe *facade.Error
				require.ErrorAs(t, err, &fe)
				if ip == "0.0.0.1" || netip.MustParseAddr(ip).IsLinkLocalUnicast() || netip.MustParseAddr(ip).IsMulticast() || ip == "255.255.255.255" {
					continue // the client refuses these itself, even with WithPrivatePrimaries
				}
				assert.GreaterOrEqual(t, fe.StatusCode, 400, "%s: %s must be refused by the fake: %v", name, ip, err)
				_, err = c.GetZone(t.Context(), "private.example")
				require.ErrorIs(t, err, facade.ErrNotFound, "%s: a refused CreateZone left a zone", name)
			}
		}
	})
	t.Run("WithPrivatePrimaries", func(t *testing.T) {
		t.Parallel()
		for name, c := range privateFakes(t, fakes.WithPrivatePrimaries()) {
			for _, ip := range private {
				ps := []facade.Primary{{Addr: netip.MustParseAddr(ip)}}
				z, err := c.CreateZone(t.Context(), "private.example", ps)
				require.NoError(t, err, "%s: CreateZone with primary %s", name, ip)
				require.Len(t, z.Primaries, 1)
				assert.Equal(t, ip, z.Primaries[0].Addr.String(), "%s", name)
				require.NoError(t, c.DeleteZone(t.Context(), "private.example"), "%s", name)
			}
			for _, ip := range never {
				_, err := c.CreateZone(t.Context(), "never.example", []facade.Primary{{Addr: netip.MustParseAddr(ip)}})
				require.ErrorIs(t, err, facade.ErrInvalidInput, "%s: CreateZone with primary %s", name, ip)
			}
		}
	})
}
