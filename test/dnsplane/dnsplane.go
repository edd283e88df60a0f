// Package dnsplane holds the end-to-end tests of the DNS plane: the three
// fakes as real secondaries, transferring from a real primary (Knot DNS, or
// the in-process primary) over loopback, and reporting the outcome through
// their APIs. [Start] wires the fakes and a facade client for each, for
// these tests and for other packages' tests (verify).
package dnsplane

import (
	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Secondary is one provider's fake, its DNS side and a facade client for it.
type Secondary struct {
	// Name is the provider name ("ionos", "dnsimple", "cloudflare").
	Name string
	// Client talks to the fake through the facade, with
	// facade.WithPrivatePrimaries.
	Client facade.SecondaryDNS
	// DNS is the fake's DNS side.
	DNS *fakes.DNS
	// TSIG tells whether the provider transfers with TSIG (Cloudflare).
	TSIG bool
	// Port53Only tells whether the provider takes primaries on port 53
	// only (IONOS): route them with DNS.Route.
	Port53Only bool
}

// TB is what Start needs of a test.
type TB interface {
	fakes.TB
	Fatalf(format string, args ...any)
}

// Start starts the three fakes with loopback primaries allowed (plus opts),
// each with its DNS side running, and a facade client for each. Everything
// is closed at t.Cleanup.
func Start(t TB, opts ...fakes.Option) []Secondary {
	t.Helper()
	opts = append([]fakes.Option{fakes.WithPrivatePrimaries()}, opts...)
	copts := func(url string) []facade.Option {
		return []facade.Option{facade.WithBaseURL(url), facade.WithPrivatePrimaries()}
	}
	fi := fakes.StartIONOS(t, append([]fakes.Option{fakes.WithProvisioningReads(0)}, opts...)...)
	ci, err := ionos.New(fi.Token(), copts(fi.URL())...)
	if err != nil {
		t.Fatalf("ionos client: %v", err)
	}
	fd := fakes.StartDNSimple(t, opts...)
	cd, err := dnsimple.New(fd.Token(), int64(fd.AccountID()), copts(fd.URL())...)
	if err != nil {
		t.Fatalf("dnsimple client: %v", err)
	}
	fc := fakes.StartCloudflare(t, opts...)
	cc, err := cloudflare.New(fc.Token(), fc.AccountID(), copts(fc.URL())...)
	if err != nil {
		t.Fatalf("cloudflare client: %v", err)
	}
	return []Secondary{
		{Name: facade.ProviderIONOS, Client: ci, DNS: fi.DNS(), Port53Only: true},
		{Name: facade.ProviderDNSimple, Client: cd, DNS: fd.DNS()},
		{Name: facade.ProviderCloudflare, Client: cc, DNS: fc.DNS(), TSIG: true},
	}
}
