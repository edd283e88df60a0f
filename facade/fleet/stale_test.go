package fleet_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
)

// others returns clients of e's fakes that are not e's: another process
// (or operator) changing the accounts behind the fleet's back.
func (e *env) others(t *testing.T) (*ionos.Client, *dnsimple.Client, *cloudflare.Client) {
	t.Helper()
	o := func(url string) []facade.Option {
		return []facade.Option{facade.WithBaseURL(url), facade.WithRetryPolicy(fastRetries)}
	}
	ic, err := ionos.New(e.io.Token(), o(e.io.URL())...)
	require.NoError(t, err)
	dc, err := dnsimple.New(e.ds.Token(), int64(e.ds.AccountID()), o(e.ds.URL())...)
	require.NoError(t, err)
	cc, err := cloudflare.New(e.cf.Token(), e.cf.AccountID(), o(e.cf.URL())...)
	require.NoError(t, err)
	return ic, dc, cc
}

// TestStaleState: between the plan (whose listing the clients may cache:
// zone IDs, Cloudflare peers, DNSimple primary servers) and the apply,
// another client deletes and re-creates a zone, or deletes the account
// objects. One apply must still act on the zone of that name as it is
// now and reach the desired state: never act on a deleted object and
// report success, never leave a zone pointing at a deleted peer or
// server.
func TestStaleState(t *testing.T) {
	t.Parallel()
	type others struct {
		io *ionos.Client
		ds *dnsimple.Client
		cf *cloudflare.Client
	}
	recreate := func(name string, ps []string) func(context.Context, *testing.T, facade.SecondaryDNS) {
		return func(ctx context.Context, t *testing.T, c facade.SecondaryDNS) {
			require.NoError(t, c.DeleteZone(ctx, name))
			_, err := c.CreateZone(ctx, name, mustPrimaries(t, ps))
			require.NoError(t, err)
		}
	}
	deleteAll := func(ctx context.Context, t *testing.T, o others, c facade.SecondaryDNS) {
		for z, err := range c.ListZones(ctx) {
			require.NoError(t, err)
			require.NoError(t, c.DeleteZone(ctx, z.Name))
		}
		for p, err := range o.cf.ListPeers(ctx) {
			require.NoError(t, err)
			require.NoError(t, o.cf.DeletePeer(ctx, p.ID))
		}
		for s, err := range o.ds.ListPrimaryServers(ctx, dnsimple.ListOptions{}) {
			require.NoError(t, err)
			require.NoError(t, o.ds.DeletePrimaryServer(ctx, s.ID))
		}
	}
	type staleCase struct {
		name       string
		provider   string // target name: io, ds, cf
		seed, goal []fleet.ZoneConfig
		meddle     func(ctx context.Context, t *testing.T, o others, c facade.SecondaryDNS)
	}
	var tests []staleCase
	for _, p := range []string{"io", "ds", "cf"} {
		tests = append(tests,
			staleCase{
				p + ": zone re-created before its re-pointing", p,
				[]fleet.ZoneConfig{zone("a.example", p1, p)},
				[]fleet.ZoneConfig{zone("a.example", p2, p)},
				func(ctx context.Context, t *testing.T, _ others, c facade.SecondaryDNS) {
					recreate("a.example", p1)(ctx, t, c)
				},
			},
			staleCase{
				p + ": zone re-created before its deletion", p,
				[]fleet.ZoneConfig{zone("a.example", p1, p), zone("b.example", p1, p)},
				[]fleet.ZoneConfig{zone("b.example", p1, p)},
				func(ctx context.Context, t *testing.T, _ others, c facade.SecondaryDNS) {
					recreate("a.example", p2)(ctx, t, c)
				},
			},
			staleCase{
				p + ": zones and account objects deleted before a creation", p,
				[]fleet.ZoneConfig{zone("a.example", p1, p)},
				[]fleet.ZoneConfig{zone("b.example", p1, p)},
				deleteAll,
			},
		)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, envOptions{owned: true})
			var target fleet.Target
			for _, x := range e.targets {
				if x.Name == tc.provider {
					target = x
				}
			}
			targets := []fleet.Target{target}
			seed := fleet.Desired{Zones: tc.seed}
			plan, err := fleet.MakePlan(ctx, seed, targets)
			require.NoError(t, err)
			require.NoError(t, fleet.Apply(ctx, plan, targets, fleet.ApplyOptions{}))

			goal := fleet.Desired{Zones: tc.goal}
			plan, err = fleet.MakePlan(ctx, goal, targets)
			require.NoError(t, err)
			require.False(t, plan.Empty())
			var o others
			o.io, o.ds, o.cf = e.others(t)
			c := map[string]facade.SecondaryDNS{"io": o.io, "ds": o.ds, "cf": o.cf}[tc.provider]
			tc.meddle(ctx, t, o, c)

			require.NoError(t, fleet.Apply(ctx, plan, targets, fleet.ApplyOptions{}))
			assert.Equal(t, want(goal, nil)[tc.provider], e.snapshot(t)[tc.provider], "after one apply")
		})
	}
}

func mustPrimaries(t *testing.T, ss []string) []facade.Primary {
	t.Helper()
	var out []facade.Primary
	for _, s := range ss {
		p, err := facade.ParsePrimary(s)
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}
