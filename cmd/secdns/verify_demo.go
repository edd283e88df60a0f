package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
)

// demoVerify is the demo's check: verify of the demo zone against the
// primary and the three fakes' nameservers (their DNS sides), printed as
// verify's table, indented. Anything but in sync is an error.
func (a *app) demoVerify(ctx context.Context, primaryAddr string, secs []demoSecondary) error {
	pri, err := netip.ParseAddrPort(primaryAddr)
	if err != nil {
		return err
	}
	resolver := verify.StaticResolver{}
	providers := make([]facade.SecondaryDNS, 0, len(secs))
	for _, s := range secs {
		providers = append(providers, s.sub.neutral)
		if err := addResolver(resolver, s.dns); err != nil {
			return err
		}
	}
	v, err := verify.New(pri, providers, verify.WithResolver(resolver),
		verify.WithNameservers(facade.ProviderDNSimple, dnsimpleNameservers()...), verify.WithLogger(a.logger))
	if err != nil {
		return err
	}
	rep, err := v.Verify(ctx, []string{demoZone})
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := rep.WriteTable(&b, false); err != nil {
		return err
	}
	for line := range strings.Lines(b.String()) {
		fmt.Fprint(a.stdout, "     "+line)
	}
	if rep.Severity != verify.OK {
		return fmt.Errorf("verify: %s is %s", demoZone, rep.Severity)
	}
	return nil
}
