package main

import (
	"context"
	"log/slog"
	"net/netip"
	"strconv"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// fakeEnv is an in-process fake provider and what a client needs to reach it.
type fakeEnv struct {
	url, token, account string
	close               func()
	dns                 func() *fakes.DNS // the fake's DNS side, started on first call
}

// startFake starts an in-process fake of the provider. IONOS zones become
// AVAILABLE on the second read, so that --wait shows its progress.
func startFake(_ context.Context, provider string, logger *slog.Logger, extra ...fakes.Option) (*fakeEnv, error) {
	opts := append([]fakes.Option{fakes.WithLogger(logger)}, extra...)
	switch provider {
	case facade.ProviderIONOS:
		f := fakes.NewIONOS(append(opts, fakes.WithProvisioningReads(2))...)
		return &fakeEnv{url: f.URL(), token: f.Token(), close: f.Close, dns: f.DNS}, nil
	case facade.ProviderDNSimple:
		f := fakes.NewDNSimple(opts...)
		return &fakeEnv{url: f.URL(), token: f.Token(), account: strconv.Itoa(f.AccountID()), close: f.Close, dns: f.DNS}, nil
	case facade.ProviderCloudflare:
		f := fakes.NewCloudflare(opts...)
		return &fakeEnv{url: f.URL(), token: f.Token(), account: f.AccountID(), close: f.Close, dns: f.DNS}, nil
	}
	return nil, usagef("unknown provider %q: use ionos, dnsimple or cloudflare", provider)
}

// seedZone is the zone every --fake run starts with (primary 192.0.2.53),
// so that list, get and status have something to show.
const seedZone = "example.net"

// seed creates seedZone through the same client the command uses.
func (a *app) seed(ctx context.Context) error {
	p := facade.Primary{Addr: netip.MustParseAddr("192.0.2.53")}
	_, err := a.neutral.CreateZone(ctx, seedZone, []facade.Primary{p})
	return err
}
