package main

import (
	"context"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/verify"
)

// verifyFakes is what verify --fake runs against.
type verifyFakes struct {
	providers []facade.SecondaryDNS
	primary   netip.AddrPort
	zones     []string
	opts      []verify.Option
	close     func()
}

// startVerifyFakes starts the in-process primary and fakes for verify --fake.
func startVerifyFakes(_ context.Context, _ *app, _, _ []string) (*verifyFakes, error) {
	return nil, usagef("verify --fake needs the fakes to serve DNS, which they do not yet")
}
