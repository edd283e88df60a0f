package dnswire_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

const zoneText = `$TTL 300
@	SOA	ns1 hostmaster 42 3600 600 86400 300
@	NS	ns1
ns1	A	127.0.0.1
www	A	192.0.2.10
a.b	TXT	"deep"
`

var (
	goodKey  = facade.TSIG{Name: "xfr.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}
	wrongKey = facade.TSIG{Name: "xfr.", Algorithm: "hmac-sha256", Secret: "d3JvbmdrZXl3cm9uZ2tleXdyb25na2V5"}
)

// serve starts a server with example.com and the given options.
func serve(t *testing.T, opts ...dnswire.ServerOption) *dnswire.Server {
	t.Helper()
	s, err := dnswire.Listen(t.Context(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close()) })
	z, err := dnswire.ParseZone("Example.COM", zoneText)
	require.NoError(t, err)
	s.SetZone(z)
	return s
}

func TestQuerySOA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		zone    string
		fault   dnswire.Fault
		wantErr error
		wantTCP bool
	}{
		{name: "ok", zone: "example.com"},
		{name: "case and dot", zone: "EXAMPLE.com."},
		{name: "truncated udp retried over tcp", zone: "example.com", fault: dnswire.FaultTruncate, wantTCP: true},
		{name: "unknown zone refused", zone: "example.org", wantErr: dnswire.ErrRefused},
		{name: "refused", zone: "example.com", fault: dnswire.FaultRefuse, wantErr: dnswire.ErrRefused},
		{name: "notauth", zone: "example.com", fault: dnswire.FaultNotAuth, wantErr: dnswire.ErrNotAuth},
		{name: "servfail", zone: "example.com", fault: dnswire.FaultServFail, wantErr: dnswire.ErrServFail},
		{name: "wrong owner", zone: "example.com", fault: dnswire.FaultWrongOwner, wantErr: dnswire.ErrBadAnswer},
		{name: "no SOA at a name below the zone", zone: "www.example.com", wantErr: dnswire.ErrBadAnswer},
		{name: "nxdomain", zone: "nope.example.com", wantErr: dnswire.ErrNXDomain},
		{name: "drop times out", zone: "example.com", fault: dnswire.FaultDrop, wantErr: dnswire.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := serve(t)
			s.SetFault("example.com", tt.fault)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			soa, err := dnswire.QuerySOA(ctx, s.Addr(), tt.zone)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var de *dnswire.Error
				require.ErrorAs(t, err, &de)
				assert.Equal(t, s.Addr(), de.Server)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, uint32(42), soa.Serial)
			assert.Equal(t, "example.com.", soa.Zone)
			assert.True(t, soa.Authoritative)
			assert.Equal(t, tt.wantTCP, soa.TCP)
		})
	}
}

func TestQuerySOACancelled(t *testing.T) {
	t.Parallel()
	s := serve(t)
	s.SetFault("example.com", dnswire.FaultDrop)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { _, err := dnswire.QuerySOA(ctx, s.Addr(), "example.com"); errc <- err }()
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = dnswire.Transfer(t.Context(), addr, "example.com")
	require.ErrorIs(t, err, dnswire.ErrUnreachable)
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	big := func() *dnswire.Zone {
		var b strings.Builder
		b.WriteString(zoneText)
		for i := range 2000 {
			fmt.Fprintf(&b, "h%d A 192.0.2.%d\n", i, i%250)
		}
		z, err := dnswire.ParseZone("example.com", b.String())
		require.NoError(t, err)
		return z
	}
	tests := []struct {
		name      string
		server    []dnswire.ServerOption
		opts      []dnswire.Option
		big       bool
		fault     dnswire.Fault
		wantErr   error
		wantRcode string
	}{
		{name: "unsigned"},
		{name: "tsig", server: []dnswire.ServerOption{dnswire.WithTransferTSIG(goodKey)}, opts: []dnswire.Option{dnswire.WithTSIG(goodKey)}},
		{name: "tsig many messages", big: true, server: []dnswire.ServerOption{dnswire.WithTransferTSIG(goodKey)}, opts: []dnswire.Option{dnswire.WithTSIG(goodKey)}},
		{name: "wrong key", server: []dnswire.ServerOption{dnswire.WithTransferTSIG(goodKey)}, opts: []dnswire.Option{dnswire.WithTSIG(wrongKey)}, wantErr: dnswire.ErrTSIG, wantRcode: "NOTAUTH/BADSIG"},
		{name: "unsigned when key required", server: []dnswire.ServerOption{dnswire.WithTransferTSIG(goodKey)}, wantErr: dnswire.ErrNotAuth},
		{name: "signed to a server without keys", opts: []dnswire.Option{dnswire.WithTSIG(goodKey)}, wantErr: dnswire.ErrTSIG, wantRcode: "NOTAUTH/BADKEY"},
		{name: "acl", server: []dnswire.ServerOption{dnswire.WithTransferACL(netip.MustParsePrefix("10.0.0.0/8"))}, wantErr: dnswire.ErrRefused},
		{name: "max records", big: true, opts: []dnswire.Option{dnswire.WithMaxRecords(100)}, wantErr: dnswire.ErrBadAnswer},
		{name: "refused", fault: dnswire.FaultRefuse, wantErr: dnswire.ErrRefused},
		{name: "timeout", fault: dnswire.FaultDrop, wantErr: dnswire.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := serve(t, tt.server...)
			want, _ := s.Zone("example.com")
			if tt.big {
				want = big()
				s.SetZone(want)
			}
			s.SetFault("example.com", tt.fault)
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			got, err := dnswire.Transfer(ctx, s.Addr(), "example.com", tt.opts...)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var de *dnswire.Error
				require.ErrorAs(t, err, &de)
				if tt.wantRcode != "" {
					assert.Contains(t, de.Rcode, tt.wantRcode)
				}
				assert.NotContains(t, err.Error(), goodKey.Secret.Reveal())
				assert.NotContains(t, err.Error(), wrongKey.Secret.Reveal())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want.Serial(), got.Serial())
			assert.Equal(t, want.Records(), got.Records())
		})
	}
}

func TestNotify(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []dnswire.Notification
	s := serve(t, dnswire.WithTransferTSIG(goodKey), dnswire.WithNotifyHandler(func(n dnswire.Notification) error {
		if n.Zone == "refuse.example." {
			return dnswire.ErrNotAuth
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		return nil
	}))
	require.NoError(t, dnswire.Notify(t.Context(), s.Addr(), "example.com", 43))
	require.NoError(t, dnswire.Notify(t.Context(), s.Addr(), "example.com", 44, dnswire.WithTCP(), dnswire.WithTSIG(goodKey)))
	require.ErrorIs(t, dnswire.Notify(t.Context(), s.Addr(), "refuse.example", 1), dnswire.ErrNotAuth)
	require.ErrorIs(t, dnswire.Notify(t.Context(), s.Addr(), "example.com", 45, dnswire.WithTSIG(wrongKey)), dnswire.ErrTSIG)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.Equal(t, "example.com.", got[0].Zone)
	assert.Equal(t, uint32(43), got[0].Serial)
	assert.True(t, got[0].HasSerial)
	assert.Empty(t, got[0].Key)
	assert.Equal(t, "xfr.", got[1].Key)
	assert.True(t, got[1].From.Addr().IsLoopback())

	plain := serve(t)
	require.ErrorIs(t, dnswire.Notify(t.Context(), plain.Addr(), "example.com", 1), dnswire.ErrRefused)
	require.ErrorIs(t, dnswire.Notify(t.Context(), plain.Addr(), "example.com", 1, dnswire.WithTSIG(goodKey)), dnswire.ErrTSIG,
		"a signed request to a server without keys must not be accepted unverified")
}

func TestServerAnswers(t *testing.T) {
	t.Parallel()
	s := serve(t)
	// A name below the zone with records of another type: NODATA, which
	// QuerySOA reports as no SOA; an empty non-terminal is not NXDOMAIN.
	_, err := dnswire.QuerySOA(t.Context(), s.Addr(), "b.example.com")
	require.ErrorIs(t, err, dnswire.ErrBadAnswer)
	require.True(t, s.RemoveZone("EXAMPLE.com"))
	_, err = dnswire.QuerySOA(t.Context(), s.Addr(), "example.com")
	require.ErrorIs(t, err, dnswire.ErrRefused)
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	badKey := goodKey
	badKey.Algorithm = "rot13"
	tests := []struct {
		name   string
		server string
		zone   string
		opts   []dnswire.Option
	}{
		{name: "no port", server: "127.0.0.1", zone: "example.com"},
		{name: "hostname", server: "localhost:53", zone: "example.com"},
		{name: "empty zone", server: "127.0.0.1:53", zone: ""},
		{name: "bad zone", server: "127.0.0.1:53", zone: "a b.example"},
		{name: "bad key", server: "127.0.0.1:53", zone: "example.com", opts: []dnswire.Option{dnswire.WithTSIG(badKey)}},
		{name: "nil option", server: "127.0.0.1:53", zone: "example.com", opts: []dnswire.Option{nil}},
		{name: "max records", server: "127.0.0.1:53", zone: "example.com", opts: []dnswire.Option{dnswire.WithMaxRecords(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := dnswire.QuerySOA(t.Context(), tt.server, tt.zone, tt.opts...)
			require.ErrorIs(t, err, dnswire.ErrInvalidInput)
			_, err = dnswire.Transfer(t.Context(), tt.server, tt.zone, tt.opts...)
			require.ErrorIs(t, err, dnswire.ErrInvalidInput)
			err = dnswire.Notify(t.Context(), tt.server, tt.zone, 1, tt.opts...)
			require.ErrorIs(t, err, dnswire.ErrInvalidInput)
			assert.NotContains(t, err.Error(), goodKey.Secret.Reveal())
		})
	}
}

func TestParseZone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, origin, text string
		ok                 bool
	}{
		{name: "ok", origin: "example.com", text: zoneText, ok: true},
		{name: "no SOA", origin: "example.com", text: "@ 300 NS ns1\n"},
		{name: "two SOAs", origin: "example.com", text: zoneText + "@ SOA ns1 h 1 1 1 1 1\n"},
		{name: "SOA below apex", origin: "example.com", text: "www 300 SOA ns1 h 1 1 1 1 1\n"},
		{name: "outside", origin: "example.com", text: zoneText + "www.example.org. A 192.0.2.1\n"},
		{name: "syntax", origin: "example.com", text: zoneText + "www A not-an-ip\n"},
		{name: "include", origin: "example.com", text: zoneText + "$INCLUDE /etc/passwd\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			z, err := dnswire.ParseZone(tt.origin, tt.text)
			if !tt.ok {
				require.ErrorIs(t, err, dnswire.ErrInvalidInput)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 5, z.Len())
			assert.Equal(t, "SOA", z.Records()[0].Type)
			bumped := z.WithSerial(43)
			assert.Equal(t, uint32(42), z.Serial())
			assert.Equal(t, uint32(43), bumped.Serial())
			again, err := dnswire.NewZone("example.com", bumped.Records())
			require.NoError(t, err)
			assert.Equal(t, bumped.String(), again.String())
		})
	}
}

func TestListenInvalid(t *testing.T) {
	t.Parallel()
	for _, o := range []dnswire.ServerOption{
		dnswire.WithListenAddr("nope"), dnswire.WithTransferTSIG(), dnswire.WithNotifyHandler(nil),
		dnswire.WithServerLogger(nil), dnswire.WithTransferACL(netip.Prefix{}), nil,
	} {
		_, err := dnswire.Listen(t.Context(), o)
		require.ErrorIs(t, err, dnswire.ErrInvalidInput)
	}
}
