package conformance_test

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/conformance"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// The adapters cache what they learnt from earlier answers: IONOS the
// zone IDs, DNSimple the primary servers, Cloudflare the peers and TSIG
// keys. These tests make the caches stale behind a client's back (another
// client deletes and re-creates things) and check that the client then
// acts on the right object, never on the stale one, and sends only the
// requests the API needs while its cache is right.

var cachePrimaries = []facade.Primary{{Addr: netip.MustParseAddr("192.0.2.1")}, {Addr: netip.MustParseAddr("192.0.2.2")}}

// TestIONOSStaleZoneID: a zone the client remembers was deleted and
// re-created by someone else (a new ID). Each by-name method acts on the
// new zone after a 404 for the old ID; a zone gone for good is ErrNotFound
// and stays gone (IONOS's PUT is an upsert: SetPrimaries must not use a
// remembered ID, or it would re-create the zone under it).
func TestIONOSStaleZoneID(t *testing.T) {
	t.Parallel()
	ops := []string{"SetPrimaries", "DeleteZone", "Transfer", "TransferStatus"}
	for _, op := range ops {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			f := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
			ctx := t.Context()
			c, err := ionos.New(f.Token(), clientOptions(f.URL())...)
			require.NoError(t, err)
			other, err := ionos.New(f.Token(), clientOptions(f.URL())...)
			require.NoError(t, err)

			old, err := c.CreateZone(ctx, "stale.example", cachePrimaries)
			require.NoError(t, err)
			require.NoError(t, other.DeleteZone(ctx, "stale.example"))
			fresh, err := other.CreateZone(ctx, "stale.example", cachePrimaries[:1])
			require.NoError(t, err)
			require.NotEqual(t, old.ID, fresh.ID)

			require.NoError(t, conformance.Call(ctx, c, op, "stale.example", cachePrimaries[1:]), op)
			zones := f.Zones()
			switch op {
			case "DeleteZone":
				for _, z := range zones {
					assert.NotEqual(t, "stale.example", z.ZoneName, "the re-created zone was deleted")
				}
			case "SetPrimaries":
				got, err := other.GetZone(ctx, "stale.example")
				require.NoError(t, err)
				assert.Equal(t, fresh.ID, got.ID)
				assert.True(t, facade.EqualPrimaries(cachePrimaries[1:], got.Primaries), "%v", got.Primaries)
			}

			// Gone for good: a definite not-found, after the fallback lookup.
			if op != "DeleteZone" {
				require.NoError(t, other.DeleteZone(ctx, "stale.example"))
			}
			err = conformance.Call(ctx, c, op, "stale.example", cachePrimaries[1:])
			require.ErrorIs(t, err, facade.ErrNotFound, op)
			assert.Empty(t, f.Zones(), "%s of a deleted zone re-created it", op)
		})
	}
}

// TestIONOSRememberedIDCost: once a zone's ID is known (from ListZones),
// Transfer, TransferStatus and DeleteZone send one request each;
// SetPrimaries two (lookup, PUT).
func TestIONOSRememberedIDCost(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
	ctx := t.Context()
	c, err := ionos.New(f.Token(), clientOptions(f.URL())...)
	require.NoError(t, err)
	_, err = f.AddZone(fakes.IONOSZone{ZoneName: "listed.example", PrimaryIPs: []string{"192.0.2.99"}})
	require.NoError(t, err)
	for _, err := range c.ListZones(ctx) {
		require.NoError(t, err)
	}
	for _, op := range []string{"SetPrimaries", "Transfer", "TransferStatus", "DeleteZone"} {
		before := f.Stats().Requests
		require.NoError(t, conformance.Call(ctx, c, op, "listed.example", cachePrimaries))
		want := 1
		if op == "SetPrimaries" {
			want = 2
		}
		assert.Equal(t, want, f.Stats().Requests-before, "%s of a listed zone: requests", op)
	}
}

// TestDNSimpleStalePrimaryServer: the primary servers a client cached were
// deleted by someone else; its next CreateZone re-lists, creates them again
// and links the zone to the new ones. With a right cache a CreateZone sends
// the zone creation and one link per primary.
func TestDNSimpleStalePrimaryServer(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	ctx := t.Context()
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
	require.NoError(t, err)
	other, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
	require.NoError(t, err)

	_, err = c.CreateZone(ctx, "one.example", cachePrimaries)
	require.NoError(t, err)
	before := f.Stats().Requests
	_, err = c.CreateZone(ctx, "two.example", cachePrimaries)
	require.NoError(t, err)
	assert.Equal(t, 1+len(cachePrimaries), f.Stats().Requests-before, "CreateZone with cached servers: requests")

	for _, name := range []string{"one.example", "two.example"} {
		require.NoError(t, other.DeleteZone(ctx, name))
	}
	for _, s := range f.PrimaryServers() {
		require.NoError(t, other.DeletePrimaryServer(ctx, int64(s.ID)))
	}
	z, err := c.CreateZone(ctx, "three.example", cachePrimaries)
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(cachePrimaries, z.Primaries), "%v", z.Primaries)
	got, err := other.GetZone(ctx, "three.example")
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(cachePrimaries, got.Primaries), "the zone is linked to live servers: %v", got.Primaries)
	assert.Len(t, f.PrimaryServers(), len(cachePrimaries), "servers re-created once")
}

// TestCloudflareStalePeer: the peers (and TSIG key) a client cached were
// deleted by someone else; its next CreateZone is refused naming them,
// re-lists, creates them again and succeeds. With a right cache a
// CreateZone sends the zone and its incoming configuration only.
func TestCloudflareStalePeer(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	ctx := t.Context()
	c, err := cloudflare.New(f.Token(), f.AccountID(), clientOptions(f.URL())...)
	require.NoError(t, err)
	other, err := cloudflare.New(f.Token(), f.AccountID(), clientOptions(f.URL())...)
	require.NoError(t, err)
	key := facade.TSIG{Name: "k.example.", Algorithm: "hmac-sha256", Secret: facade.Secret("c2VjcmV0c2VjcmV0c2VjcmV0")}

	_, err = c.CreateZone(ctx, "one.example", cachePrimaries, facade.WithTSIG(key))
	require.NoError(t, err)
	before := f.Stats().Requests
	_, err = c.CreateZone(ctx, "two.example", cachePrimaries, facade.WithTSIG(key))
	require.NoError(t, err)
	assert.Equal(t, 2, f.Stats().Requests-before, "CreateZone with cached peers and key: requests")

	for _, name := range []string{"one.example", "two.example"} {
		require.NoError(t, other.DeleteZone(ctx, name))
	}
	for _, p := range f.Peers() {
		require.NoError(t, other.DeletePeer(ctx, p.ID))
	}
	for _, k := range f.TSIGs() {
		require.NoError(t, other.DeleteTSIG(ctx, k.ID))
	}
	z, err := c.CreateZone(ctx, "three.example", cachePrimaries, facade.WithTSIG(key))
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(cachePrimaries, z.Primaries), "%v", z.Primaries)
	got, err := other.GetZone(ctx, "three.example")
	require.NoError(t, err)
	assert.True(t, facade.EqualPrimaries(cachePrimaries, got.Primaries), "the zone names live peers: %v", got.Primaries)
	assert.Equal(t, "k.example.", got.TSIGKey)
	assert.Len(t, f.Peers(), len(cachePrimaries), "peers re-created once")
	assert.Len(t, f.TSIGs(), 1, "key re-created once")
}

// TestConcurrentCreatesShareNewObjects: concurrent CreateZones on one
// client needing the same new account objects create each once and all
// succeed.
func TestConcurrentCreatesShareNewObjects(t *testing.T) {
	t.Parallel()
	providers := []struct {
		name    string
		new     func(t *testing.T) (facade.SecondaryDNS, func() int)
		objects int
	}{
		{facade.ProviderDNSimple, func(t *testing.T) (facade.SecondaryDNS, func() int) {
			f := fakes.StartDNSimple(t)
			c, err := dnsimple.New(f.Token(), int64(f.AccountID()), clientOptions(f.URL())...)
			require.NoError(t, err)
			return c, func() int { return len(f.PrimaryServers()) }
		}, len(cachePrimaries)},
		{facade.ProviderCloudflare, func(t *testing.T) (facade.SecondaryDNS, func() int) {
			f := fakes.StartCloudflare(t)
			c, err := cloudflare.New(f.Token(), f.AccountID(), clientOptions(f.URL())...)
			require.NoError(t, err)
			return c, func() int { return len(f.Peers()) }
		}, len(cachePrimaries)},
	}
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			c, objects := p.new(t)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = c.CreateZone(t.Context(), "z"+string(rune('a'+i))+".example", cachePrimaries)
				})
			}
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "call %d", i)
			}
			assert.Equal(t, p.objects, objects(), "account objects")
		})
	}
}

// TestFailedWaitReturnsZone: a CreateZone WithWaitUntilAvailable whose
// wait fails (every poll's connection dropped) keeps the zone and returns
// it as created, with Provider, ID and Name set, together with the error
// (the failed-wait contract of facade.SecondaryDNS.CreateZone).
func TestFailedWaitReturnsZone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		start  func(t *testing.T) (*fakes.Server, facade.SecondaryDNS)
		isPoll func(r *http.Request) bool
	}{
		{facade.ProviderIONOS, func(t *testing.T) (*fakes.Server, facade.SecondaryDNS) {
			f := fakes.StartIONOS(t, fakes.WithProvisioningReads(1000))
			c, err := ionos.New(f.Token(), clientOptions(f.URL())...)
			require.NoError(t, err)
			return f.Server, c
		}, func(r *http.Request) bool {
			return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/secondaryzones/")
		}},
		{facade.ProviderCloudflare, func(t *testing.T) (*fakes.Server, facade.SecondaryDNS) {
			f := fakes.StartCloudflare(t)
			c, err := cloudflare.New(f.Token(), f.AccountID(), clientOptions(f.URL())...)
			require.NoError(t, err)
			return f.Server, c
		}, func(r *http.Request) bool {
			return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/zones/") && !strings.Contains(r.URL.Path, "secondary_dns")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := tc.start(t)
			var polls atomic.Int32
			srv.SetHook(func(_ int, r *http.Request, handle, drop func()) {
				if tc.isPoll(r) {
					polls.Add(1)
					drop()
					return
				}
				handle()
			})
			z, err := c.CreateZone(t.Context(), "wait.example", cachePrimaries, facade.WithWaitUntilAvailable())
			require.Error(t, err)
			assert.Positive(t, polls.Load(), "the wait polled")
			assert.Equal(t, tc.name, z.Provider, "the zone as created comes with the error")
			assert.NotEmpty(t, z.ID)
			assert.Equal(t, "wait.example", z.Name)
			assert.True(t, facade.EqualPrimaries(cachePrimaries, z.Primaries), "%v", z.Primaries)
			srv.SetHook(nil)
			got, err := c.GetZone(t.Context(), "wait.example")
			require.NoError(t, err, "the zone is kept")
			assert.Equal(t, z.ID, got.ID)
		})
	}
}
