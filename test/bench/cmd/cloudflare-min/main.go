// Command cloudflare-min makes one call (the secondary zone's incoming
// configuration) through the official cloudflare-go SDK, created with its
// documented entry point cloudflare.NewClient: build-time and binary-size
// comparison (scripts/bench.sh build).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
)

func main() {
	c := cloudflare.NewClient(option.WithAPIToken(os.Getenv("CLOUDFLARE_API_TOKEN")))
	in, err := c.DNS.ZoneTransfers.Incoming.Get(context.Background(), dns.ZoneTransferIncomingGetParams{
		ZoneID: cloudflare.F(os.Getenv("CLOUDFLARE_ZONE_ID")),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(in.Name)
}
