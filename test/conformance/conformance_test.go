package conformance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/conformance"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// clientOptions point a client at a fake and keep retries fast. A
// MaxRetryAfter of a minute lets the suite cancel a client waiting the 30s
// a 429 asked for.
func clientOptions(url string) []facade.Option {
	return []facade.Option{
		facade.WithBaseURL(url),
		facade.WithRetryPolicy(facade.RetryPolicy{
			MaxAttempts:   4,
			BaseDelay:     time.Millisecond,
			MaxDelay:      5 * time.Millisecond,
			MaxRetryAfter: time.Minute,
		}),
	}
}

// faults translates the suite's fault configuration for the fakes.
func faults(f conformance.Faults) fakes.Faults {
	retryAfter := f.RetryAfter
	if retryAfter == 0 {
		retryAfter = -1 // the fakes send "0" for a negative value
	}
	return fakes.Faults{
		Seed:        1,
		Latency:     f.Latency,
		RateLimit:   fakes.Trigger{Every: f.RateLimitEvery},
		RetryAfter:  retryAfter,
		Unavailable: fakes.Trigger{Every: f.UnavailableEvery, Burst: f.UnavailableBurst},
		DropAfter:   fakes.Trigger{Every: f.DropAfterEvery, Nth: f.DropAfterNth},
	}
}

func stats(s fakes.Stats) conformance.Stats {
	return conformance.Stats{
		Requests: s.Requests,
		Faulted:  s.RateLimited + s.BadGateway + s.Unavailable + s.DroppedBefore + s.DroppedAfter,
	}
}

func newIONOS(t *testing.T) conformance.Provider {
	f := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
	c, err := ionos.New(f.Token(), clientOptions(f.URL())...)
	require.NoError(t, err)
	return conformance.Provider{
		Client:       c,
		Capabilities: conformance.Capabilities{SupportsPorts: false, SupportsTSIG: false, SupportsTransfer: true},
		PageSize:     ionos.MaxPageSize,
		Backend: conformance.Backend{
			Stats:     func() conformance.Stats { return stats(f.Stats()) },
			ZoneNames: func() []string { return names(f.Zones(), func(z fakes.IONOSZone) string { return z.ZoneName }) },
			SeedSecondaryZones: func(t testing.TB, names []string) {
				for _, n := range names {
					_, err := f.AddZone(fakes.IONOSZone{ZoneName: n, PrimaryIPs: []string{"192.0.2.99"}})
					require.NoError(t, err)
				}
			},
			SetFaults: func(c conformance.Faults) { f.SetFaults(faults(c)) },
			Intercept: func(h func(int, func(), func())) { intercept(f.Server, h) },
		},
	}
}

func newDNSimple(t *testing.T) conformance.Provider {
	f := fakes.StartDNSimple(t)
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
	require.NoError(t, err)
	return conformance.Provider{
		Client:       c,
		Capabilities: conformance.Capabilities{SupportsPorts: true, SupportsTSIG: false, SupportsTransfer: false},
		PageSize:     dnsimple.MaxPerPage,
		Backend: conformance.Backend{
			Stats:     func() conformance.Stats { return stats(f.Stats()) },
			ZoneNames: func() []string { return names(f.Zones(), func(z fakes.DNSimpleZone) string { return z.Name }) },
			SeedSecondaryZones: func(t testing.TB, names []string) {
				for _, n := range names {
					_, err := f.AddZone(n, true)
					require.NoError(t, err)
				}
			},
			Resources: func() int { return len(f.PrimaryServers()) },
			SeedPrimaryZone: func(t testing.TB, name string) {
				_, err := f.AddZone(name, false)
				require.NoError(t, err)
			},
			SetFaults: func(c conformance.Faults) { f.SetFaults(faults(c)) },
			Intercept: func(h func(int, func(), func())) { intercept(f.Server, h) },
		},
	}
}

func newCloudflare(t *testing.T) conformance.Provider {
	f := fakes.StartCloudflare(t)
	c, err := cloudflare.New(f.Token(), f.AccountID(), clientOptions(f.URL())...)
	require.NoError(t, err)
	return conformance.Provider{
		Client:       c,
		Capabilities: conformance.Capabilities{SupportsPorts: true, SupportsTSIG: true, SupportsTransfer: true},
		Backend: conformance.Backend{
			Stats:     func() conformance.Stats { return stats(f.Stats()) },
			ZoneNames: func() []string { return names(f.Zones(), func(z fakes.CloudflareZone) string { return z.Name }) },
			SeedSecondaryZones: func(t testing.TB, names []string) {
				for _, n := range names {
					_, err := f.AddZone(n, "secondary")
					require.NoError(t, err)
				}
			},
			Resources: func() int { return len(f.Peers()) + len(f.TSIGs()) },
			SeedPrimaryZone: func(t testing.TB, name string) {
				_, err := f.AddZone(name, "full")
				require.NoError(t, err)
			},
			SetFaults: func(c conformance.Faults) { f.SetFaults(faults(c)) },
			Intercept: func(h func(int, func(), func())) { intercept(f.Server, h) },
		},
	}
}

// TestConformance runs the suite against each adapter and its fake.
func TestConformance(t *testing.T) {
	t.Parallel()
	providers := []struct {
		name string
		new  func(t *testing.T) conformance.Provider
	}{
		{facade.ProviderIONOS, newIONOS},
		{facade.ProviderDNSimple, newDNSimple},
		{facade.ProviderCloudflare, newCloudflare},
	}
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			conformance.Run(t, p.new)
		})
	}
}

// TestEqualAcrossProviders: the same zone with the same primaries reads
// back equal on all three providers (see conformance.RunEqual).
func TestEqualAcrossProviders(t *testing.T) {
	t.Parallel()
	conformance.RunEqual(t, []conformance.Provider{newIONOS(t), newDNSimple(t), newCloudflare(t)})
}

// intercept installs the suite's Intercept function as a fake's hook.
func intercept(s *fakes.Server, h func(n int, handle, drop func())) {
	if h == nil {
		s.SetHook(nil)
		return
	}
	s.SetHook(func(n int, _ *http.Request, handle, drop func()) { h(n, handle, drop) })
}

// names maps a fake's zones to their names.
func names[Z any](zones []Z, name func(Z) string) []string {
	out := make([]string, 0, len(zones))
	for _, z := range zones {
		out = append(out, name(z))
	}
	return out
}
