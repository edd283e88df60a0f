package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// verifyFakes is what verify --fake runs against: an in-process primary,
// the providers' fakes with the zones created on them, and per provider a
// loopback DNS server standing for its nameservers, which transferred the
// zones from the primary by AXFR.
type verifyFakes struct {
	providers []facade.SecondaryDNS
	primary   netip.AddrPort
	zones     []string
	opts      []verify.Option
	closers   []func()
}

func (f *verifyFakes) close() {
	for i := len(f.closers) - 1; i >= 0; i-- {
		f.closers[i]()
	}
}

// fakeSerial is the serial the --fake primary serves: today's date and
// 01, the usual YYYYMMDDnn convention (RFC 1912).
func fakeSerial(now time.Time) uint32 {
	y, m, d := now.UTC().Date()
	return uint32(y*1000000 + int(m)*10000 + d*100 + 1)
}

// startVerifyFakes starts the in-process primary serving zones (default
// example.com), a fake per provider holding the zones as secondaries of that
// primary, and the providers' nameservers.
func startVerifyFakes(ctx context.Context, a *app, providers, zones []string) (_ *verifyFakes, err error) {
	if len(zones) == 0 {
		zones = []string{demoZone}
	}
	env := &verifyFakes{zones: zones}
	defer func() {
		if err != nil {
			env.close()
		}
	}()
	pri, err := primary.Start(ctx, primary.WithLogger(a.logger))
	if err != nil {
		return nil, err
	}
	env.closers = append(env.closers, func() { _ = pri.Close() })
	for _, z := range zones {
		name, err := facade.NormalizeZoneName(z)
		if err != nil {
			return nil, usagef("%v", unwrapMessage(err))
		}
		if _, err := pri.SetZone(name, primary.ExampleZone(name, fakeSerial(time.Now()))); err != nil {
			return nil, err
		}
	}
	env.primary = netip.MustParseAddrPort(pri.Addr())
	resolver := verify.StaticResolver{}
	for _, p := range providers {
		client, err := a.privateFake(p, env)
		if err != nil {
			return nil, fmt.Errorf("%s fake: %w", p, err)
		}
		env.providers = append(env.providers, client)
		ns, err := a.fakeDNSServer(ctx, env)
		if err != nil {
			return nil, err
		}
		addr := netip.MustParseAddrPort(ns.Addr())
		var names []string
		fp := facade.Primary{Addr: env.primary.Addr(), Port: env.primary.Port()}
		if p == facade.ProviderIONOS {
			// IONOS takes port 53 only, which an unprivileged process cannot
			// bind: the zone records port 53, the transfer below goes to the
			// primary's real port.
			fp.Port = 0
		}
		for _, z := range zones {
			zone, err := client.CreateZone(ctx, z, []facade.Primary{fp})
			if err != nil {
				return nil, fmt.Errorf("%s fake: %w", p, err)
			}
			// What the provider does on creation: transfer the zone.
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			xfr, err := dnswire.Transfer(tctx, env.primary.String(), zone.Name)
			cancel()
			if err != nil {
				return nil, fmt.Errorf("%s fake: transfer of %s: %w", p, zone.Name, err)
			}
			ns.SetZone(xfr)
			names = zone.Nameservers
		}
		if len(names) == 0 { // DNSimple's API lists none
			names = []string{"ns1.fake-" + p + ".test", "ns2.fake-" + p + ".test"}
			env.opts = append(env.opts, verify.WithNameservers(p, names...))
		}
		for _, n := range names {
			resolver[n] = []netip.AddrPort{addr}
		}
	}
	env.opts = append(env.opts, verify.WithResolver(resolver))
	return env, nil
}

// privateFake starts provider p's fake and a client of it, both allowing
// loopback primaries (the in-process primary is on 127.0.0.1).
func (a *app) privateFake(p string, env *verifyFakes) (facade.SecondaryDNS, error) {
	fopts := []fakes.Option{fakes.WithLogger(a.logger), fakes.WithPrivatePrimaries()}
	copts := []facade.Option{facade.WithLogger(a.logger), facade.WithPrivatePrimaries(), facade.WithUserAgent("secdns/" + facade.Version)}
	switch p {
	case facade.ProviderIONOS:
		f := fakes.NewIONOS(append(fopts, fakes.WithProvisioningReads(0))...)
		env.closers = append(env.closers, f.Close)
		return ionos.New(f.Token(), append(copts, facade.WithBaseURL(f.URL()))...)
	case facade.ProviderDNSimple:
		f := fakes.NewDNSimple(fopts...)
		env.closers = append(env.closers, f.Close)
		return dnsimple.New(f.Token(), int64(f.AccountID()), append(copts, facade.WithBaseURL(f.URL()))...)
	case facade.ProviderCloudflare:
		f := fakes.NewCloudflare(fopts...)
		env.closers = append(env.closers, f.Close)
		return cloudflare.New(f.Token(), f.AccountID(), append(copts, facade.WithBaseURL(f.URL()))...)
	}
	return nil, usagef("unknown provider %q", p)
}

// fakeDNSServer starts a loopback DNS server closed with env.
func (a *app) fakeDNSServer(ctx context.Context, env *verifyFakes) (*dnswire.Server, error) {
	s, err := dnswire.Listen(ctx)
	if err != nil {
		return nil, err
	}
	env.closers = append(env.closers, func() {
		if err := s.Close(); err != nil && !errors.Is(err, context.Canceled) {
			a.logger.Warn("closing a fake DNS server", "err", err)
		}
	})
	return s, nil
}
