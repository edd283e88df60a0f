package dnsimple_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Re-pointing zones as a listing returned them (what a fleet apply does):
// with [facade.Repointer], DNSimple sends only the link changes.
func ExampleClient_RepointZone() {
	f := fakes.NewDNSimple()
	defer f.Close()
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	a, b := facade.Primary{Addr: netip.MustParseAddr("192.0.2.1")}, facade.Primary{Addr: netip.MustParseAddr("192.0.2.2")}
	for _, n := range []string{"a.example", "b.example"} {
		if _, err := c.CreateZone(ctx, n, []facade.Primary{a}); err != nil {
			fmt.Println(err)
			return
		}
	}
	_, _ = c.CreateZone(ctx, "other.example", []facade.Primary{b})

	var dns facade.SecondaryDNS = c
	var listed []facade.Zone // the plan: zones as listed
	for z, err := range dns.ListZones(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if z.Name != "other.example" {
			listed = append(listed, z)
		}
	}
	for _, z := range listed {
		var err error
		before := f.Stats().Requests
		if r, ok := dns.(facade.Repointer); ok {
			z, err = r.RepointZone(ctx, z, []facade.Primary{b})
		} else {
			z, err = dns.SetPrimaries(ctx, z.Name, []facade.Primary{b})
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(z.Name, z.Primaries, f.Stats().Requests-before, "requests")
	}
	// Output:
	// a.example [192.0.2.2:53] 2 requests
	// b.example [192.0.2.2:53] 2 requests
}
