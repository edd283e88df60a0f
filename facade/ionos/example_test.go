package ionos_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Creating a secondary zone on the IONOS fake, through the neutral
// interface and the typed API.
func Example() {
	f := fakes.NewIONOS()
	defer f.Close()

	c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	var dns facade.SecondaryDNS = c
	z, err := dns.CreateZone(ctx, "Example.COM.", []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::1")},
	}, facade.WithWaitUntilAvailable())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(z.Provider, z.Name, z.State, z.Primaries)

	// IONOS transfers from port 53 only.
	_, err = dns.CreateZone(ctx, "example.net", []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1"), Port: 5353}})
	fmt.Println(err)

	for sz, err := range c.ListSecondaryZones(ctx, ionos.ListOptions{ZoneName: "example"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(sz.Name, sz.State, sz.PrimaryIPs)
	}
	// Output:
	// ionos example.com available [192.0.2.1:53 [2001:db8::1]:53]
	// ionos: CreateZone: unsupported by the provider: primary 192.0.2.1:5353: IONOS transfers from port 53 only: unsupported operation
	// example.com AVAILABLE [192.0.2.1 2001:db8::1]
}
