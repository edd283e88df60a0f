package cloudflare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

const hexID = "0123456789abcdef0123456789abcdef"

var (
	p1 = facade.Primary{Addr: netip.MustParseAddr("192.0.2.1")}
	p2 = facade.Primary{Addr: netip.MustParseAddr("2001:db8::2"), Port: 5353}
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token, account string
		opts                 []facade.Option
	}{
		{"empty token", "", hexID, nil},
		{"empty account", "tok", "", nil},
		{"short account", "tok", "abc", nil},
		{"upper-case account", "tok", strings.ToUpper(hexID), nil},
		{"non-hex account", "tok", strings.Repeat("g", 32), nil},
		{"account with slash", "tok", "0123456789abcdef/123456789abcdef", nil},
		{"bad base URL", "tok", hexID, []facade.Option{facade.WithBaseURL("ftp://x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := cloudflare.New(tt.token, tt.account, tt.opts...)
			require.Nil(t, c)
			requireErr(t, err, facade.ErrInvalidInput, "New")
		})
	}
	c, err := cloudflare.New("secret-token", hexID)
	require.NoError(t, err)
	assert.Equal(t, facade.ProviderCloudflare, c.Provider())
	assert.Equal(t, hexID, c.AccountID())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), "secret-token")
	}
}

func TestSecondaryLifecycle(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)

	z, err := c.CreateZone(ctx, "Example.COM.", []facade.Primary{p1, p2})
	require.NoError(t, err)
	assert.Equal(t, facade.ProviderCloudflare, z.Provider)
	assert.Equal(t, "example.com", z.Name)
	assert.Len(t, z.ID, 32)
	assert.Equal(t, []facade.Primary{{Addr: p1.Addr, Port: 53}, p2}, z.Primaries)
	assert.NotEmpty(t, z.Nameservers)

	// Provider state: a secondary zone, two peers, an incoming config.
	zones := f.Zones()
	require.Len(t, zones, 1)
	assert.Equal(t, "secondary", zones[0].Type)
	assert.Equal(t, "active", zones[0].Status)
	peers := f.Peers()
	require.Len(t, peers, 2)
	in, ok := f.Incoming(z.ID)
	require.True(t, ok)
	assert.Equal(t, []string{peers[0].ID, peers[1].ID}, in.Peers)
	assert.EqualValues(t, 86400, in.AutoRefreshSeconds)

	got, err := c.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, z.ID, got.ID)
	assert.Equal(t, z.Primaries, got.Primaries)
	assert.Equal(t, "active", got.State)
	assert.NotZero(t, got.Serial)
	assert.False(t, got.LastTransfer.IsZero())

	all, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, got, all[0])

	require.NoError(t, c.Transfer(ctx, "example.com"))
	st, err := c.TransferStatus(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", st.Zone)
	assert.Equal(t, got.Serial+1, st.Serial)
	require.Len(t, st.Primaries, 2)
	assert.Equal(t, p1.Addr, st.Primaries[0].Primary.Addr)

	p3 := facade.Primary{Addr: netip.MustParseAddr("198.51.100.3")}
	upd, err := c.SetPrimaries(ctx, "example.com", []facade.Primary{p2, p3})
	require.NoError(t, err)
	assert.Equal(t, []facade.Primary{p2, {Addr: p3.Addr, Port: 53}}, upd.Primaries)
	assert.Len(t, f.Peers(), 3, "p2 reused, p3 created")

	require.NoError(t, c.DeleteZone(ctx, "example.com"))
	assert.Empty(t, f.Zones())
	_, err = c.GetZone(ctx, "example.com")
	requireErr(t, err, facade.ErrNotFound, "GetZone")
	requireErr(t, c.DeleteZone(ctx, "example.com"), facade.ErrNotFound, "DeleteZone")
	requireErr(t, c.Transfer(ctx, "example.com"), facade.ErrNotFound, "Transfer")
	_, err = c.TransferStatus(ctx, "example.com")
	requireErr(t, err, facade.ErrNotFound, "TransferStatus")
	_, err = c.SetPrimaries(ctx, "example.com", []facade.Primary{p1})
	requireErr(t, err, facade.ErrNotFound, "SetPrimaries")
}

func TestCreateZoneConflict(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	_, err := c.CreateZone(ctx, "example.com", []facade.Primary{p1})
	require.NoError(t, err)
	_, err = c.CreateZone(ctx, "example.com", []facade.Primary{p2})
	requireErr(t, err, facade.ErrConflict, "CreateZone")
	assert.Len(t, f.Zones(), 1)
	assert.Len(t, f.Peers(), 1, "nothing created for the conflicting call")

	// A full zone of that name conflicts too, and is not a secondary zone.
	_, err = f.AddZone("full.example", "full")
	require.NoError(t, err)
	_, err = c.CreateZone(ctx, "full.example", []facade.Primary{p1})
	requireErr(t, err, facade.ErrConflict, "CreateZone")
	_, err = c.GetZone(ctx, "full.example")
	requireErr(t, err, facade.ErrNotFound, "GetZone")
	requireErr(t, c.DeleteZone(ctx, "full.example"), facade.ErrNotFound, "DeleteZone")
	assert.Len(t, f.Zones(), 2, "the full zone was not deleted")
}

func TestPeerReuse(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	pre := f.AddPeer(fakes.CloudflarePeer{Name: "existing", IP: "203.0.113.7"})

	a, err := c.CreateZone(ctx, "a.example", []facade.Primary{p1})
	require.NoError(t, err)
	b, err := c.CreateZone(ctx, "b.example", []facade.Primary{p1, {Addr: netip.MustParseAddr("203.0.113.7"), Port: 53}})
	require.NoError(t, err)

	peers := f.Peers()
	require.Len(t, peers, 2, "one peer for p1 shared by both zones, the existing one reused")
	inA, _ := f.Incoming(a.ID)
	inB, _ := f.Incoming(b.ID)
	assert.Equal(t, inA.Peers[0], inB.Peers[0])
	assert.Equal(t, pre.ID, inB.Peers[1])

	// A different port is a different peer.
	_, err = c.CreateZone(ctx, "c.example", []facade.Primary{{Addr: p1.Addr, Port: 5300}})
	require.NoError(t, err)
	assert.Len(t, f.Peers(), 3)
}

func TestCreateZoneRollback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, suffix string
		status               int
		kind                 error
		tsig                 bool
	}{
		{"incoming fails", http.MethodPost, "/secondary_dns/incoming", 500, facade.ErrServer, false},
		{"incoming fails with TSIG", http.MethodPost, "/secondary_dns/incoming", 400, facade.ErrInvalidInput, true},
		{"peer creation fails", http.MethodPost, "/secondary_dns/peers", 403, facade.ErrForbidden, true},
		{"TSIG creation fails", http.MethodPost, "/secondary_dns/tsigs", 500, facade.ErrServer, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := startFake(t, failOn(tt.method, tt.suffix, tt.status))
			ctx := ctx(t)
			pre := f.AddPeer(fakes.CloudflarePeer{Name: "pre", IP: p1.Addr.String()})
			var opts []facade.CreateOption
			if tt.tsig {
				opts = append(opts, facade.WithTSIG(facade.TSIG{Name: "xfr.example.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LXZhbHVl"}))
			}
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{p1, p2}, opts...)
			requireErr(t, err, tt.kind, "CreateZone")
			assert.Empty(t, f.Zones(), "zone rolled back")
			assert.Empty(t, f.TSIGs(), "TSIG key rolled back")
			assert.Equal(t, []fakes.CloudflarePeer{pre}, f.Peers(), "created peers rolled back, the existing one kept")
		})
	}
}

func TestCreateZoneRollbackOnCanceledContext(t *testing.T) {
	t.Parallel()
	// The incoming creation fails because the context ends; the rollback
	// still runs.
	f := fakes.StartCloudflare(t)
	var cancel context.CancelFunc
	hc := &http.Client{Transport: &cancelOn{next: http.DefaultTransport, suffix: "/secondary_dns/incoming", cancel: func() { cancel() }}}
	c, err := cloudflare.New(f.Token(), f.AccountID(), facade.WithBaseURL(f.URL()), facade.WithHTTPClient(hc), facade.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	ctx, cancelFn := context.WithCancel(context.Background())
	cancel = cancelFn
	_, err = c.CreateZone(ctx, "example.com", []facade.Primary{p1})
	requireErr(t, err, facade.ErrTransport, "CreateZone")
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, f.Zones())
	assert.Empty(t, f.Peers())
	noInvalid(t, f)
}

type cancelOn struct {
	next   http.RoundTripper
	suffix string
	cancel func()
}

func (c *cancelOn) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, c.suffix) {
		c.cancel()
		return nil, r.Context().Err()
	}
	return c.next.RoundTrip(r)
}

func TestCreateZoneTSIG(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	const secret = "dG9wLXNlY3JldC1rZXktbWF0ZXJpYWw="
	key := facade.TSIG{Name: "xfr.example.", Algorithm: "hmac-sha256", Secret: secret}

	a, err := c.CreateZone(ctx, "a.example", []facade.Primary{p1}, facade.WithTSIG(key))
	require.NoError(t, err)
	assert.Equal(t, "xfr.example.", a.TSIGKey)
	b, err := c.CreateZone(ctx, "b.example", []facade.Primary{p1}, facade.WithTSIG(key))
	require.NoError(t, err)

	tsigs := f.TSIGs()
	require.Len(t, tsigs, 1, "same name, algorithm and secret: reused")
	assert.Equal(t, "hmac-sha256.", tsigs[0].Algo)
	peers := f.Peers()
	require.Len(t, peers, 1)
	assert.Equal(t, tsigs[0].ID, peers[0].TSIGID)

	// A peer for the same server without TSIG is a different peer.
	_, err = c.CreateZone(ctx, "c.example", []facade.Primary{p1})
	require.NoError(t, err)
	assert.Len(t, f.Peers(), 2)

	got, err := c.GetZone(ctx, "b.example")
	require.NoError(t, err)
	assert.Equal(t, "xfr.example.", got.TSIGKey)
	all, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, "xfr.example.", all[0].TSIGKey)
	assert.Empty(t, all[2].TSIGKey)

	// SetPrimaries keeps the zone's TSIG key.
	_, err = c.SetPrimaries(ctx, "a.example", []facade.Primary{p2})
	require.NoError(t, err)
	peers = f.Peers()
	assert.Equal(t, tsigs[0].ID, peers[len(peers)-1].TSIGID)

	// The secret never shows up in returned values.
	for _, v := range []any{a, b, got, all, f.TSIGs()[0].ID} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			assert.NotContains(t, fmt.Sprintf(verb, v), secret)
		}
	}
	k, err := c.GetTSIG(ctx, tsigs[0].ID)
	require.NoError(t, err)
	assert.Equal(t, secret, k.Secret.Reveal())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assert.NotContains(t, fmt.Sprintf(verb, k), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, []cloudflare.TSIGKey{k}), secret, verb)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("key", "key", k)
	assert.NotContains(t, buf.String(), secret)
	js, err := json.Marshal(k)
	require.NoError(t, err)
	assert.NotContains(t, string(js), secret)
}

func TestSecretNotInErrors(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	const bad = "not*base64!!super-secret"
	_, err := c.CreateTSIG(ctx, cloudflare.TSIGKey{Name: "k.", Algorithm: "hmac-sha512", Secret: bad})
	fe := requireErr(t, err, facade.ErrInvalidInput, "CreateTSIG")
	assert.NotContains(t, err.Error(), bad)
	assert.NotContains(t, fmt.Sprintf("%+v", fe), bad)
	_, err = c.CreateZone(ctx, "x.example", []facade.Primary{p1}, facade.WithTSIG(facade.TSIG{Name: "k.", Algorithm: "hmac-sha256", Secret: bad}))
	requireErr(t, err, facade.ErrInvalidInput, "CreateZone")
	assert.NotContains(t, err.Error(), bad)

	// A provider rejection of a request carrying a secret does not echo it.
	c2, err := cloudflare.New(f.Token(), f.AccountID(), facade.WithBaseURL(f.URL()), failOn(http.MethodPost, "/tsigs", 400))
	require.NoError(t, err)
	const good = "c3VwZXItc2VjcmV0LWJ5dGVz"
	_, err = c2.CreateTSIG(ctx, cloudflare.TSIGKey{Name: "k.", Algorithm: "hmac-sha512.", Secret: good})
	requireErr(t, err, facade.ErrInvalidInput, "CreateTSIG")
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), good)
	assert.Zero(t, f.Stats().Requests)
}

func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	badTSIG := facade.WithTSIG(facade.TSIG{Name: "k.", Algorithm: "hmac-sha384", Secret: "c2VjcmV0"})
	okIP := netip.MustParseAddr("192.0.2.1")
	calls := map[string]func() error{
		"GetZone bad name":        func() error { _, err := c.GetZone(ctx, "bad..name"); return err },
		"GetZone empty":           func() error { _, err := c.GetZone(ctx, ""); return err },
		"CreateZone bad name":     func() error { _, err := c.CreateZone(ctx, "-x.example", []facade.Primary{p1}); return err },
		"CreateZone short tld":    func() error { _, err := c.CreateZone(ctx, "example.c", []facade.Primary{p1}); return err },
		"CreateZone no primaries": func() error { _, err := c.CreateZone(ctx, "example.com", nil); return err },
		"CreateZone bad primary":  func() error { _, err := c.CreateZone(ctx, "example.com", []facade.Primary{{}}); return err },
		"CreateZone dup primaries": func() error {
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{p1, {Addr: p1.Addr, Port: 53}})
			return err
		},
		"CreateZone unspecified": func() error {
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: netip.IPv4Unspecified()}})
			return err
		},
		"CreateZone tsig algorithm": func() error { _, err := c.CreateZone(ctx, "example.com", []facade.Primary{p1}, badTSIG); return err },
		"SetPrimaries empty":        func() error { _, err := c.SetPrimaries(ctx, "example.com", nil); return err },
		"DeleteZone bad":            func() error { return c.DeleteZone(ctx, "a b.example") },
		"Transfer bad":              func() error { return c.Transfer(ctx, "") },
		"TransferStatus bad":        func() error { _, err := c.TransferStatus(ctx, "x"); return err },
		"GetZoneByID short":         func() error { _, err := c.GetZoneByID(ctx, "abc"); return err },
		"GetZoneByID traversal":     func() error { _, err := c.GetZoneByID(ctx, "../../accounts"); return err },
		"DeleteZoneByID empty":      func() error { return c.DeleteZoneByID(ctx, "") },
		"CreateAccountZone type":    func() error { _, err := c.CreateAccountZone(ctx, "example.com", "primary"); return err },
		"CreateAccountZone name": func() error {
			_, err := c.CreateAccountZone(ctx, "ex ample.com", cloudflare.ZoneTypeSecondary)
			return err
		},
		"GetIncoming id": func() error { _, err := c.GetIncoming(ctx, "x"); return err },
		"CreateIncoming no peers": func() error {
			_, err := c.CreateIncoming(ctx, hexID, cloudflare.IncomingInput{Name: "example.com"})
			return err
		},
		"CreateIncoming bad peer": func() error {
			_, err := c.CreateIncoming(ctx, hexID, cloudflare.IncomingInput{Name: "example.com", Peers: []string{"nope"}})
			return err
		},
		"UpdateIncoming refresh": func() error {
			_, err := c.UpdateIncoming(ctx, hexID, cloudflare.IncomingInput{Name: "example.com", Peers: []string{hexID}, AutoRefresh: 1500 * time.Millisecond})
			return err
		},
		"UpdateIncoming dup peers": func() error {
			_, err := c.UpdateIncoming(ctx, hexID, cloudflare.IncomingInput{Name: "example.com", Peers: []string{hexID, hexID}})
			return err
		},
		"DeleteIncoming id":  func() error { return c.DeleteIncoming(ctx, "") },
		"ForceAXFR id":       func() error { return c.ForceAXFR(ctx, "ZZ") },
		"CreatePeer no name": func() error { _, err := c.CreatePeer(ctx, cloudflare.Peer{IP: okIP}); return err },
		"CreatePeer no IP":   func() error { _, err := c.CreatePeer(ctx, cloudflare.Peer{Name: "p"}); return err },
		"CreatePeer bad tsig": func() error {
			_, err := c.CreatePeer(ctx, cloudflare.Peer{Name: "p", IP: okIP, TSIGID: "x"})
			return err
		},
		"UpdatePeer no id": func() error { _, err := c.UpdatePeer(ctx, cloudflare.Peer{Name: "p", IP: okIP}); return err },
		"GetPeer id":       func() error { _, err := c.GetPeer(ctx, ""); return err },
		"DeletePeer id":    func() error { return c.DeletePeer(ctx, "/") },
		"CreateTSIG algorithm": func() error {
			_, err := c.CreateTSIG(ctx, cloudflare.TSIGKey{Name: "k.", Algorithm: "hmac-sha224", Secret: "c2VjcmV0"})
			return err
		},
		"CreateTSIG no secret": func() error {
			_, err := c.CreateTSIG(ctx, cloudflare.TSIGKey{Name: "k.", Algorithm: "hmac-sha1"})
			return err
		},
		"CreateTSIG no name": func() error {
			_, err := c.CreateTSIG(ctx, cloudflare.TSIGKey{Algorithm: "hmac-sha1", Secret: "c2VjcmV0"})
			return err
		},
		"UpdateTSIG id": func() error {
			_, err := c.UpdateTSIG(ctx, cloudflare.TSIGKey{Name: "k.", Algorithm: "hmac-sha1", Secret: "c2VjcmV0"})
			return err
		},
		"GetTSIG id":    func() error { _, err := c.GetTSIG(ctx, "g"); return err },
		"DeleteTSIG id": func() error { return c.DeleteTSIG(ctx, "") },
		"CreateACL wide v4": func() error {
			_, err := c.CreateACL(ctx, cloudflare.ACL{Name: "a", IPRange: netip.MustParsePrefix("10.0.0.0/16")})
			return err
		},
		"CreateACL wide v6": func() error {
			_, err := c.CreateACL(ctx, cloudflare.ACL{Name: "a", IPRange: netip.MustParsePrefix("2001:db8::/48")})
			return err
		},
		"CreateACL no range": func() error { _, err := c.CreateACL(ctx, cloudflare.ACL{Name: "a"}); return err },
		"CreateACL no name": func() error {
			_, err := c.CreateACL(ctx, cloudflare.ACL{IPRange: netip.MustParsePrefix("10.0.0.0/24")})
			return err
		},
		"UpdateACL id": func() error {
			_, err := c.UpdateACL(ctx, cloudflare.ACL{Name: "a", IPRange: netip.MustParsePrefix("10.0.0.0/24")})
			return err
		},
		"GetACL id":    func() error { _, err := c.GetACL(ctx, "1"); return err },
		"DeleteACL id": func() error { return c.DeleteACL(ctx, "") },
		"ListAccountZones per page": func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{PerPage: 51}))
			return err
		},
		"ListAccountZones status": func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Status: "gone"}))
			return err
		},
		"ListAccountZones type": func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Type: "x"}))
			return err
		},
		"ListAccountZones name": func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Name: "contains:.org"}))
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, facade.ErrInvalidInput, "%v", err)
			var fe *facade.Error
			require.ErrorAs(t, err, &fe)
			assert.NotEmpty(t, fe.Operation)
			assert.Equal(t, facade.ProviderCloudflare, fe.Provider)
			assert.Equal(t, strings.Fields(name)[0], fe.Operation)
		})
	}
	assert.Zero(t, f.Stats().Requests, "nothing was sent")
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	c, err := cloudflare.New("wrong-token", f.AccountID(), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	ctx := ctx(t)
	_, err = c.GetZone(ctx, "example.com")
	requireErr(t, err, facade.ErrUnauthorized, "GetZone")
	_, err = c.CreateZone(ctx, "example.com", []facade.Primary{p1})
	requireErr(t, err, facade.ErrUnauthorized, "CreateZone")
	_, err = facade.Collect(c.ListZones(ctx))
	requireErr(t, err, facade.ErrUnauthorized, "ListZones")
	_, err = facade.Collect(c.ListPeers(ctx))
	requireErr(t, err, facade.ErrUnauthorized, "ListPeers")
	assert.Empty(t, f.Zones())

	// Another account's ID is forbidden.
	c2, err := cloudflare.New(f.Token(), hexID, facade.WithBaseURL(f.URL()))
	require.NoError(t, err)
	_, err = facade.Collect(c2.ListTSIGs(ctx))
	requireErr(t, err, facade.ErrForbidden, "ListTSIGs")
	noInvalid(t, f)
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	_, c := startFake(t)
	ctx := ctx(t)
	calls := map[string]func() error{
		"GetZoneByID":    func() error { _, err := c.GetZoneByID(ctx, hexID); return err },
		"DeleteZoneByID": func() error { return c.DeleteZoneByID(ctx, hexID) },
		"GetIncoming":    func() error { _, err := c.GetIncoming(ctx, hexID); return err },
		"DeleteIncoming": func() error { return c.DeleteIncoming(ctx, hexID) },
		"ForceAXFR":      func() error { return c.ForceAXFR(ctx, hexID) },
		"GetPeer":        func() error { _, err := c.GetPeer(ctx, hexID); return err },
		"UpdatePeer": func() error {
			_, err := c.UpdatePeer(ctx, cloudflare.Peer{ID: hexID, Name: "p", IP: p1.Addr})
			return err
		},
		"DeletePeer": func() error { return c.DeletePeer(ctx, hexID) },
		"GetTSIG":    func() error { _, err := c.GetTSIG(ctx, hexID); return err },
		"DeleteTSIG": func() error { return c.DeleteTSIG(ctx, hexID) },
		"GetACL":     func() error { _, err := c.GetACL(ctx, hexID); return err },
		"DeleteACL":  func() error { return c.DeleteACL(ctx, hexID) },
		"GetZone":    func() error { _, err := c.GetZone(ctx, "missing.example"); return err },
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			requireErr(t, call(), facade.ErrNotFound, op)
		})
	}
}

func TestListAccountZonesPagination(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	for i := range 120 {
		typ := "secondary"
		if i%4 == 0 {
			typ = "full"
		}
		_, err := f.AddZone(fmt.Sprintf("zone%03d.example", i), typ)
		require.NoError(t, err)
	}
	before := f.Stats().Requests
	zones, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{PerPage: 50}))
	require.NoError(t, err)
	require.Len(t, zones, 120)
	assert.Equal(t, 3, f.Stats().Requests-before, "three pages, nothing past the last")
	assert.Equal(t, "zone000.example", zones[0].Name)
	assert.Equal(t, "zone119.example", zones[119].Name)
	assert.Equal(t, cloudflare.ZoneTypeFull, zones[0].Type)
	assert.Equal(t, f.AccountID(), zones[0].AccountID)
	assert.False(t, zones[0].CreatedOn.IsZero())

	sec, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Type: cloudflare.ZoneTypeSecondary, PerPage: 5}))
	require.NoError(t, err)
	assert.Len(t, sec, 90)

	one, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Name: "ZONE007.example."}))
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, "zone007.example", one[0].Name)

	// Breaking early fetches no further page.
	before = f.Stats().Requests
	for range c.ListAccountZones(ctx, cloudflare.ZoneListOptions{PerPage: 10}) {
		break
	}
	assert.Equal(t, 1, f.Stats().Requests-before)

	pending, err := facade.Collect(c.ListAccountZones(ctx, cloudflare.ZoneListOptions{Status: cloudflare.StatusActive}))
	require.NoError(t, err)
	assert.Empty(t, pending)
}

func TestListZonesSecondaryOnly(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	for i := range 6 {
		_, err := c.CreateZone(ctx, fmt.Sprintf("s%d.example", i), []facade.Primary{p1, p2})
		require.NoError(t, err)
		_, err = f.AddZone(fmt.Sprintf("f%d.example", i), "full")
		require.NoError(t, err)
	}
	bare, err := f.AddZone("bare.example", "secondary") // no incoming configuration
	require.NoError(t, err)

	before := f.Stats().Requests
	zones, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err)
	require.Len(t, zones, 7)
	// 1 zone page + 7 incoming reads + 1 peer list.
	assert.Equal(t, 9, f.Stats().Requests-before, "peers listed once per ListZones")
	for _, z := range zones {
		if z.ID == bare.ID {
			assert.Empty(t, z.Primaries)
			continue
		}
		assert.Equal(t, []facade.Primary{{Addr: p1.Addr, Port: 53}, p2}, z.Primaries, z.Name)
	}
	_, err = c.GetZone(ctx, "bare.example")
	require.NoError(t, err)
	_, err = c.TransferStatus(ctx, "bare.example")
	requireErr(t, err, facade.ErrNotFound, "TransferStatus")
	// SetPrimaries creates the missing configuration.
	z, err := c.SetPrimaries(ctx, "bare.example", []facade.Primary{p1})
	require.NoError(t, err)
	assert.Equal(t, []facade.Primary{{Addr: p1.Addr, Port: 53}}, z.Primaries)
}

func TestTypedOperations(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)

	z, err := c.CreateAccountZone(ctx, "typed.example", cloudflare.ZoneTypeSecondary)
	require.NoError(t, err)
	assert.Equal(t, cloudflare.ZoneTypeSecondary, z.Type)
	assert.Equal(t, "pending", z.Status)
	_, err = c.CreateAccountZone(ctx, "typed.example", cloudflare.ZoneTypeSecondary)
	requireErr(t, err, facade.ErrConflict, "CreateAccountZone")
	got, err := c.GetZoneByID(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, z.Name, got.Name)

	// TSIG keys.
	k, err := c.CreateTSIG(ctx, cloudflare.TSIGKey{Name: "K.Example", Algorithm: "HMAC-SHA512", Secret: "c2VjcmV0"})
	require.NoError(t, err)
	assert.Equal(t, "k.example.", k.Name)
	assert.Equal(t, "hmac-sha512.", k.Algorithm)
	k.Algorithm = "hmac-md5.sig-alg.reg.int."
	k, err = c.UpdateTSIG(ctx, k)
	require.NoError(t, err)
	assert.Equal(t, "hmac-md5.sig-alg.reg.int.", k.Algorithm)
	k.Algorithm = "hmac-md5"
	k, err = c.UpdateTSIG(ctx, k)
	require.NoError(t, err)
	assert.Equal(t, "hmac-md5.sig-alg.reg.int.", k.Algorithm)
	keys, err := facade.Collect(c.ListTSIGs(ctx))
	require.NoError(t, err)
	assert.Equal(t, []cloudflare.TSIGKey{k}, keys)

	// Peers.
	p, err := c.CreatePeer(ctx, cloudflare.Peer{Name: "ns1", IP: netip.MustParseAddr("::ffff:192.0.2.9"), TSIGID: k.ID})
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("192.0.2.9"), p.IP)
	assert.EqualValues(t, 53, p.Port)
	p.Port, p.IXFR = 5353, true
	p, err = c.UpdatePeer(ctx, p)
	require.NoError(t, err)
	assert.EqualValues(t, 5353, p.Port)
	assert.True(t, p.IXFR)
	gp, err := c.GetPeer(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p, gp)
	ps, err := facade.Collect(c.ListPeers(ctx))
	require.NoError(t, err)
	assert.Equal(t, []cloudflare.Peer{p}, ps)

	// Incoming configuration and forced transfer.
	in, err := c.CreateIncoming(ctx, z.ID, cloudflare.IncomingInput{Name: "typed.example", Peers: []string{p.ID}, AutoRefresh: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, []string{p.ID}, in.Peers)
	assert.Equal(t, time.Hour, in.AutoRefresh)
	_, err = c.CreateIncoming(ctx, z.ID, cloudflare.IncomingInput{Name: "typed.example", Peers: []string{p.ID}})
	requireErr(t, err, facade.ErrConflict, "CreateIncoming")
	in, err = c.UpdateIncoming(ctx, z.ID, cloudflare.IncomingInput{Name: "typed.example.", Peers: []string{p.ID}})
	require.NoError(t, err)
	assert.Equal(t, cloudflare.DefaultAutoRefresh, in.AutoRefresh)
	require.NoError(t, c.ForceAXFR(ctx, z.ID))
	gi, err := c.GetIncoming(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, in.SOASerial+1, gi.SOASerial)
	assert.False(t, gi.CheckedTime.IsZero())

	// In-use resources cannot be deleted (the fake's rule, 400).
	requireErr(t, c.DeletePeer(ctx, p.ID), facade.ErrInvalidInput, "DeletePeer")
	require.NoError(t, c.DeleteIncoming(ctx, z.ID))
	_, err = c.GetIncoming(ctx, z.ID)
	requireErr(t, err, facade.ErrNotFound, "GetIncoming")
	require.NoError(t, c.DeletePeer(ctx, p.ID))
	require.NoError(t, c.DeleteTSIG(ctx, k.ID))
	require.NoError(t, c.DeleteZoneByID(ctx, z.ID))

	// ACLs.
	a, err := c.CreateACL(ctx, cloudflare.ACL{Name: "notify", IPRange: netip.MustParsePrefix("192.0.2.0/24")})
	require.NoError(t, err)
	a.IPRange = netip.MustParsePrefix("2001:db8::/64")
	a, err = c.UpdateACL(ctx, a)
	require.NoError(t, err)
	ga, err := c.GetACL(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, ga)
	acls, err := facade.Collect(c.ListACLs(ctx))
	require.NoError(t, err)
	assert.Equal(t, []cloudflare.ACL{a}, acls)
	require.NoError(t, c.DeleteACL(ctx, a.ID))

	assert.Empty(t, f.Zones())
	assert.Empty(t, f.Peers())
	assert.Empty(t, f.TSIGs())
	assert.Empty(t, f.ACLs())
}

func TestWaitUntilAvailable(t *testing.T) {
	t.Parallel()
	_, c := startFake(t)
	z, err := c.CreateZone(ctx(t), "wait.example", []facade.Primary{p1}, facade.WithWaitUntilAvailable())
	require.NoError(t, err)
	assert.Equal(t, "active", z.State)
}

func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	f, c := startFake(t)
	ctx := ctx(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = c.CreateZone(ctx, fmt.Sprintf("c%d.example", i), []facade.Primary{p1, p2})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, f.Peers(), 2, "concurrent creates share peers")

	for i := range n {
		wg.Go(func() {
			_, errs[i] = c.GetZone(ctx, fmt.Sprintf("c%d.example", i))
			if errs[i] == nil {
				_, errs[i] = facade.Collect(c.ListZones(ctx))
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

func TestCancelledListReportsOperation(t *testing.T) {
	t.Parallel()
	_, c := startFake(t)
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := facade.Collect(c.ListZones(cctx))
	requireErr(t, err, facade.ErrTransport, "ListZones")
	require.ErrorIs(t, err, context.Canceled)
	_, err = facade.Collect(c.ListAccountZones(cctx, cloudflare.ZoneListOptions{}))
	requireErr(t, err, facade.ErrTransport, "ListAccountZones")
}
