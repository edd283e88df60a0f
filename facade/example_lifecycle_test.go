package facade_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// The same secondary-zone lifecycle on every provider, through the
// provider-neutral interface. Zones read back comparable everywhere:
// primaries carry their effective port (53 where a provider has no port
// setting) and compare with facade.EqualPrimaries, and Readiness reads each
// provider's state in neutral terms. Here the clients talk to the in-memory
// fakes of package test/fakes; in production, drop facade.WithBaseURL and
// pass real credentials.
func Example_lifecycle() {
	fi := fakes.NewIONOS(fakes.WithProvisioningReads(0))
	defer fi.Close()
	fd := fakes.NewDNSimple()
	defer fd.Close()
	fc := fakes.NewCloudflare()
	defer fc.Close()

	ic, err := ionos.New(fi.Token(), facade.WithBaseURL(fi.URL()))
	if err != nil {
		panic(err)
	}
	dc, err := dnsimple.New(fd.Token(), int64(fd.AccountID()), facade.WithBaseURL(fd.URL()))
	if err != nil {
		panic(err)
	}
	cc, err := cloudflare.New(fc.Token(), fc.AccountID(), facade.WithBaseURL(fc.URL()))
	if err != nil {
		panic(err)
	}

	ctx := context.Background()
	primaries := []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::53")},
	}
	replacement := []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.10")}}

	var first facade.Zone // as the first provider read it back
	for _, c := range []facade.SecondaryDNS{ic, dc, cc} {
		p := c.Provider()
		// Names are normalised: "Example.COM." is example.com.
		z, err := c.CreateZone(ctx, "Example.COM.", primaries, facade.WithWaitUntilAvailable())
		if err != nil {
			fmt.Println(p, "create:", err)
			continue
		}
		fmt.Println(p, "created", z.Name, z.Primaries, z.Readiness)

		if _, err := c.CreateZone(ctx, "example.com", primaries); errors.Is(err, facade.ErrConflict) {
			fmt.Println(p, "create again: conflict")
		}

		z, err = c.GetZone(ctx, "example.com")
		if err != nil {
			fmt.Println(p, "get:", err)
			continue
		}
		fmt.Println(p, "got", z.Name, z.Primaries, "as asked:", facade.EqualPrimaries(z.Primaries, primaries))
		if first.Provider == "" {
			first = z
		}
		fmt.Println(p, "reads back like", first.Provider+":",
			z.Name == first.Name && facade.EqualPrimaries(z.Primaries, first.Primaries) && z.Readiness == first.Readiness)

		if z, err = c.SetPrimaries(ctx, z.Name, replacement); err != nil {
			fmt.Println(p, "set primaries:", err)
			continue
		}
		fmt.Println(p, "primaries now", z.Primaries, "as asked:", facade.EqualPrimaries(z.Primaries, replacement))

		// Not every provider can trigger a transfer.
		switch err := c.Transfer(ctx, z.Name); {
		case errors.Is(err, errors.ErrUnsupported):
			fmt.Println(p, "transfer: not supported, the provider transfers on its own schedule")
		case err != nil:
			fmt.Println(p, "transfer:", err)
		default:
			fmt.Println(p, "transfer requested")
		}

		st, err := c.TransferStatus(ctx, z.Name)
		if err != nil {
			fmt.Println(p, "status:", err)
			continue
		}
		fmt.Println(p, "status of", st.Zone)

		if err := c.DeleteZone(ctx, z.Name); err != nil {
			fmt.Println(p, "delete:", err)
			continue
		}
		_, err = c.GetZone(ctx, z.Name)
		fmt.Println(p, "deleted, now not found:", errors.Is(err, facade.ErrNotFound))
	}
	// Output:
	// ionos created example.com [192.0.2.1:53 [2001:db8::53]:53] ready
	// ionos create again: conflict
	// ionos got example.com [192.0.2.1:53 [2001:db8::53]:53] as asked: true
	// ionos reads back like ionos: true
	// ionos primaries now [192.0.2.10:53] as asked: true
	// ionos transfer requested
	// ionos status of example.com
	// ionos deleted, now not found: true
	// dnsimple created example.com [192.0.2.1:53 [2001:db8::53]:53] ready
	// dnsimple create again: conflict
	// dnsimple got example.com [192.0.2.1:53 [2001:db8::53]:53] as asked: true
	// dnsimple reads back like ionos: true
	// dnsimple primaries now [192.0.2.10:53] as asked: true
	// dnsimple transfer: not supported, the provider transfers on its own schedule
	// dnsimple status of example.com
	// dnsimple deleted, now not found: true
	// cloudflare created example.com [192.0.2.1:53 [2001:db8::53]:53] ready
	// cloudflare create again: conflict
	// cloudflare got example.com [192.0.2.1:53 [2001:db8::53]:53] as asked: true
	// cloudflare reads back like ionos: true
	// cloudflare primaries now [192.0.2.10:53] as asked: true
	// cloudflare transfer requested
	// cloudflare status of example.com
	// cloudflare deleted, now not found: true
}

// Creating a secondary zone on Cloudflare that transfers from two primary
// servers, one of them on a non-standard port (IONOS would reject that with
// facade.ErrUnsupported, also errors.ErrUnsupported).
func Example_createZone() {
	f := fakes.NewCloudflare()
	defer f.Close()
	c, err := cloudflare.New(f.Token(), f.AccountID(), facade.WithBaseURL(f.URL()))
	if err != nil {
		panic(err)
	}

	z, err := c.CreateZone(context.Background(), "Bücher.Example.", []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::1"), Port: 5353},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(z.Provider, z.Name)
	for _, p := range z.Primaries {
		fmt.Println(" primary", p)
	}
	// Output:
	// cloudflare xn--bcher-kva.example
	//  primary 192.0.2.1:53
	//  primary [2001:db8::1]:5353
}
