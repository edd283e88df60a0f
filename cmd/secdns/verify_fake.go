package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// verifyFakes is what verify --fake runs against: an in-process primary and
// the providers' fakes with the zones created on them as its secondaries;
// each fake's DNS side transferred them by AXFR and serves them on loopback.
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
// primary, whose DNS sides transfer and serve them.
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
	serial := fakeSerial(time.Now())
	resolver := verify.StaticResolver{}
	for _, p := range providers {
		client, dns, err := a.privateFake(p, env)
		if err != nil {
			return nil, fmt.Errorf("%s fake: %w", p, err)
		}
		env.providers = append(env.providers, client)
		fp := facade.Primary{Addr: env.primary.Addr(), Port: env.primary.Port()}
		if p == facade.ProviderIONOS {
			// IONOS takes port 53 only, which an unprivileged process
			// cannot bind: the fake's transfers from 127.0.0.1:53 go to the
			// primary's real port.
			fp.Port = 0
			if err := dns.Route(fp.Addr.String(), env.primary.String()); err != nil {
				return nil, err
			}
		}
		for _, z := range zones {
			zone, err := client.CreateZone(ctx, z, []facade.Primary{fp})
			if err != nil {
				return nil, fmt.Errorf("%s fake: %w", p, err)
			}
			// The fake transfers the zone on creation; wait for it.
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_, err = dns.Wait(wctx, zone.Name, func(z fakes.DNSZone) bool { return z.Serial == serial || z.Attempts > 0 })
			cancel()
			if err != nil {
				return nil, fmt.Errorf("%s fake: %w", p, err)
			}
		}
		for name, addr := range dns.Resolver() {
			ap, err := netip.ParseAddrPort(addr)
			if err != nil {
				return nil, err
			}
			resolver[name] = []netip.AddrPort{ap}
		}
	}
	env.opts = append(env.opts, verify.WithResolver(resolver))
	return env, nil
}

// privateFake starts provider p's fake and a client of it, both allowing
// loopback primaries (the in-process primary is on 127.0.0.1).
func (a *app) privateFake(p string, env *verifyFakes) (facade.SecondaryDNS, *fakes.DNS, error) {
	fopts := []fakes.Option{fakes.WithLogger(a.logger), fakes.WithPrivatePrimaries()}
	copts := []facade.Option{facade.WithLogger(a.logger), facade.WithPrivatePrimaries(), facade.WithUserAgent("secdns/" + facade.Version)}
	switch p {
	case facade.ProviderIONOS:
		f := fakes.NewIONOS(append(fopts, fakes.WithProvisioningReads(0))...)
		env.closers = append(env.closers, f.Close)
		c, err := ionos.New(f.Token(), append(copts, facade.WithBaseURL(f.URL()))...)
		return c, f.DNS(), err
	case facade.ProviderDNSimple:
		f := fakes.NewDNSimple(fopts...)
		env.closers = append(env.closers, f.Close)
		c, err := dnsimple.New(f.Token(), int64(f.AccountID()), append(copts, facade.WithBaseURL(f.URL()))...)
		return c, f.DNS(), err
	case facade.ProviderCloudflare:
		f := fakes.NewCloudflare(fopts...)
		env.closers = append(env.closers, f.Close)
		c, err := cloudflare.New(f.Token(), f.AccountID(), append(copts, facade.WithBaseURL(f.URL()))...)
		return c, f.DNS(), err
	}
	return nil, nil, usagef("unknown provider %q", p)
}
