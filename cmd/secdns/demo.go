package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// demoZone is the zone the demo creates on each provider.
const demoZone = "example.com"

// demoProviders names the providers the demo visits, in order.
func demoProviders() []struct{ name, title string } {
	return []struct{ name, title string }{
		{facade.ProviderIONOS, "IONOS Cloud DNS"},
		{facade.ProviderDNSimple, "DNSimple"},
		{facade.ProviderCloudflare, "Cloudflare"},
	}
}

// cmdDemo runs the secondary-zone lifecycle on each provider against an
// in-process fake, through the same connect path every command uses: only
// the base URL and the credentials point at the fake.
func cmdDemo(ctx context.Context, a *app, _ []string) error {
	w := a.stdout
	fmt.Fprintf(w, "secdns demo: one secondary zone, %s, through its whole life on three providers.\n", demoZone)
	fmt.Fprintf(w, "Each provider is an in-process fake that validates every request against the\nprovider's OpenAPI spec; the SDK code path is the one a real account uses.\n")
	if err := a.demoDNSPlane(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nNext, the management lifecycle on each provider (documentation primaries,\nsimulated transfers).\n")
	first := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::53")},
	}
	second := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("192.0.2.2")},
	}
	for _, p := range demoProviders() {
		sub := &app{stdout: a.stdout, stderr: a.stderr, getenv: a.getenv, logger: a.logger}
		sub.g = globals{provider: p.name, fake: true}
		if err := sub.connectFake(ctx); err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		err := sub.demoProvider(ctx, p.title, first, second)
		sub.cleanup()
		if err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
	}
	fmt.Fprintf(w, "\nDone: the same facade.SecondaryDNS calls ran on all three providers.\n")
	return nil
}

// connectFake connects to a fresh fake without seeding it.
func (a *app) connectFake(ctx context.Context) error {
	a.g.fake = false
	f, err := startFake(ctx, a.g.provider, a.logger)
	if err != nil {
		return err
	}
	a.cleanup = f.close
	a.g.baseURL, a.g.token, a.g.account = f.url, f.token, f.account
	return a.connect(ctx)
}

func (a *app) demoProvider(ctx context.Context, title string, first, second []facade.Primary) error {
	w := a.stdout
	step := 0
	say := func(format string, args ...any) {
		step++
		fmt.Fprintf(w, "\n  %d. %s\n", step, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "\n== %s (fake at %s) ==\n", title, a.g.baseURL)

	say("create %s, transferring from %s", demoZone, strings.Join(primaryStrings(first), " and "))
	z, err := a.neutral.CreateZone(ctx, demoZone, first)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "     created: id %s, state %s\n", z.ID, dash(z.State))
	if z, err = a.waitAvailable(ctx, z, w, "     "); err != nil {
		return err
	}

	say("show %s", demoZone)
	if z, err = a.neutral.GetZone(ctx, demoZone); err != nil {
		return err
	}
	fmt.Fprintf(w, "     state %s, primaries %s\n", dash(z.State), strings.Join(primaryStrings(z.Primaries), ", "))

	say("change the primaries to %s", strings.Join(primaryStrings(second), " and "))
	if z, err = a.neutral.SetPrimaries(ctx, demoZone, second); err != nil {
		return err
	}
	fmt.Fprintf(w, "     primaries now %s\n", strings.Join(primaryStrings(z.Primaries), ", "))

	say("trigger a zone transfer")
	switch err := a.neutral.Transfer(ctx, demoZone); {
	case err == nil:
		fmt.Fprintf(w, "     accepted: the provider transfers from the primaries now\n")
	case errors.Is(err, errors.ErrUnsupported):
		fmt.Fprintf(w, "     not offered by this provider's API: it transfers on NOTIFY from your primary\n")
	default:
		return err
	}

	say("read the transfer status")
	st, err := a.neutral.TransferStatus(ctx, demoZone)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "     last transfer %s, serial %s\n", dash(timeString(st.LastTransfer)), serialString(st.Serial))
	for _, ps := range st.Primaries {
		line := fmt.Sprintf("     primary %s: %s", ps.Primary, dash(ps.Status))
		if ps.Error != "" {
			line += " (" + ps.Error + ")"
		}
		fmt.Fprintln(w, line)
	}

	say("delete %s", demoZone)
	if err := a.neutral.DeleteZone(ctx, demoZone); err != nil {
		return err
	}
	_, err = a.neutral.GetZone(ctx, demoZone)
	if !errors.Is(err, facade.ErrNotFound) {
		return fmt.Errorf("zone still there after delete: %v", err)
	}
	fmt.Fprintf(w, "     deleted: reading it back now reports not found\n")
	return nil
}
