package fakes_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// A test starts a fake (in a test, use fakes.StartIONOS(t) instead, which
// also fails the test on invalid traffic), points a generated client at it
// and uses it like the real API.
func Example() {
	f := fakes.NewIONOS(fakes.WithValidateResponses(true))
	defer f.Close()

	c, err := ionosapi.NewClientWithResponses(f.URL(), ionosapi.WithRequestEditorFn(
		func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+f.Token())
			return nil
		}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	created, err := c.CreateSecondaryZoneWithResponse(ctx, ionosapi.SecondaryZoneCreate{
		Properties: ionosapi.SecondaryZone{ZoneName: "example.com", PrimaryIps: []string{"192.0.2.1"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(created.StatusCode(), created.JSON202.Properties.ZoneName, created.JSON202.Metadata.State)

	// By default one read sees the zone PROVISIONING, later ones AVAILABLE.
	for range 2 {
		got, err := c.GetSecondaryZoneWithResponse(ctx, created.JSON202.ID)
		if err != nil {
			panic(err)
		}
		fmt.Println(got.StatusCode(), got.JSON200.Properties.ZoneName, got.JSON200.Metadata.State)
	}
	fmt.Println("invalid requests:", len(f.InvalidRequests()), "invalid responses:", len(f.InvalidResponses()))
	// Output:
	// 202 example.com PROVISIONING
	// 200 example.com PROVISIONING
	// 200 example.com AVAILABLE
	// invalid requests: 0 invalid responses: 0
}
