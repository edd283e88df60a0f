package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
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
	serial := demoSerial(time.Now())
	for _, z := range zones {
		name, err := facade.NormalizeZoneName(z)
		if err != nil {
			return nil, usagef("%v", unwrapMessage(err))
		}
		if _, err := pri.SetZone(name, primary.ExampleZone(name, serial)); err != nil {
			return nil, err
		}
	}
	env.primary = netip.MustParseAddrPort(pri.Addr())
	resolver := verify.StaticResolver{}
	for _, p := range providers {
		ds, err := a.demoSecondaryFor(ctx, p, p)
		if err != nil {
			return nil, fmt.Errorf("%s fake: %w", p, err)
		}
		env.closers = append(env.closers, ds.sub.cleanup)
		env.providers = append(env.providers, ds.sub.neutral)
		fp, err := demoPrimaryFor(ds, pri.Addr())
		if err != nil {
			return nil, err
		}
		for _, z := range zones {
			zone, err := ds.sub.neutral.CreateZone(ctx, z, []facade.Primary{fp})
			if err != nil {
				return nil, fmt.Errorf("%s fake: %w", p, err)
			}
			// The fake transfers the zone on creation; wait for it.
			wctx, cancel := context.WithTimeout(ctx, demoWait)
			_, err = ds.dns.Wait(wctx, zone.Name, func(z fakes.DNSZone) bool { return z.Serial == serial || z.Attempts > 0 })
			cancel()
			if err != nil {
				return nil, fmt.Errorf("%s fake: %w", p, err)
			}
		}
		if err := addResolver(resolver, ds.dns); err != nil {
			return nil, err
		}
	}
	env.opts = append(env.opts, verify.WithResolver(resolver))
	return env, nil
}

// addResolver adds the names a fake's DNS side answers for to r.
func addResolver(r verify.StaticResolver, dns *fakes.DNS) error {
	for name, addr := range dns.Resolver() {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil {
			return err
		}
		r[name] = append(r[name], ap)
	}
	return nil
}
