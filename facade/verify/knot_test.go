package verify_test

import (
	"context"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	primarydns "github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/knotd"
)

// With Knot DNS as the primary, two nameservers that transferred the zone
// from it (AXFR) are in sync; after a serial bump on Knot they are behind
// by one until they transfer again.
func TestVerifyWithKnotPrimary(t *testing.T) {
	t.Parallel()
	const zone = "example.net"
	k := knotd.Start(t, knotd.WithZone(zone, primarydns.ExampleZone(zone, 10)))
	primary := netip.MustParseAddrPort(k.Addr)
	ctx := t.Context()

	transferFromKnot := func(s *dnswire.Server) {
		z, err := dnswire.Transfer(ctx, k.Addr, zone)
		require.NoError(t, err)
		s.SetZone(z)
	}
	ns1, ns2 := dnsServer(t, zone, 0), dnsServer(t, zone, 0)
	transferFromKnot(ns1)
	transferFromKnot(ns2)
	p := newMemProvider(facade.ProviderIONOS)
	p.add(facade.Zone{Name: zone, State: "available", Nameservers: []string{"ns1.test", "ns2.test"}}, facade.TransferStatus{})
	v, err := verify.New(primary, []facade.SecondaryDNS{p},
		verify.WithResolver(verify.StaticResolver{"ns1.test": {serverAddr(t, ns1)}, "ns2.test": {serverAddr(t, ns2)}}))
	require.NoError(t, err)

	rep, err := v.Verify(ctx, []string{zone})
	require.NoError(t, err)
	assert.Equal(t, uint32(10), rep.Zones[0].Primary.Serial)
	assert.Equal(t, []string{"ns1.test in-sync/0", "ns2.test in-sync/0"}, nsStatuses(rep.Zones[0]))

	// Bump the serial on Knot and wait until it serves it.
	require.NoError(t, os.WriteFile(k.ZoneFile(zone), []byte(primarydns.ExampleZone(zone, 11)), 0o644))
	_, err = k.Knotc("zone-reload", zone)
	require.NoError(t, err)
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		soa, err := dnswire.QuerySOA(waitCtx, k.Addr, zone)
		if err == nil && soa.Serial == 11 {
			break
		}
		select {
		case <-waitCtx.Done():
			t.Fatalf("Knot does not serve serial 11: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}

	rep, err = v.Verify(ctx, []string{zone})
	require.NoError(t, err)
	assert.Equal(t, []string{"ns1.test behind/1", "ns2.test behind/1"}, nsStatuses(rep.Zones[0]))
	assert.Equal(t, verify.ExitBehind, rep.ExitCode(false))

	transferFromKnot(ns1)
	rep, err = v.Verify(ctx, []string{zone})
	require.NoError(t, err)
	assert.Equal(t, []string{"ns1.test in-sync/0", "ns2.test behind/1"}, nsStatuses(rep.Zones[0]))
}
