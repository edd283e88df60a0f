// Command dnsimple-min makes one call (get a zone; dnsimple-go has no
// secondary DNS API) through the official DNSimple SDK: build-time and
// binary-size comparison (scripts/bench.sh build).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/dnsimple/dnsimple-go/v7/dnsimple"
)

func main() {
	ctx := context.Background()
	c := dnsimple.NewClient(dnsimple.StaticTokenHTTPClient(ctx, os.Getenv("DNSIMPLE_TOKEN")))
	z, err := c.Zones.GetZone(ctx, os.Getenv("DNSIMPLE_ACCOUNT_ID"), os.Getenv("DNSIMPLE_ZONE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(z.Data.Name)
}
