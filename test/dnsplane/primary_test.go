package dnsplane_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
	"github.com/secondarydns/secondarydns-go/test/dnsplane"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	key      = facade.TSIG{Name: "transfer.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}
	wrongKey = facade.TSIG{Name: "transfer.example.", Algorithm: "hmac-sha256", Secret: "d3JvbmdrZXl3cm9uZ2tleXdyb25na2V5"}
)

// TestLifecycleWithEmbeddedPrimary: at each provider, a zone created with
// a loopback primary is really transferred and served; a serial bump with
// NOTIFY, and a triggered transfer, are served again; the API reports the
// transfer; deleting the zone stops serving it.
func TestLifecycleWithEmbeddedPrimary(t *testing.T) {
	t.Parallel()
	for _, s := range dnsplane.Start(t) {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			var popts []primary.Option
			var copts []facade.CreateOption
			if s.TSIG {
				popts = append(popts, primary.WithTSIG(key))
				copts = append(copts, facade.WithTSIG(key))
			}
			p, err := primary.Start(ctx, popts...)
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, p.Close()) })
			const zone = "example.com"
			_, err = p.SetZone(zone, primary.ExampleZone(zone, 100))
			require.NoError(t, err)
			p.AddNotifyTarget(zone, s.DNS.Addr())

			_, err = s.Client.CreateZone(ctx, zone, []facade.Primary{primaryFor(t, s, p.Addr())}, copts...)
			require.NoError(t, err)
			waitZone(t, s, zone, serial(100))

			st, err := s.Client.TransferStatus(ctx, zone)
			require.NoError(t, err)
			switch s.Name {
			case facade.ProviderIONOS:
				require.Len(t, st.Primaries, 1)
				assert.Equal(t, "ok", st.Primaries[0].Status)
				assert.Empty(t, st.Primaries[0].Error)
			case facade.ProviderCloudflare:
				assert.Equal(t, uint32(100), st.Serial)
				assert.False(t, st.LastTransfer.IsZero())
			case facade.ProviderDNSimple:
				assert.False(t, st.LastTransfer.IsZero())
			}

			soa, err := dnswire.QuerySOA(ctx, s.DNS.Addr(), zone)
			require.NoError(t, err)
			assert.Equal(t, uint32(100), soa.Serial)
			assert.True(t, soa.Authoritative)
			served, err := dnswire.Transfer(ctx, s.DNS.Addr(), zone)
			require.NoError(t, err)
			want, _ := p.Zone(zone)
			assert.Equal(t, want.Records(), served.Records(), "the fake serves exactly what the primary has")

			n, res, err := p.Bump(ctx, zone)
			require.NoError(t, err)
			require.Len(t, res, 1)
			require.NoError(t, res[0].Err, "the fake acknowledges NOTIFY")
			z := waitZone(t, s, zone, serial(n))
			assert.GreaterOrEqual(t, z.Notifies, 1)
			soa, err = dnswire.QuerySOA(ctx, s.DNS.Addr(), zone)
			require.NoError(t, err)
			assert.Equal(t, n, soa.Serial)

			// A change without NOTIFY is picked up by a triggered transfer,
			// where the provider has that API.
			cur, _ := p.Zone(zone)
			_, err = p.SetZone(zone, cur.WithSerial(n+1).String())
			require.NoError(t, err)
			switch err := s.Client.Transfer(ctx, zone); {
			case errors.Is(err, errors.ErrUnsupported):
			case err != nil:
				t.Fatal(err)
			default:
				waitZone(t, s, zone, serial(n+1))
			}

			require.NoError(t, s.Client.DeleteZone(ctx, zone))
			_, err = dnswire.QuerySOA(ctx, s.DNS.Addr(), zone)
			require.ErrorIs(t, err, dnswire.ErrRefused, "a deleted zone is no longer served")
			_, ok := s.DNS.Zone(zone)
			assert.False(t, ok)
		})
	}
}

// TestTransferFailures: refused, timed-out, unreachable and TSIG-failed
// transfers are reported per provider as its API can: IONOS per primary
// with a message, Cloudflare by an unchanged soa_serial, DNSimple by no
// last_transferred_at; the DNS side keeps the typed error.
func TestTransferFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fault    dnswire.Fault
		closed   bool // the primary's port is closed
		wrongKey bool // Cloudflare only
		want     error
		message  string // IONOS errorMessage contains
	}{
		{name: "refused", fault: dnswire.FaultRefuse, want: dnswire.ErrRefused, message: "refused"},
		{name: "notauth", fault: dnswire.FaultNotAuth, want: dnswire.ErrNotAuth, message: "not authorized"},
		{name: "timeout", fault: dnswire.FaultDrop, want: dnswire.ErrTimeout, message: "timed out"},
		{name: "unreachable", closed: true, want: dnswire.ErrUnreachable, message: "could not be established"},
		{name: "tsig", wrongKey: true, want: dnswire.ErrTSIG},
	}
	secs := dnsplane.Start(t, fakes.WithTransferTimeout(500*time.Millisecond))
	for _, tt := range tests {
		for _, s := range secs {
			if tt.wrongKey && !s.TSIG {
				continue
			}
			t.Run(tt.name+"/"+s.Name, func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				zone := tt.name + "." + s.Name + ".example"
				var sopts []dnswire.ServerOption
				var copts []facade.CreateOption
				if tt.wrongKey {
					sopts = append(sopts, dnswire.WithTransferTSIG(key))
					copts = append(copts, facade.WithTSIG(wrongKey))
				}
				srv, err := dnswire.Listen(ctx, sopts...)
				require.NoError(t, err)
				t.Cleanup(func() { _ = srv.Close() })
				z, err := dnswire.ParseZone(zone, primary.ExampleZone(zone, 7))
				require.NoError(t, err)
				srv.SetZone(z)
				srv.SetFault(zone, tt.fault)
				addr := srv.Addr()
				if tt.closed {
					require.NoError(t, srv.Close())
				}

				_, err = s.Client.CreateZone(ctx, zone, []facade.Primary{primaryFor(t, s, addr)}, copts...)
				require.NoError(t, err)
				dz := waitZone(t, s, zone, attempted(1))
				require.Len(t, dz.Primaries, 1)
				assert.False(t, dz.Primaries[0].OK)
				require.ErrorIs(t, dz.Primaries[0].Err, tt.want)
				assert.Zero(t, dz.Serial)
				assert.NotContains(t, dz.Primaries[0].Err.Error(), key.Secret.Reveal())
				assert.NotContains(t, dz.Primaries[0].Err.Error(), wrongKey.Secret.Reveal())

				st, err := s.Client.TransferStatus(ctx, zone)
				require.NoError(t, err)
				assert.Zero(t, st.Serial)
				switch s.Name {
				case facade.ProviderIONOS:
					require.Len(t, st.Primaries, 1)
					assert.Equal(t, "failed", st.Primaries[0].Status)
					assert.Contains(t, st.Primaries[0].Error, tt.message)
				case facade.ProviderDNSimple:
					assert.True(t, st.LastTransfer.IsZero(), "no transfer happened")
				}
				_, err = dnswire.QuerySOA(ctx, s.DNS.Addr(), zone)
				require.ErrorIs(t, err, dnswire.ErrRefused, "nothing transferred, nothing served")
			})
		}
	}
	// The simulated behaviour for documentation addresses is unchanged.
	t.Run("simulated", func(t *testing.T) {
		for _, s := range secs {
			_, err := s.Client.CreateZone(context.WithoutCancel(t.Context()), "simulated.example", []facade.Primary{{Addr: mustAddr("192.0.2.1")}})
			require.NoError(t, err)
			_, ok := s.DNS.Zone("simulated.example")
			assert.False(t, ok, "%s: a 192.0.2.x primary is not transferred from", s.Name)
		}
	})
}

// TestCloudflareKeyFixed: a transfer that failed on a wrong TSIG secret is
// retried when the key is corrected through the API, and then succeeds.
func TestCloudflareKeyFixed(t *testing.T) {
	t.Parallel()
	var s dnsplane.Secondary
	for _, x := range dnsplane.Start(t) {
		if x.TSIG {
			s = x
		}
	}
	cf, ok := s.Client.(*cloudflare.Client)
	require.True(t, ok)
	ctx := t.Context()
	p, err := primary.Start(ctx, primary.WithTSIG(key))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	const zone = "keyfix.example"
	_, err = p.SetZone(zone, primary.ExampleZone(zone, 5))
	require.NoError(t, err)

	_, err = cf.CreateZone(ctx, zone, []facade.Primary{primaryFor(t, s, p.Addr())}, facade.WithTSIG(wrongKey))
	require.NoError(t, err)
	dz := waitZone(t, s, zone, attempted(1))
	require.ErrorIs(t, dz.Primaries[0].Err, dnswire.ErrTSIG)

	var fixed bool
	for k, err := range cf.ListTSIGs(ctx) {
		require.NoError(t, err)
		if k.Name == key.Name || k.Name+"." == key.Name {
			k.Secret = key.Secret
			_, err := cf.UpdateTSIG(ctx, k)
			require.NoError(t, err)
			fixed = true
		}
	}
	require.True(t, fixed, "the zone's TSIG key is listed")
	waitZone(t, s, zone, serial(5))
	st, err := cf.TransferStatus(ctx, zone)
	require.NoError(t, err)
	assert.Equal(t, uint32(5), st.Serial)
}
