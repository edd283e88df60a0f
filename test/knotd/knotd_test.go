package knotd_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/test/knotd"
)

const zone = `$TTL 300
@	SOA	ns1 hostmaster 1 3600 600 86400 300
@	NS	ns1
ns1	A	127.0.0.1
www	A	192.0.2.10
`

var key = facade.TSIG{Name: "transfer.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}

func TestKnotServesAndTransfers(t *testing.T) {
	t.Parallel()
	notified := make(chan dnswire.Notification, 16)
	sec, err := dnswire.Listen(t.Context(), dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
		notified <- n
		return nil
	}))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, sec.Close()) })

	k := knotd.Start(t, knotd.WithZone("example.com", zone), knotd.WithKey(key), knotd.WithNotify(sec.Addr()))
	assert.NotEmpty(t, k.Version)
	assert.NotContains(t, k.Log(), key.Secret.Reveal())

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	soa, err := dnswire.QuerySOA(ctx, k.Addr, "example.com")
	require.NoError(t, err)
	assert.Equal(t, uint32(1), soa.Serial)

	z, err := dnswire.Transfer(ctx, k.Addr, "example.com", dnswire.WithTSIG(key))
	require.NoError(t, err)
	assert.Equal(t, 4, z.Len())

	_, err = dnswire.Transfer(ctx, k.Addr, "example.com")
	require.ErrorIs(t, err, dnswire.ErrNotAuth, "unsigned transfer must be refused when a key is set")
	_, err = dnswire.Transfer(ctx, k.Addr, "example.org", dnswire.WithTSIG(key))
	require.ErrorIs(t, err, dnswire.ErrNotAuth, "a zone knotd does not serve, asked with a good key")
	require.NotErrorIs(t, err, dnswire.ErrTSIG)
	wrong := key
	wrong.Secret = "d3JvbmdrZXl3cm9uZ2tleXdyb25na2V5"
	_, err = dnswire.Transfer(ctx, k.Addr, "example.com", dnswire.WithTSIG(wrong))
	require.ErrorIs(t, err, dnswire.ErrTSIG)

	// A change through knotc bumps the serial and Knot notifies.
	for _, args := range [][]string{
		{"zone-begin", "example.com"},
		{"zone-set", "example.com", "new", "300", "A", "192.0.2.20"},
		{"zone-commit", "example.com"},
	} {
		_, err := k.Knotc(args...)
		require.NoError(t, err)
	}
	for got := false; !got; {
		select {
		case n := <-notified:
			got = n.Serial == 2 && n.Zone == "example.com."
		case <-ctx.Done():
			t.Fatalf("no NOTIFY for serial 2 from knotd:\n%s", k.Log())
		}
	}
	z, err = dnswire.Transfer(ctx, k.Addr, "example.com", dnswire.WithTSIG(key))
	require.NoError(t, err)
	assert.Equal(t, uint32(2), z.Serial())
	assert.Contains(t, z.String(), "new.example.com.")
}

func TestExtraConfig(t *testing.T) {
	t.Parallel()
	k := knotd.Start(t, knotd.WithZone("example.org", zone), knotd.WithoutDefaultACL(),
		knotd.WithConfig("acl:\n  - id: only-ten\n    address: 10.0.0.0/8\n    action: transfer\n"),
		knotd.WithZoneACL("only-ten"))
	assert.Contains(t, k.Config(), "only-ten")
	_, err := dnswire.Transfer(t.Context(), k.Addr, "example.org")
	require.ErrorIs(t, err, dnswire.ErrNotAuth, "the extra ACL allows only 10/8")
	out, err := k.Knotc("zone-status", "example.org")
	require.NoError(t, err)
	assert.True(t, strings.Contains(out, "serial: 1"), out)
}
