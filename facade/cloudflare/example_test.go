package cloudflare_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Creating a secondary zone with two primaries, here against the
// in-memory Cloudflare fake.
func Example() {
	fake := fakes.NewCloudflare(fakes.WithSeed(1))
	defer fake.Close()

	c, err := cloudflare.New(fake.Token(), fake.AccountID(), facade.WithBaseURL(fake.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	z, err := c.CreateZone(ctx, "Example.COM.", []facade.Primary{
		{Addr: netip.MustParseAddr("192.0.2.1")},
		{Addr: netip.MustParseAddr("2001:db8::1"), Port: 5353},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(z.Provider, z.Name, z.Primaries)

	got, err := c.GetZone(ctx, "example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.State, got.Primaries, got.ID == z.ID)

	// The zone exists now; the peers are account-wide and reusable.
	_, err = c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1")}})
	fmt.Println(errors.Is(err, facade.ErrConflict), len(fake.Peers()))
	// Output:
	// cloudflare example.com [192.0.2.1:53 [2001:db8::1]:5353]
	// active [192.0.2.1:53 [2001:db8::1]:5353] true
	// true 2
}
