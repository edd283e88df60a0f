package dnsplane_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/test/dnsplane"
	"github.com/secondarydns/secondarydns-go/test/knotd"
)

// knotZone is the zone Knot serves, at serial 1.
const knotZone = `$TTL 300
@	SOA	ns1 hostmaster 1 3600 600 86400 300
@	NS	ns1
ns1	A	192.0.2.53
www	A	192.0.2.80
`

// TestKnotEndToEnd runs the three fakes as secondaries of a real Knot DNS:
// each transfers the zone when it is created (Cloudflare with TSIG); a
// change committed through knotc bumps the serial, Knot's NOTIFY reaches
// every fake, and each serves the new serial without any API call; a wrong
// TSIG key, and a zone Knot does not have, are transfer errors reported
// through the APIs.
func TestKnotEndToEnd(t *testing.T) {
	t.Parallel()
	knotd.Require(t)
	secs := dnsplane.Start(t)
	var targets []string
	for _, s := range secs {
		targets = append(targets, s.DNS.Addr())
	}
	k := knotd.Start(t,
		knotd.WithZone("example.com", knotZone), knotd.WithZone("example.net", knotZone),
		knotd.WithKey(key), knotd.WithUnsignedTransfers(), knotd.WithNotify(targets...))
	t.Logf("Knot DNS %s started in %s", k.Version, k.Startup)
	ctx := t.Context()

	// 1. Created at each provider, pointing at Knot: transferred and served.
	for _, s := range secs {
		var opts []facade.CreateOption
		if s.TSIG {
			opts = append(opts, facade.WithTSIG(key))
		}
		_, err := s.Client.CreateZone(ctx, "example.com", []facade.Primary{primaryFor(t, s, k.Addr)}, opts...)
		require.NoError(t, err, s.Name)
	}
	for _, s := range secs {
		waitZone(t, s, "example.com", serial(1))
		soa, err := dnswire.QuerySOA(ctx, s.DNS.Addr(), "example.com")
		require.NoError(t, err, s.Name)
		assert.Equal(t, uint32(1), soa.Serial, s.Name)
		st, err := s.Client.TransferStatus(ctx, "example.com")
		require.NoError(t, err, s.Name)
		if s.Name == facade.ProviderCloudflare {
			assert.Equal(t, uint32(1), st.Serial)
		}
		if s.Name == facade.ProviderIONOS {
			require.Len(t, st.Primaries, 1)
			assert.Equal(t, "ok", st.Primaries[0].Status)
		}
	}

	// 2. A change on Knot: knotc commits it with serial 2 and Knot sends
	// NOTIFY to every fake, which transfers and serves it.
	for _, args := range [][]string{
		{"zone-begin", "example.com"},
		{"zone-set", "example.com", "new", "300", "A", "192.0.2.99"},
		{"zone-commit", "example.com"},
	} {
		_, err := k.Knotc(args...)
		require.NoError(t, err)
	}
	for _, s := range secs {
		z := waitZone(t, s, "example.com", serial(2))
		assert.GreaterOrEqual(t, z.Notifies, 1, "%s: the new serial came by NOTIFY", s.Name)
		soa, err := dnswire.QuerySOA(ctx, s.DNS.Addr(), "example.com")
		require.NoError(t, err, s.Name)
		assert.Equal(t, uint32(2), soa.Serial, s.Name)
		assert.Contains(t, s.DNS.Records("example.com"), "new.example.com.\t300\tIN\tA\t192.0.2.99", s.Name)
		if s.Name == facade.ProviderCloudflare {
			st, err := s.Client.TransferStatus(ctx, "example.com")
			require.NoError(t, err)
			assert.Equal(t, uint32(2), st.Serial)
		}
	}

	// 3. Failures, reported through the API.
	for _, s := range secs {
		zone, opts := "missing.example", []facade.CreateOption(nil)
		if s.TSIG {
			zone, opts = "example.net", []facade.CreateOption{facade.WithTSIG(wrongKey)}
		}
		_, err := s.Client.CreateZone(ctx, zone, []facade.Primary{primaryFor(t, s, k.Addr)}, opts...)
		require.NoError(t, err, s.Name)
		dz := waitZone(t, s, zone, attempted(1))
		require.Len(t, dz.Primaries, 1)
		if s.TSIG {
			require.ErrorIs(t, dz.Primaries[0].Err, dnswire.ErrTSIG, "wrong key at %s", s.Name)
		} else {
			require.ErrorIs(t, dz.Primaries[0].Err, dnswire.ErrNotAuth, "zone Knot does not serve, at %s", s.Name)
		}
		st, err := s.Client.TransferStatus(ctx, zone)
		require.NoError(t, err)
		assert.Zero(t, st.Serial, s.Name)
		switch s.Name {
		case facade.ProviderIONOS:
			require.Len(t, st.Primaries, 1)
			assert.Equal(t, "failed", st.Primaries[0].Status)
			assert.NotEmpty(t, st.Primaries[0].Error)
		case facade.ProviderDNSimple:
			assert.True(t, st.LastTransfer.IsZero())
		}
	}
	assert.NotContains(t, k.Log(), key.Secret.Reveal())
}
