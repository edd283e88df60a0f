package verify_test

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	primarydns "github.com/secondarydns/secondarydns-go/internal/primary"
)

// dnsServer starts a loopback DNS server serving zone with serial (none if
// serial is 0).
func dnsServer(t *testing.T, zone string, serial uint32) *dnswire.Server {
	t.Helper()
	s, err := dnswire.Listen(t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	if serial != 0 {
		setZone(t, s, zone, serial)
	}
	return s
}

func setZone(t *testing.T, s *dnswire.Server, zone string, serial uint32) {
	t.Helper()
	z, err := dnswire.ParseZone(zone, primarydns.ExampleZone(zone, serial))
	require.NoError(t, err)
	s.SetZone(z)
}

func serverAddr(t *testing.T, s *dnswire.Server) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s.Addr())
	require.NoError(t, err)
	return ap
}

// closedPort is a loopback UDP address nothing listens on (a socket bound
// and closed again), so queries to it are refused by the kernel.
func closedPort(t *testing.T) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	ap := netip.MustParseAddrPort(pc.LocalAddr().String())
	require.NoError(t, pc.Close())
	return ap
}

// dnsWorld is a primary and one provider with two nameservers, all real
// DNS servers on loopback.
type dnsWorld struct {
	primary, ns1, ns2 *dnswire.Server
	provider          *memProvider
	resolver          verify.StaticResolver
}

func newDNSWorld(t *testing.T, zone string, serial uint32) *dnsWorld {
	t.Helper()
	w := &dnsWorld{primary: dnsServer(t, zone, serial), ns1: dnsServer(t, zone, serial), ns2: dnsServer(t, zone, serial), provider: newMemProvider(facade.ProviderCloudflare)}
	w.resolver = verify.StaticResolver{"ns1.test": {serverAddr(t, w.ns1)}, "ns2.test": {serverAddr(t, w.ns2)}}
	w.provider.add(facade.Zone{Name: zone, State: "active", Nameservers: []string{"ns1.test", "ns2.test"}}, facade.TransferStatus{})
	return w
}

func (w *dnsWorld) run(t *testing.T, primary netip.AddrPort, zone string, opts ...verify.Option) *verify.Report {
	t.Helper()
	// The default querier: the module's DNS client.
	opts = append([]verify.Option{verify.WithResolver(w.resolver), verify.WithQueryTimeout(2 * time.Second)}, opts...)
	v, err := verify.New(primary, []facade.SecondaryDNS{w.provider}, opts...)
	require.NoError(t, err)
	rep, err := v.Verify(t.Context(), []string{zone})
	require.NoError(t, err)
	return rep
}

// nsStatuses is statuses without the provider (one provider here).
func nsStatuses(z verify.ZoneReport) []string {
	out := statuses(z)
	for i, s := range out {
		_, out[i], _ = strings.Cut(s, " ")
	}
	return out
}

func TestVerifyOverDNS(t *testing.T) {
	t.Parallel()
	const zone = "example.com"
	tests := []struct {
		name    string
		serial  uint32
		setup   func(t *testing.T, w *dnsWorld) (primary netip.AddrPort)
		timeout time.Duration
		primary verify.Status
		want    []string
		sev     verify.Severity
		errLike string
	}{
		{
			name: "in sync", serial: 2024120101,
			primary: verify.StatusAnswered, want: []string{"ns1.test in-sync/0", "ns2.test in-sync/0"}, sev: verify.OK,
		},
		{
			name: "behind", serial: 2024120105,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				setZone(t, w.ns2, zone, 2024120101)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test in-sync/0", "ns2.test behind/4"}, sev: verify.Behind,
		},
		{
			name: "wrap-around: the primary wrapped, the old serial is behind", serial: 2,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				setZone(t, w.ns1, zone, math.MaxUint32-2)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test behind/5", "ns2.test in-sync/0"}, sev: verify.Behind,
		},
		{
			name: "unreachable primary", serial: 7,
			setup:   func(t *testing.T, _ *dnsWorld) netip.AddrPort { return closedPort(t) },
			primary: verify.StatusUnreachable, want: []string{"ns1.test answered/0", "ns2.test answered/0"}, sev: verify.Broken,
		},
		{
			name: "nameserver times out", serial: 7, timeout: 300 * time.Millisecond,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				w.ns1.SetFault(zone, dnswire.FaultDrop)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test timeout/0", "ns2.test in-sync/0"}, sev: verify.Broken,
		},
		{
			name: "REFUSED and NOTAUTH", serial: 7,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				w.ns1.SetFault(zone, dnswire.FaultRefuse)
				w.ns2.SetFault(zone, dnswire.FaultNotAuth)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test refused/0", "ns2.test not-serving/0"}, sev: verify.Broken, errLike: "REFUSED",
		},
		{
			name: "zone not loaded at a nameserver", serial: 7,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				w.ns2.RemoveZone(zone)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test in-sync/0", "ns2.test refused/0"}, sev: verify.Broken,
		},
		{
			name: "truncated UDP answer is retried over TCP", serial: 9,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				w.ns1.SetFault(zone, dnswire.FaultTruncate)
				w.primary.SetFault(zone, dnswire.FaultTruncate)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test in-sync/0", "ns2.test in-sync/0"}, sev: verify.OK,
		},
		{
			name: "SOA of the wrong zone", serial: 9,
			setup: func(t *testing.T, w *dnsWorld) netip.AddrPort {
				w.ns2.SetFault(zone, dnswire.FaultWrongOwner)
				return serverAddr(t, w.primary)
			},
			primary: verify.StatusAnswered, want: []string{"ns1.test in-sync/0", "ns2.test wrong-zone/0"}, sev: verify.Broken,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, zone, tt.serial)
			primary := serverAddr(t, w.primary)
			if tt.setup != nil {
				primary = tt.setup(t, w)
			}
			var opts []verify.Option
			if tt.timeout > 0 {
				opts = append(opts, verify.WithQueryTimeout(tt.timeout))
			}
			rep := w.run(t, primary, zone, opts...)
			z := rep.Zones[0]
			assert.Equal(t, tt.primary, z.Primary.Status, "primary: %s", z.Primary.Error)
			if tt.primary == verify.StatusAnswered {
				assert.Equal(t, tt.serial, z.Primary.Serial)
			}
			assert.Equal(t, tt.want, nsStatuses(z))
			assert.Equal(t, tt.sev, rep.Severity)
			if tt.errLike != "" {
				assert.Contains(t, z.Providers[0].Nameservers[0].Error, tt.errLike)
			}
		})
	}
}

func TestVerifyOverDNSSerialBackwards(t *testing.T) {
	t.Parallel()
	const zone = "example.org"
	w := newDNSWorld(t, zone, 500)
	primary := serverAddr(t, w.primary)
	first := w.run(t, primary, zone)
	require.Equal(t, verify.OK, first.Severity)

	// The primary is restored from an old backup (serial 480); ns1 keeps
	// 500 (ahead of the primary); ns2 reloads an old copy (490).
	setZone(t, w.primary, zone, 480)
	setZone(t, w.ns2, zone, 490)
	rep := w.run(t, primary, zone, verify.WithPrevious(first))
	z := rep.Zones[0]
	assert.Equal(t, verify.StatusBackwards, z.Primary.Status)
	assert.Equal(t, uint32(20), z.Primary.Behind)
	assert.Equal(t, []string{"ns1.test ahead/20", "ns2.test backwards/10"}, nsStatuses(z))
	assert.Equal(t, verify.Broken, rep.Severity)
	assert.Equal(t, verify.ExitBroken, rep.ExitCode(false))
}

func TestVerifyOverDNSManyZones(t *testing.T) {
	t.Parallel()
	w := newDNSWorld(t, "z0.example", 1)
	zones := []string{"z0.example"}
	for i := 1; i < 50; i++ {
		z := fmt.Sprintf("z%d.example", i)
		zones = append(zones, z)
		for _, s := range []*dnswire.Server{w.primary, w.ns1, w.ns2} {
			setZone(t, s, z, uint32(i))
		}
		w.provider.add(facade.Zone{Name: z, Nameservers: []string{"ns1.test", "ns2.test"}}, facade.TransferStatus{})
	}
	setZone(t, w.ns1, "z17.example", 16)
	v, err := verify.New(serverAddr(t, w.primary), []facade.SecondaryDNS{w.provider}, verify.WithResolver(w.resolver), verify.WithConcurrency(4))
	require.NoError(t, err)
	rep, err := v.Verify(context.Background(), zones)
	require.NoError(t, err)
	assert.Equal(t, verify.Summary{Zones: 50, OK: 49, Behind: 1, Queries: 150}, rep.Summary)
	assert.Equal(t, "z17.example", rep.Zones[17].Zone)
	assert.Equal(t, []string{"ns1.test behind/1", "ns2.test in-sync/0"}, nsStatuses(rep.Zones[17]))
}

func TestVerifyOverDNSSignedZoneAtDNSimple(t *testing.T) {
	t.Parallel()
	const zone = "signed.example"
	signedText := "$TTL 300\n@ SOA ns1 hostmaster 3 3600 600 86400 300\n@ NS ns1\n@ DNSKEY 257 3 13 WyztMvPMLag+YTYtf5O3EfD7Kh/HFMn/6QecDkcdKaF2TpppErhWpRyRjOBKFjani2fK5ljQu+2mN3uqJnKZVw==\nns1 A 127.0.0.1\n"
	tests := []struct {
		name   string
		signed bool
		opts   []verify.Option
		kinds  []string
	}{
		{"signed zone is flagged", true, nil, []string{"dnsimple dnssec-dropped"}},
		{"unsigned zone is not", false, nil, []string{}},
		{"check skipped", true, []verify.Option{verify.WithoutSignedCheck()}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, zone, 3)
			w.provider = newMemProvider(facade.ProviderDNSimple)
			w.provider.add(facade.Zone{Name: zone, State: "active"}, facade.TransferStatus{})
			if tt.signed {
				z, err := dnswire.ParseZone(zone, signedText)
				require.NoError(t, err)
				w.primary.SetZone(z)
			}
			rep := w.run(t, serverAddr(t, w.primary), zone, append(tt.opts, verify.WithNameservers(facade.ProviderDNSimple, "ns1.test", "ns2.test"))...)
			z := rep.Zones[0]
			assert.Equal(t, tt.signed && tt.opts == nil, z.Signed)
			assert.Equal(t, tt.kinds, kinds(z))
			assert.Equal(t, []string{"ns1.test in-sync/0", "ns2.test in-sync/0"}, nsStatuses(z))
		})
	}
}
