// Command facade-min makes one call through the secondarydns-go facade for
// each of the three providers. It exists to measure build time and binary
// size (scripts/bench.sh build); pass a base URL to actually run it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
)

func main() {
	ctx := context.Background()
	var opts []facade.Option
	if len(os.Args) > 1 {
		opts = append(opts, facade.WithBaseURL(os.Args[1]))
	}
	i, err := ionos.New(os.Getenv("IONOS_TOKEN"), opts...)
	check(err)
	z, err := i.GetSecondaryZone(ctx, os.Getenv("IONOS_ZONE_ID"))
	check(err)
	fmt.Println(z.Name)

	d, err := dnsimple.New(os.Getenv("DNSIMPLE_TOKEN"), 1010, opts...)
	check(err)
	dz, err := d.GetAccountZone(ctx, os.Getenv("DNSIMPLE_ZONE"))
	check(err)
	fmt.Println(dz.Name)

	c, err := cloudflare.New(os.Getenv("CLOUDFLARE_API_TOKEN"), os.Getenv("CLOUDFLARE_ACCOUNT_ID"), opts...)
	check(err)
	in, err := c.GetIncoming(ctx, os.Getenv("CLOUDFLARE_ZONE_ID"))
	check(err)
	fmt.Println(in.Name)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
