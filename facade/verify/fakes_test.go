package verify_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	primarydns "github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/dnsplane"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// The three fakes as real secondaries of the in-process primary: verify
// sees them in sync; after a serial bump without NOTIFY all are behind by
// one; after a transfer triggered through the API, IONOS and Cloudflare are
// in sync again and DNSimple (no transfer API) stays behind; a NOTIFY brings
// it along.
func TestVerifyAgainstFakeSecondaries(t *testing.T) {
	t.Parallel()
	const zone = "example.com"
	ctx := t.Context()
	pri, err := primarydns.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pri.Close() })
	_, err = pri.SetZone(zone, primarydns.ExampleZone(zone, 100))
	require.NoError(t, err)
	priAddr := netip.MustParseAddrPort(pri.Addr())

	secs := dnsplane.Start(t)
	resolver := verify.StaticResolver{}
	var providers []facade.SecondaryDNS
	var dnsimpleNS []string
	waitAll := func(ss []dnsplane.Secondary, serial uint32) {
		t.Helper()
		for _, s := range ss {
			wctx, cancel := context.WithTimeout(ctx, time.Minute)
			_, err := s.DNS.Wait(wctx, zone, func(z fakes.DNSZone) bool { return z.Serial == serial })
			cancel()
			require.NoError(t, err, s.Name)
		}
	}
	for _, s := range secs {
		p := facade.Primary{Addr: priAddr.Addr(), Port: priAddr.Port()}
		if s.Port53Only {
			p = facade.Primary{Addr: netip.MustParseAddr("127.0.9.1")}
			require.NoError(t, s.DNS.Route(p.Addr.String(), pri.Addr()))
		}
		_, err := s.Client.CreateZone(ctx, zone, []facade.Primary{p})
		require.NoError(t, err, s.Name)
		for name, addr := range s.DNS.Resolver() {
			resolver[name] = []netip.AddrPort{netip.MustParseAddrPort(addr)}
			if s.Name == facade.ProviderDNSimple {
				dnsimpleNS = append(dnsimpleNS, name)
			}
		}
		providers = append(providers, s.Client)
	}
	waitAll(secs, 100)
	v, err := verify.New(priAddr, providers, verify.WithResolver(resolver),
		verify.WithNameservers(facade.ProviderDNSimple, dnsimpleNS...))
	require.NoError(t, err)
	check := func(wantPrimary uint32, want map[string]verify.Status) *verify.Report {
		t.Helper()
		rep, err := v.Verify(ctx, []string{zone})
		require.NoError(t, err)
		z := rep.Zones[0]
		require.Equal(t, wantPrimary, z.Primary.Serial)
		for _, p := range z.Providers {
			if want[p.Provider] == verify.StatusInSync {
				assert.Empty(t, p.Findings, p.Provider)
			} else {
				// A lagging provider comes with what the primary must
				// allow and notify for it, from the registry.
				require.Len(t, p.Findings, 1, p.Provider)
				assert.Equal(t, verify.KindPrimaryACL, p.Findings[0].Kind)
				assert.Contains(t, p.Findings[0].Message, primaryHints[p.Provider], p.Provider)
			}
			require.NotEmpty(t, p.Nameservers, p.Provider)
			for _, ns := range p.Nameservers {
				assert.Equal(t, want[p.Provider], ns.Status, "%s %s: %s", p.Provider, ns.Name, ns.Error)
			}
		}
		return rep
	}

	rep := check(100, map[string]verify.Status{"ionos": verify.StatusInSync, "dnsimple": verify.StatusInSync, "cloudflare": verify.StatusInSync})
	assert.Equal(t, verify.OK, rep.Severity)
	assert.False(t, rep.Zones[0].Signed)
	cf := rep.Zones[0].Providers[2]
	assert.Equal(t, uint32(100), cf.API.Serial, "Cloudflare's API reports the transferred serial")
	assert.False(t, cf.API.LastTransfer.IsZero())

	serial, _, err := pri.Bump(ctx, zone) // no NOTIFY target yet
	require.NoError(t, err)
	require.Equal(t, uint32(101), serial)
	rep = check(101, map[string]verify.Status{"ionos": verify.StatusBehind, "dnsimple": verify.StatusBehind, "cloudflare": verify.StatusBehind})
	assert.Equal(t, verify.ExitBehind, rep.ExitCode(false))

	for _, s := range []dnsplane.Secondary{secs[0], secs[2]} {
		require.NoError(t, s.Client.Transfer(ctx, zone), s.Name)
	}
	waitAll([]dnsplane.Secondary{secs[0], secs[2]}, 101)
	check(101, map[string]verify.Status{"ionos": verify.StatusInSync, "dnsimple": verify.StatusBehind, "cloudflare": verify.StatusInSync})

	pri.AddNotifyTarget(zone, secs[1].DNS.Addr())
	_, _, err = pri.Bump(ctx, zone)
	require.NoError(t, err)
	waitAll(secs[1:2], 102)
	check(102, map[string]verify.Status{"ionos": verify.StatusBehind, "dnsimple": verify.StatusInSync, "cloudflare": verify.StatusBehind})
}

// primaryHints is a part of each provider's registry hint: its documented
// transfer sources, or the registry saying they are not documented.
var primaryHints = map[string]string{
	facade.ProviderCloudflare: "must allow zone transfers from 104.30.167.163",
	facade.ProviderDNSimple:   "must allow zone transfers from 3.12.234.2",
	facade.ProviderIONOS:      "are not documented",
}
