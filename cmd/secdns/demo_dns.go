package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// demoWait bounds each wait for a transfer in the demo; on loopback they
// take milliseconds.
const demoWait = 10 * time.Second

// demoSecondary is one provider in the DNS part of the demo: a fake with its
// DNS side, and the client of it.
type demoSecondary struct {
	title string
	sub   *app
	dns   *fakes.DNS
}

// demoDNSPlane is the DNS part of the demo: an in-process primary serves
// the zone; the zone is created at the three fakes pointing at it; each
// fake transfers it by AXFR and serves it; the primary bumps the serial and
// sends NOTIFY; each fake transfers and serves the new serial.
func (a *app) demoDNSPlane(ctx context.Context) error {
	w := a.stdout
	fmt.Fprintf(w, "\n== The DNS plane: real zone transfers over loopback ==\n")
	pri, err := primary.Start(ctx, primary.WithLogger(a.logger))
	if err != nil {
		return err
	}
	defer func() { _ = pri.Close() }()
	serial := demoSerial(time.Now())
	if _, err := pri.SetZone(demoZone, primary.ExampleZone(demoZone, serial)); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n  An in-process primary serves %s, serial %d, on %s (UDP and TCP).\n", demoZone, serial, pri.Addr())
	fmt.Fprintf(w, "  Each provider's fake is a real secondary: it transfers the zone by AXFR\n  and serves it on its own loopback port, standing for its nameservers.\n")

	var secs []demoSecondary
	defer func() {
		for _, s := range secs {
			s.sub.cleanup()
		}
	}()
	fmt.Fprintf(w, "\n  1. create %s at the three providers, primary %s\n", demoZone, pri.Addr())
	for _, p := range demoProviders() {
		s, err := a.demoSecondaryFor(ctx, p.name, p.title)
		if err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		secs = append(secs, s)
		prim, err := demoPrimaryFor(s, pri.Addr())
		if err != nil {
			return err
		}
		if _, err := s.sub.neutral.CreateZone(ctx, demoZone, []facade.Primary{prim}); err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		pri.AddNotifyTarget(demoZone, s.dns.Addr())
		z, err := waitServed(ctx, s, serial)
		if err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		fmt.Fprintf(w, "     %-16s transferred serial %d by AXFR; serving it on %s\n", s.title+":", z.Serial, s.dns.Addr())
	}

	fmt.Fprintf(w, "\n  2. check: the primary's serial against each provider's API and nameservers\n")
	if err := a.demoCheck(ctx, pri.Addr(), secs); err != nil {
		return err
	}

	next, results, err := pri.Bump(ctx, demoZone)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n  3. the primary bumps the serial to %d and sends NOTIFY\n", next)
	for i, r := range results {
		status := "acknowledged"
		if r.Err != nil {
			status = "failed: " + r.Err.Error()
		}
		fmt.Fprintf(w, "     NOTIFY to %-16s %s\n", secs[i].title+":", status)
	}
	for _, s := range secs {
		z, err := waitServed(ctx, s, next)
		if err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		fmt.Fprintf(w, "     %-16s transferred serial %d after %d NOTIFY\n", s.title+":", z.Serial, z.Notifies)
	}

	fmt.Fprintf(w, "\n  4. check again\n")
	return a.demoCheck(ctx, pri.Addr(), secs)
}

// demoSecondaryFor starts provider p's fake allowing loopback primaries, and
// a client of it.
func (a *app) demoSecondaryFor(ctx context.Context, p, title string) (demoSecondary, error) {
	env, err := startFake(ctx, p, a.logger, fakes.WithPrivatePrimaries(), fakes.WithProvisioningReads(0))
	if err != nil {
		return demoSecondary{}, err
	}
	sub := &app{stdout: a.stdout, stderr: a.stderr, getenv: a.getenv, logger: a.logger, privatePrimaries: true}
	sub.g = globals{provider: p}
	sub.g.baseURL, sub.g.token, sub.g.account = env.url, env.token, env.account
	if err := sub.connect(ctx); err != nil {
		env.close()
		return demoSecondary{}, err
	}
	sub.cleanup = env.close
	return demoSecondary{title: title, sub: sub, dns: env.dns()}, nil
}

// demoPrimaryFor is the primary to configure at s for a primary on addr.
// IONOS takes port 53 only, which an unprivileged process cannot bind: the
// zone says 127.0.0.1 (port 53) and the fake's DNS side is told where that
// primary really listens.
func demoPrimaryFor(s demoSecondary, addr string) (facade.Primary, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return facade.Primary{}, err
	}
	if s.sub.g.provider == facade.ProviderIONOS {
		return facade.Primary{Addr: ap.Addr()}, s.dns.Route(ap.Addr().String(), addr)
	}
	return facade.Primary{Addr: ap.Addr(), Port: ap.Port()}, nil
}

// waitServed waits until s serves the demo zone with serial.
func waitServed(ctx context.Context, s demoSecondary, serial uint32) (fakes.DNSZone, error) {
	ctx, cancel := context.WithTimeout(ctx, demoWait)
	defer cancel()
	z, err := s.dns.Wait(ctx, demoZone, func(z fakes.DNSZone) bool {
		return z.Serial == serial || (len(z.Primaries) > 0 && z.Primaries[0].Err != nil)
	})
	if err == nil && len(z.Primaries) > 0 && z.Primaries[0].Err != nil {
		err = z.Primaries[0].Err
	}
	return z, err
}

// demoCheck compares the primary's SOA serial with what each provider's API
// reports and what each of its nameservers serves.
//
// VERIFY HOOK: this is where `verify` belongs. Once facade/verify is merged,
// replace the body with
//
//	v, err := verify.New(netip.MustParseAddrPort(primaryAddr), providers,
//		verify.WithResolver(<the fakes' DNS.Resolver() maps>))
//	report, err := v.Verify(ctx, []string{demoZone})
//
// and print the report's table; the loop below does the same comparison by
// hand, with internal/dnswire.
func (a *app) demoCheck(ctx context.Context, primaryAddr string, secs []demoSecondary) error {
	w := a.stdout
	soa, err := dnswire.QuerySOA(ctx, primaryAddr, demoZone)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "     primary %s: serial %d\n", primaryAddr, soa.Serial)
	for _, s := range secs {
		st, err := s.sub.neutral.TransferStatus(ctx, demoZone)
		if err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		api := "API: serial not reported"
		if st.Serial != 0 {
			api = fmt.Sprintf("API: serial %d", st.Serial)
		}
		if !st.LastTransfer.IsZero() {
			api += ", last transfer " + timeString(st.LastTransfer)
		}
		for _, ps := range st.Primaries {
			if ps.Status != "" {
				api += ", primary " + ps.Status
			}
		}
		fmt.Fprintf(w, "     %-16s %s\n", s.title+":", api)
		res := s.dns.Resolver()
		names := make([]string, 0, len(res))
		for n := range res {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			got, err := dnswire.QuerySOA(ctx, res[n], demoZone)
			switch {
			case err != nil:
				fmt.Fprintf(w, "       %-24s %v\n", n, err)
			case got.Serial == soa.Serial:
				fmt.Fprintf(w, "       %-24s serial %d  in sync\n", n, got.Serial)
			default:
				fmt.Fprintf(w, "       %-24s serial %d  behind by %d\n", n, got.Serial, soa.Serial-got.Serial)
			}
			if err != nil && !errors.Is(err, dnswire.ErrRefused) {
				return err
			}
		}
	}
	return nil
}

// demoSerial is today's date and 01, the usual YYYYMMDDnn serial (RFC 1912).
func demoSerial(now time.Time) uint32 {
	y, m, d := now.UTC().Date()
	return uint32(y*1000000 + int(m)*10000 + d*100 + 1)
}
