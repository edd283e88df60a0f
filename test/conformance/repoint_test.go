package conformance_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// Provider-specific checks of facade.Repointer (the generic ones are the
// conformance suite's Repoint check): the cost against SetPrimaries for
// the fleet benchmark's change, answers about another zone, and zones
// changed by someone else since the listing.

var (
	repointOld = []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.41")}, {Addr: netip.MustParseAddr("192.0.2.42")}}
	repointNew = []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.43")}}
)

// repointFake is a provider's fake with two clients on it (the second
// plays someone else) and its request counter.
type repointFake struct {
	name          string
	client, other facade.SecondaryDNS
	requests      func() int
}

func repointFakes(t *testing.T) []repointFake {
	fi := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
	fd, dc, do := twoDNSimple(t)
	fc := fakes.StartCloudflare(t)
	two := func(mk func() (facade.SecondaryDNS, error)) (facade.SecondaryDNS, facade.SecondaryDNS) {
		a, err := mk()
		require.NoError(t, err)
		b, err := mk()
		require.NoError(t, err)
		return a, b
	}
	ic, io := two(func() (facade.SecondaryDNS, error) { return ionos.New(fi.Token(), clientOptions(fi.URL())...) })
	cc, co := two(func() (facade.SecondaryDNS, error) {
		return cloudflare.New(fc.Token(), fc.AccountID(), clientOptions(fc.URL())...)
	})
	return []repointFake{
		{facade.ProviderIONOS, ic, io, func() int { return fi.Stats().Requests }},
		{facade.ProviderDNSimple, dc, do, func() int { return fd.Stats().Requests }},
		{facade.ProviderCloudflare, cc, co, func() int { return fc.Stats().Requests }},
	}
}

// listedZone lists c's zones and returns the one called name.
func listedZone(t *testing.T, c facade.SecondaryDNS, name string) facade.Zone {
	t.Helper()
	for z, err := range c.ListZones(t.Context()) {
		require.NoError(t, err)
		if z.Name == name {
			return z
		}
	}
	require.Failf(t, "not listed", "%s", name)
	return facade.Zone{}
}

// TestRepointCost: the fleet benchmark's change (a zone listed with two
// primaries re-pointed to one other, whose account object exists) costs
// the API minimum with RepointZone, fewer requests than SetPrimaries.
func TestRepointCost(t *testing.T) {
	t.Parallel()
	minimum := map[string]int{facade.ProviderIONOS: 1, facade.ProviderDNSimple: 3, facade.ProviderCloudflare: 1}
	for _, f := range repointFakes(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			for _, n := range []string{"set.example", "repoint.example"} {
				_, err := f.client.CreateZone(ctx, n, repointOld)
				require.NoError(t, err)
			}
			_, err := f.client.CreateZone(ctx, "new.example", repointNew)
			require.NoError(t, err)
			set := listedZone(t, f.client, "set.example")
			cur := listedZone(t, f.client, "repoint.example")

			before := f.requests()
			_, err = f.client.SetPrimaries(ctx, set.Name, repointNew)
			require.NoError(t, err)
			viaSet := f.requests() - before
			before = f.requests()
			z, err := f.client.(facade.Repointer).RepointZone(ctx, cur, repointNew)
			require.NoError(t, err)
			viaRepoint := f.requests() - before
			t.Logf("%s: re-pointing a listed zone from two primaries to one: SetPrimaries %d requests, RepointZone %d (minimum %d)",
				f.name, viaSet, viaRepoint, minimum[f.name])
			assert.Equal(t, minimum[f.name], viaRepoint)
			assert.Less(t, viaRepoint, viaSet)
			assert.True(t, facade.EqualPrimaries(repointNew, z.Primaries), "%v", z.Primaries)
			got, err := f.other.GetZone(ctx, "repoint.example")
			require.NoError(t, err)
			assert.True(t, facade.EqualPrimaries(repointNew, got.Primaries), "%v", got.Primaries)
		})
	}
}

// TestRepointRecreatedSinceListing: someone else deleted the zone and
// created it again (a new ID) after the listing. RepointZone never
// re-creates the old ID beside it: the update by the old ID is refused
// (IONOS 409, the name is taken; Cloudflare 404) and the fallback
// re-points the zone now called so; DNSimple addresses zones by name, so
// its link changes apply to the zone now called so directly.
func TestRepointRecreatedSinceListing(t *testing.T) {
	t.Parallel()
	for _, f := range repointFakes(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			_, err := f.client.CreateZone(ctx, "again.example", repointOld)
			require.NoError(t, err)
			_, err = f.client.CreateZone(ctx, "new.example", repointNew)
			require.NoError(t, err)
			cur := listedZone(t, f.client, "again.example")
			require.NoError(t, f.other.DeleteZone(ctx, "again.example"))
			fresh, err := f.other.CreateZone(ctx, "again.example", repointOld[:1])
			require.NoError(t, err)

			z, err := f.client.(facade.Repointer).RepointZone(ctx, cur, repointNew)
			require.NoError(t, err)
			assert.True(t, facade.EqualPrimaries(repointNew, z.Primaries), "%v", z.Primaries)
			got, err := f.other.GetZone(ctx, "again.example")
			require.NoError(t, err)
			if f.name != facade.ProviderDNSimple { // DNSimple addresses zones by name; its IDs are not compared
				assert.Equal(t, fresh.ID, got.ID, "the zone now called so was re-pointed")
			}
			assert.True(t, facade.EqualPrimaries(repointNew, got.Primaries), "converged: %v", got.Primaries)
			n := 0
			for z, err := range f.other.ListZones(ctx) {
				require.NoError(t, err)
				if z.Name == "again.example" {
					n++
				}
			}
			assert.Equal(t, 1, n, "one zone of the name")
		})
	}
}

// TestDNSimpleRepointLinksChanged: a primary server the listed zone was
// linked to was deleted since (which unlinks it); RepointZone's unlink is
// answered 404 and the fallback (SetPrimaries' path, reading the links
// afresh) converges. A removal-only re-pointing of a zone deleted since
// is answered 400 and ends in ErrNotFound.
func TestDNSimpleRepointLinksChanged(t *testing.T) {
	t.Parallel()
	f, c, other := twoDNSimple(t)
	ctx := t.Context()
	_, err := c.CreateZone(ctx, "links.example", repointOld)
	require.NoError(t, err)
	cur := listedZone(t, c, "links.example")
	for _, s := range f.PrimaryServers() {
		if s.IP == repointOld[1].Addr.String() {
			require.NoError(t, other.DeletePrimaryServer(ctx, int64(s.ID)))
		}
	}
	z, err := c.RepointZone(ctx, cur, repointOld[:1])
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(repointOld[:1], z.Primaries), "%v", z.Primaries)
	got, err := other.GetZone(ctx, "links.example")
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(repointOld[:1], got.Primaries), "%v", got.Primaries)

	_, err = c.CreateZone(ctx, "two.example", repointOld)
	require.NoError(t, err)
	cur2 := listedZone(t, c, "two.example")
	require.NoError(t, other.DeleteZone(ctx, "two.example"))
	_, err = c.RepointZone(ctx, cur2, repointOld[:1])
	require.ErrorIs(t, err, facade.ErrNotFound)
	_, err = other.GetZone(ctx, "two.example")
	require.ErrorIs(t, err, facade.ErrNotFound, "nothing re-created")
}

// twoDNSimple starts a DNSimple fake with two clients on it (the second
// plays someone else).
func twoDNSimple(t *testing.T) (*fakes.DNSimple, *dnsimple.Client, *dnsimple.Client) {
	f := fakes.StartDNSimple(t)
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
	require.NoError(t, err)
	other, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
	require.NoError(t, err)
	return f, c, other
}

// TestRepointHostile: the update's answer is about another zone (IONOS:
// another UUID and name; DNSimple: the linked server does not list the
// zone; Cloudflare: another zone's configuration). RepointZone fails with
// ErrUnexpectedResponse after that one write and changes nothing further
// (no fallback, no unlink).
func TestRepointHostile(t *testing.T) {
	t.Parallel()
	server := func(id int, ip string, linked ...string) map[string]any {
		return map[string]any{"id": id, "account_id": hostileAccountDNSimple, "name": "s", "ip": ip, "port": 53,
			"linked_secondary_zones": append([]string{}, linked...), "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
	}
	cfOK := func(v any) any {
		return map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": v}
	}
	for _, p := range hostileProviders {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
				switch {
				case p.isZoneList(r):
					return 200, p.zoneList([]any{p.zone(1, "example.com")}, 1, false), true
				case p.name == facade.ProviderIONOS && r.Method == http.MethodPut:
					return 202, p.zone(2, "other.example"), true
				case p.name == facade.ProviderDNSimple && r.Method == http.MethodGet && r.URL.Path == "/v2/1010/secondary_dns/primaries":
					return 200, dnsimpleList([]any{server(6, "192.0.2.1", "example.com"), server(7, "192.0.2.10")}, 1, false), true
				case p.name == facade.ProviderDNSimple && strings.HasSuffix(r.URL.Path, "/primaries/7/link"):
					return 200, p.one(server(7, "192.0.2.10", "other.example")), true
				case p.name == facade.ProviderCloudflare && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/secondary_dns/peers"):
					return 200, cfOK([]any{map[string]any{"id": fmt.Sprintf("%032x", 9), "name": "p", "ip": "192.0.2.10", "port": 53}}), true
				case p.name == facade.ProviderCloudflare && r.Method == http.MethodPut:
					return 200, cfOK(map[string]any{"id": fmt.Sprintf("%032x", 2), "name": "other.example.", "peers": []string{fmt.Sprintf("%032x", 9)}, "auto_refresh_seconds": 86400}), true
				}
				return 0, nil, false
			})
			c := p.newClient(t, hs.url)
			ctx := t.Context()
			cur := listedZone(t, c, "example.com")
			before := len(hs.writes())
			_, err := c.(facade.Repointer).RepointZone(ctx, cur, primariesB)
			require.ErrorIs(t, err, facade.ErrUnexpectedResponse)
			assert.NotErrorIs(t, err, facade.ErrNotFound)
			assert.Contains(t, err.Error(), "RepointZone")
			assert.Len(t, hs.writes()[before:], 1, "one write, nothing after the answer about another zone: %v", hs.writes()[before:])
		})
	}
}
