package dnsimple_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Creating a secondary zone on the DNSimple fake, through the neutral
// interface and the typed API.
func Example() {
	f := fakes.NewDNSimple()
	defer f.Close()

	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	var dns facade.SecondaryDNS = c
	z, err := dns.CreateZone(ctx, "Example.COM.", []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::1"), Port: 5353},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(z.Provider, z.Name, z.Primaries)

	_, err = dns.CreateZone(ctx, "example.com", z.Primaries)
	fmt.Println("duplicate is a conflict:", errors.Is(err, facade.ErrConflict))

	// DNSimple cannot be asked to transfer a zone.
	err = dns.Transfer(ctx, "example.com")
	fmt.Println("transfer unsupported:", errors.Is(err, errors.ErrUnsupported))

	for ps, err := range c.ListPrimaryServers(ctx, dnsimple.ListOptions{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ps.Name, ps.LinkedSecondaryZones)
	}
	// Output:
	// dnsimple example.com [192.0.2.1:53 [2001:db8::1]:5353]
	// duplicate is a conflict: true
	// transfer unsupported: true
	// secondarydns 192.0.2.1:53 [example.com]
	// secondarydns [2001:db8::1]:5353 [example.com]
}
