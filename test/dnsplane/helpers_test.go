package dnsplane_test

import (
	"context"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/test/dnsplane"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// waitBound only keeps a broken test from hanging; every wait ends on an
// event long before it.
const waitBound = 60 * time.Second

// aliases numbers the loopback addresses primaryFor hands out.
var aliases atomic.Uint32

// primaryFor returns the primary to configure at s for a primary server
// listening on addr. IONOS takes port 53 only: it gets a loopback address of
// its own (127.0.1.x, so that parallel tests do not share a route) which its
// DNS side routes to addr.
func primaryFor(t *testing.T, s dnsplane.Secondary, addr string) facade.Primary {
	t.Helper()
	ap := netip.MustParseAddrPort(addr)
	if s.Port53Only {
		n := aliases.Add(1)
		alias := netip.AddrFrom4([4]byte{127, 0, byte(1 + n/250), byte(1 + n%250)})
		require.NoError(t, s.DNS.Route(alias.String(), addr))
		return facade.Primary{Addr: alias}
	}
	return facade.Primary{Addr: ap.Addr(), Port: ap.Port()}
}

// waitZone waits until the fake's DNS side shows cond for zone.
func waitZone(t *testing.T, s dnsplane.Secondary, zone string, cond func(fakes.DNSZone) bool) fakes.DNSZone {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitBound)
	defer cancel()
	z, err := s.DNS.Wait(ctx, zone, cond)
	require.NoError(t, err, "%s: last state %+v", s.Name, z)
	return z
}

// serial is a condition: the zone is served with serial n.
func serial(n uint32) func(fakes.DNSZone) bool {
	return func(z fakes.DNSZone) bool { return z.Serial == n }
}

// attempted is a condition: at least n refreshes finished.
func attempted(n int) func(fakes.DNSZone) bool {
	return func(z fakes.DNSZone) bool { return z.Attempts >= n }
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
