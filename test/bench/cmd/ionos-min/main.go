// Command ionos-min makes one call (get a secondary zone) through the
// official IONOS Cloud DNS SDK: build-time and binary-size comparison
// (scripts/bench.sh build).
package main

import (
	"context"
	"fmt"
	"os"

	ionoscloud "github.com/ionos-cloud/sdk-go-dns"
)

func main() {
	c := ionoscloud.NewAPIClient(ionoscloud.NewConfiguration("", "", os.Getenv("IONOS_TOKEN"), ""))
	z, _, err := c.SecondaryZonesApi.SecondaryzonesFindById(context.Background(), os.Getenv("IONOS_ZONE_ID")).Execute()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(*z.Properties.ZoneName)
}
