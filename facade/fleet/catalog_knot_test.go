package fleet_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/test/fakes"
	"github.com/secondarydns/secondarydns-go/test/knotd"
)

// TestCatalogWithKnot follows a catalog zone that the real Knot DNS
// generates (catalog-role: generate), transferred by AXFR with TSIG:
// adding a zone on Knot makes it a secondary at all three fakes, which
// transfer it from Knot and serve it; removing it deletes it there. Each
// step is driven by Knot's NOTIFY of the catalog.
func TestCatalogWithKnot(t *testing.T) {
	t.Parallel()
	key := facade.TSIG{Name: "catalog-key", Algorithm: "hmac-sha256", Secret: "Y2F0YWxvZy1rZXktc2VjcmV0LWZvci10ZXN0cw=="}
	dir := t.TempDir()
	zoneFile := func(name string) string {
		p := filepath.Join(dir, name+".zone")
		text := fmt.Sprintf("$ORIGIN %s.\n$TTL 300\n@ SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n@ NS ns.invalid.\nwww A 192.0.2.80\n", name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	// A generous bound so that a missing NOTIFY fails the test instead of
	// hanging it; nothing is timed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// The listener first: Knot is told where to send its NOTIFYs.
	loop := facade.Primary{Addr: mustAddr("127.0.0.1")}
	notify, err := fleet.ListenNotify(ctx, "127.0.0.1:0", loop, "catalog.invalid")
	require.NoError(t, err)
	t.Cleanup(func() { _ = notify.Close() })

	members := fmt.Sprintf(`zone:
  - domain: catalog.invalid.
    catalog-role: generate
    acl: [%[1]s]
    notify: %[2]s
  - domain: one.example.
    file: %[3]q
    catalog-role: member
    catalog-zone: catalog.invalid.
    acl: [%[1]s, %[1]s-unsigned]
`, knotd.TransferACL, knotd.NotifyID+"-0", zoneFile("one.example"))
	// The catalog only with the key; members also unsigned (IONOS and
	// DNSimple have no TSIG).
	k := knotd.Start(t, knotd.WithKey(key), knotd.WithUnsignedTransfers(), knotd.WithNotify(notify.Addr()), knotd.WithConfig(members))
	knot, err := facade.ParsePrimary(k.Addr)
	require.NoError(t, err)

	// The members' primary is 127.0.0.9 on port 53 (IONOS takes no
	// other port); each fake's DNS side routes it to Knot.
	e := newEnv(t, envOptions{owned: true, private: true})
	dnsSides := map[string]*fakes.DNS{"io": e.io.DNS(), "ds": e.ds.DNS(), "cf": e.cf.DNS()}
	for _, d := range dnsSides {
		require.NoError(t, d.Route("127.0.0.9", k.Addr))
	}
	src := fleet.CatalogSource{Zone: "catalog.invalid", Primaries: []facade.Primary{{Addr: mustAddr("127.0.0.9")}}, Providers: []string{"cf", "ds", "io"}}
	rounds := make(chan fleet.SyncRound, 16)
	done := make(chan error, 1)
	go func() {
		done <- fleet.Sync(ctx, fleet.TransferCatalog(knot, "catalog.invalid", &key), src, e.targets, fleet.SyncOptions{
			Notify: notify.C(), Interval: time.Hour, Apply: fleet.ApplyOptions{Force: true},
			OnRound: func(r fleet.SyncRound) {
				select {
				case rounds <- r:
				case <-ctx.Done():
				}
			},
		})
	}()
	// waitFor returns the first round whose catalog has exactly names.
	waitFor := func(names ...string) fleet.SyncRound {
		t.Helper()
		for {
			var r fleet.SyncRound
			select {
			case r = <-rounds:
			case <-ctx.Done():
				t.Fatalf("no round with catalog members %v: %v", names, ctx.Err())
			}
			if r.Catalog == nil || len(r.Catalog.Members) != len(names) {
				continue
			}
			ok := true
			for _, n := range names {
				_, has := r.Catalog.Members[n]
				ok = ok && has
			}
			if ok {
				return r
			}
		}
	}
	check := func(names ...string) {
		t.Helper()
		m := map[string]string{}
		for _, n := range names {
			m[n] = "[127.0.0.9]"
		}
		assert.Equal(t, state{"cf": m, "ds": m, "io": m}, e.snapshot(t))
	}
	// served waits until every fake's DNS side has transferred the zone
	// from Knot, then asks it over DNS.
	served := func(name string) {
		t.Helper()
		for p, d := range dnsSides {
			z, err := d.Wait(ctx, name, func(z fakes.DNSZone) bool { return z.Serial == 1 })
			require.NoError(t, err, p)
			assert.Equal(t, uint32(1), z.Serial, p)
			soa, err := dnswire.QuerySOA(ctx, d.Addr(), name)
			require.NoError(t, err, "%s serves %s", p, name)
			assert.Equal(t, uint32(1), soa.Serial, p)
		}
	}

	r := waitFor("one.example")
	require.NoError(t, r.Err)
	check("one.example")
	served("one.example")

	// Add a zone on Knot: its catalog changes, Knot notifies, the zone
	// appears at every provider.
	path := zoneFile("two.example")
	knotc := func(args ...string) {
		t.Helper()
		out, err := k.Knotc(args...)
		require.NoError(t, err, "knotc %v: %s", args, out)
	}
	knotc("conf-begin")
	knotc("conf-set", "zone[two.example.]")
	knotc("conf-set", "zone[two.example.].file", path)
	knotc("conf-set", "zone[two.example.].catalog-role", "member")
	knotc("conf-set", "zone[two.example.].catalog-zone", "catalog.invalid.")
	knotc("conf-set", "zone[two.example.].acl", knotd.TransferACL, knotd.TransferACL+"-unsigned")
	knotc("conf-commit")
	r = waitFor("one.example", "two.example")
	require.NoError(t, r.Err)
	check("one.example", "two.example")
	served("two.example")

	// Remove one: it is deleted at every provider.
	knotc("conf-begin")
	knotc("conf-unset", "zone[one.example.]")
	knotc("conf-commit")
	r = waitFor("two.example")
	require.NoError(t, r.Err)
	check("two.example")
	for p, d := range dnsSides {
		_, ok := d.Zone("one.example")
		assert.False(t, ok, "%s no longer serves one.example", p)
	}

	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}
