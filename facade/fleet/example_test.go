package fleet_test

import (
	"errors"
	"fmt"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

// A file with mistakes: every problem is reported at once, with its line,
// before anything is sent.
func ExampleParseConfig() {
	_, err := fleet.ParseConfig("fleet.yaml", []byte(`providers:
  ionos:
    type: ionos
    token_env: IONOS_TOKEN
zones:
  example.com: {primaries: ["192.0.2.1:5353"]}
  Example.COM.: {primaries: [192.0.2.1]}
  example.org: {primaries: [192.0.2.1], colour: blue}
`))
	var ce *fleet.ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Printf("line %d: %s\n", p.Line, p.Msg)
		}
	}
	// Output:
	// line 6: zones.example.com: provider ionos (ionos) transfers from port 53 only, not 192.0.2.1:5353
	// line 7: zone example.com given twice (first at line 6)
	// line 8: zones.example.org: unknown key "colour" (known: primaries, tsig, providers)
}

// A plan is a value: filter it before applying, e.g. to leave deletions
// for later.
func ExamplePlan_Filter() {
	plan := &fleet.Plan{Providers: []fleet.ProviderPlan{{
		Provider: "cloudflare", Type: "cloudflare", Existing: 2, Keep: 1,
		Changes: []fleet.Change{
			{Zone: "new.example", Action: fleet.Create, Primaries: []string{"192.0.2.1"}},
			{Zone: "old.example", Action: fleet.Delete},
		},
	}}}
	noDeletes := plan.Filter(func(_ string, c fleet.Change) bool { return c.Action != fleet.Delete })
	for _, pp := range noDeletes.Providers {
		fmt.Println(pp.Provider, pp.Count(fleet.Create), pp.Count(fleet.Delete), pp.Keep)
	}
	// Output:
	// cloudflare 1 0 1
}
