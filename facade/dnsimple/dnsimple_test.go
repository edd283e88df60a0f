package dnsimple_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/internal/errtest"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	ip1 = netip.MustParseAddr("192.0.2.1")
	ip2 = netip.MustParseAddr("2001:db8::1")
	ip3 = netip.MustParseAddr("192.0.2.3")
)

// start returns a fake DNSimple and a client for it. The fake fails the
// test at cleanup on any invalid request or response; the explicit
// assertion documents it.
func start(t *testing.T, opts ...fakes.Option) (*fakes.DNSimple, *dnsimple.Client) {
	t.Helper()
	f := fakes.StartDNSimple(t, opts...)
	t.Cleanup(func() { assert.Empty(t, f.InvalidRequests(), "invalid requests") })
	return f, client(t, f, f.Token(), int64(f.AccountID()))
}

func client(t *testing.T, f *fakes.DNSimple, token string, account int64) *dnsimple.Client {
	t.Helper()
	c, err := dnsimple.New(token, account, facade.WithBaseURL(f.URL()),
		facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	return c
}

// requireKind asserts err is a *facade.Error of kind with Operation op.
func requireKind(t *testing.T, err error, kind error, op string) *facade.Error {
	t.Helper()
	return errtest.RequireKind(t, err, kind, facade.ProviderDNSimple, op)
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string
		account int64
		opts    []facade.Option
		ok      bool
	}{
		{"default", "tok", 1010, nil, true},
		{"sandbox", "tok", 1010, []facade.Option{dnsimple.WithSandbox()}, true},
		{"all options", "tok", 1, []facade.Option{
			facade.WithBaseURL("http://127.0.0.1:1/v2/"), facade.WithUserAgent("x/1"),
			facade.WithMaxBodyBytes(1 << 10), facade.WithLogger(nil),
			facade.WithRetryPolicy(facade.DefaultRetryPolicy()),
		}, true},
		{"empty token", "", 1010, nil, false},
		{"zero account", "tok", 0, nil, false},
		{"negative account", "tok", -5, nil, false},
		{"bad base URL", "tok", 1010, []facade.Option{facade.WithBaseURL("/v2")}, false},
		{"bad retry policy", "tok", 1010, []facade.Option{facade.WithRetryPolicy(facade.RetryPolicy{})}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := dnsimple.New(tt.token, tt.account, tt.opts...)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, facade.ProviderDNSimple, c.Provider())
				assert.Equal(t, tt.account, c.AccountID())
				return
			}
			assert.Nil(t, c)
			requireKindNoProvider(t, err)
		})
	}
	c, err := dnsimple.New("secret-token", 1010)
	require.NoError(t, err)
	assert.Contains(t, c.String(), dnsimple.ProductionURL)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", c, c, c), "secret-token")
	c, err = dnsimple.New("secret-token", 1010, dnsimple.WithSandbox())
	require.NoError(t, err)
	assert.Contains(t, c.String(), dnsimple.SandboxURL)
}

func requireKindNoProvider(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, facade.ErrInvalidInput)
	var fe *facade.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "New", fe.Operation)
}

func TestTypedPrimaryServers(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	_, err := f.AddZone("secondary.example", true)
	require.NoError(t, err)

	ps, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "Primary 1", IP: ip1, Port: 5353})
	require.NoError(t, err)
	assert.Equal(t, "Primary 1", ps.Name)
	assert.Equal(t, ip1, ps.IP)
	assert.EqualValues(t, 5353, ps.Port)
	assert.Equal(t, int64(f.AccountID()), ps.AccountID)
	assert.Positive(t, ps.ID)

	def, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "Primary 2", IP: ip2})
	require.NoError(t, err)
	assert.EqualValues(t, 53, def.Port, "DNSimple's default port")

	l, err := c.LinkPrimaryServer(ctx, ps.ID, "Secondary.Example.")
	require.NoError(t, err)
	assert.Equal(t, []string{"secondary.example"}, l.LinkedSecondaryZones)

	g, err := c.GetPrimaryServer(ctx, ps.ID)
	require.NoError(t, err)
	assert.Equal(t, l.LinkedSecondaryZones, g.LinkedSecondaryZones)

	all, err := facade.Collect(c.ListPrimaryServers(ctx, dnsimple.ListOptions{Sort: "id:desc"}))
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, def.ID, all[0].ID)

	u, err := c.UnlinkPrimaryServer(ctx, ps.ID, "secondary.example")
	require.NoError(t, err)
	assert.Empty(t, u.LinkedSecondaryZones)

	require.NoError(t, c.DeletePrimaryServer(ctx, ps.ID))
	_, err = c.GetPrimaryServer(ctx, ps.ID)
	requireKind(t, err, facade.ErrNotFound, "GetPrimaryServer")
	assert.Len(t, f.PrimaryServers(), 1)
}

func TestTypedZonesAndDomains(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()

	z, err := c.CreateSecondaryZone(ctx, "Secondary.Example")
	require.NoError(t, err)
	assert.Equal(t, "secondary.example", z.Name)
	assert.True(t, z.Secondary)
	assert.Positive(t, z.ID)

	d, err := c.CreateDomain(ctx, "primary.example")
	require.NoError(t, err)
	assert.Equal(t, "primary.example", d.Name)
	assert.Equal(t, "hosted", d.State)
	assert.Zero(t, d.RegistrantID)

	gz, err := c.GetAccountZone(ctx, "secondary.example")
	require.NoError(t, err)
	assert.Equal(t, z.ID, gz.ID)
	pz, err := c.GetAccountZone(ctx, "primary.example")
	require.NoError(t, err)
	assert.False(t, pz.Secondary)

	zones, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{NameLike: "example", Sort: "name:desc"}))
	require.NoError(t, err)
	require.Len(t, zones, 2)
	assert.Equal(t, "secondary.example", zones[0].Name)

	gd, err := c.GetDomain(ctx, "primary.example")
	require.NoError(t, err)
	assert.Equal(t, d.ID, gd.ID)
	gd, err = c.GetDomain(ctx, strconv.FormatInt(d.ID, 10))
	require.NoError(t, err)
	assert.Equal(t, "primary.example", gd.Name)

	domains, err := facade.Collect(c.ListDomains(ctx, dnsimple.DomainListOptions{Sort: "id:asc", NameLike: "EXAMPLE"}))
	require.NoError(t, err)
	assert.Len(t, domains, 2)

	require.NoError(t, c.DeleteDomain(ctx, "secondary.example"))
	require.NoError(t, c.DeleteDomain(ctx, strconv.FormatInt(d.ID, 10)))
	assert.Empty(t, f.Domains())
	assert.Empty(t, f.Zones())
}

func TestTypedErrors(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	_, err := f.AddZone("taken.example", true)
	require.NoError(t, err)
	unauth := client(t, f, "wrong-token", int64(f.AccountID()))
	otherAccount := client(t, f, f.Token(), int64(f.AccountID())+1)

	tests := []struct {
		name string
		op   string
		kind error
		call func() error
	}{
		{"duplicate zone", "CreateSecondaryZone", facade.ErrConflict, func() error { _, err := c.CreateSecondaryZone(ctx, "taken.example"); return err }},
		{"duplicate domain", "CreateDomain", facade.ErrConflict, func() error { _, err := c.CreateDomain(ctx, "taken.example"); return err }},
		{"unknown primary", "GetPrimaryServer", facade.ErrNotFound, func() error { _, err := c.GetPrimaryServer(ctx, 999); return err }},
		{"delete unknown primary", "DeletePrimaryServer", facade.ErrNotFound, func() error { return c.DeletePrimaryServer(ctx, 999) }},
		{"link unknown primary", "LinkPrimaryServer", facade.ErrNotFound, func() error { _, err := c.LinkPrimaryServer(ctx, 999, "taken.example"); return err }},
		{"unknown zone", "GetAccountZone", facade.ErrNotFound, func() error { _, err := c.GetAccountZone(ctx, "nope.example"); return err }},
		{"unknown domain", "GetDomain", facade.ErrNotFound, func() error { _, err := c.GetDomain(ctx, "nope.example"); return err }},
		{"delete unknown domain", "DeleteDomain", facade.ErrNotFound, func() error { return c.DeleteDomain(ctx, "nope.example") }},
		{"wrong token list", "ListPrimaryServers", facade.ErrUnauthorized, func() error {
			_, err := facade.Collect(unauth.ListPrimaryServers(ctx, dnsimple.ListOptions{}))
			return err
		}},
		{"wrong token zones", "ListAccountZones", facade.ErrUnauthorized, func() error {
			_, err := facade.Collect(unauth.ListAccountZones(ctx, dnsimple.ZoneListOptions{}))
			return err
		}},
		{"wrong token domains", "ListDomains", facade.ErrUnauthorized, func() error {
			_, err := facade.Collect(unauth.ListDomains(ctx, dnsimple.DomainListOptions{}))
			return err
		}},
		{"wrong account", "CreatePrimaryServer", facade.ErrUnauthorized, func() error {
			_, err := otherAccount.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "x", IP: ip1})
			return err
		}},
		{"neutral duplicate", "CreateZone", facade.ErrConflict, func() error {
			_, err := c.CreateZone(ctx, "taken.example", []facade.Primary{{Addr: ip1}})
			return err
		}},
		{"neutral unauthorized", "GetZone", facade.ErrUnauthorized, func() error { _, err := unauth.GetZone(ctx, "taken.example"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireKind(t, tt.call(), tt.kind, tt.op)
		})
	}
	// The failed neutral CreateZone rolled back the primary server it made.
	assert.Empty(t, f.PrimaryServers())
}

func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	tsig := facade.TSIG{Name: "k.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}
	ok := []facade.Primary{{Addr: ip1}}

	tests := []struct {
		name        string
		op          string
		unsupported bool
		call        func() error
	}{
		{"list bad sort", "ListPrimaryServers", false, func() error {
			_, err := facade.Collect(c.ListPrimaryServers(ctx, dnsimple.ListOptions{Sort: "ip:asc"}))
			return err
		}},
		{"list bad per page", "ListPrimaryServers", false, func() error {
			_, err := facade.Collect(c.ListPrimaryServers(ctx, dnsimple.ListOptions{PerPage: 101}))
			return err
		}},
		{"create server no name", "CreatePrimaryServer", false, func() error {
			_, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: " ", IP: ip1})
			return err
		}},
		{"create server no IP", "CreatePrimaryServer", false, func() error {
			_, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "x"})
			return err
		}},
		{"create server unspecified IP", "CreatePrimaryServer", false, func() error {
			_, err := c.CreatePrimaryServer(ctx, dnsimple.PrimaryServerInput{Name: "x", IP: netip.IPv6Unspecified()})
			return err
		}},
		{"get server id 0", "GetPrimaryServer", false, func() error { _, err := c.GetPrimaryServer(ctx, 0); return err }},
		{"delete server id -1", "DeletePrimaryServer", false, func() error { return c.DeletePrimaryServer(ctx, -1) }},
		{"link bad zone", "LinkPrimaryServer", false, func() error { _, err := c.LinkPrimaryServer(ctx, 1, "bad..zone"); return err }},
		{"unlink bad id", "UnlinkPrimaryServer", false, func() error { _, err := c.UnlinkPrimaryServer(ctx, 0, "x.example"); return err }},
		{"secondary zone bad name", "CreateSecondaryZone", false, func() error { _, err := c.CreateSecondaryZone(ctx, "x"); return err }},
		{"zones bad sort", "ListAccountZones", false, func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{Sort: "expiration:asc"}))
			return err
		}},
		{"zones bad filter", "ListAccountZones", false, func() error {
			_, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{NameLike: "a\nb"}))
			return err
		}},
		{"zone bad name", "GetAccountZone", false, func() error { _, err := c.GetAccountZone(ctx, "../x"); return err }},
		{"domains bad registrant", "ListDomains", false, func() error {
			_, err := facade.Collect(c.ListDomains(ctx, dnsimple.DomainListOptions{RegistrantID: -1}))
			return err
		}},
		{"domains bad per page", "ListDomains", false, func() error {
			_, err := facade.Collect(c.ListDomains(ctx, dnsimple.DomainListOptions{PerPage: -1}))
			return err
		}},
		{"create domain bad name", "CreateDomain", false, func() error { _, err := c.CreateDomain(ctx, "a b.example"); return err }},
		{"get domain id 0", "GetDomain", false, func() error { _, err := c.GetDomain(ctx, "0"); return err }},
		{"delete domain empty", "DeleteDomain", false, func() error { return c.DeleteDomain(ctx, "") }},
		{"CreateZone bad name", "CreateZone", false, func() error { _, err := c.CreateZone(ctx, "", ok); return err }},
		{"CreateZone no primaries", "CreateZone", false, func() error { _, err := c.CreateZone(ctx, "example.com", nil); return err }},
		{"CreateZone duplicate primaries", "CreateZone", false, func() error {
			_, err := c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: ip1}, {Addr: ip1, Port: 53}})
			return err
		}},
		{"CreateZone TSIG", "CreateZone", true, func() error { _, err := c.CreateZone(ctx, "example.com", ok, facade.WithTSIG(tsig)); return err }},
		{"SetPrimaries empty", "SetPrimaries", false, func() error { _, err := c.SetPrimaries(ctx, "example.com", nil); return err }},
		{"GetZone bad name", "GetZone", false, func() error { _, err := c.GetZone(ctx, "-a.example"); return err }},
		{"DeleteZone bad name", "DeleteZone", false, func() error { return c.DeleteZone(ctx, "a..b") }},
		{"Transfer", "Transfer", true, func() error { return c.Transfer(ctx, "example.com") }},
		{"Transfer bad name", "Transfer", false, func() error { return c.Transfer(ctx, "") }},
		{"TransferStatus bad name", "TransferStatus", false, func() error { _, err := c.TransferStatus(ctx, "x"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			kind := facade.ErrInvalidInput
			if tt.unsupported {
				kind = facade.ErrUnsupported
			}
			requireKind(t, err, kind, tt.op)
			assert.Equal(t, tt.unsupported, errors.Is(err, errors.ErrUnsupported))
			assert.Equal(t, !tt.unsupported, errors.Is(err, facade.ErrInvalidInput))
		})
	}
	assert.Zero(t, f.Stats().Requests, "validation failures must not send requests")
	assert.Zero(t, c.Stats().Attempts)
}

func TestPagination(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	for i := range 250 {
		_, err := f.AddZone(fmt.Sprintf("zone%03d.example", i), i%2 == 0)
		require.NoError(t, err)
	}
	for i := range 65 {
		f.AddPrimaryServer(fmt.Sprintf("p%02d", i), fmt.Sprintf("192.0.2.%d", i+1), 0)
	}
	tests := []struct {
		name     string
		list     func() (int, error)
		want     int
		requests int
	}{
		{"zones per page 30", func() (int, error) {
			zs, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{PerPage: 30}))
			return len(zs), err
		}, 250, 9},
		{"zones per page 50 exact", func() (int, error) {
			zs, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{PerPage: 50}))
			return len(zs), err
		}, 250, 5},
		{"zones default per page", func() (int, error) {
			zs, err := facade.Collect(c.ListAccountZones(ctx, dnsimple.ZoneListOptions{}))
			return len(zs), err
		}, 250, 9},
		{"domains per page 100", func() (int, error) {
			ds, err := facade.Collect(c.ListDomains(ctx, dnsimple.DomainListOptions{PerPage: 100}))
			return len(ds), err
		}, 250, 3},
		{"domains filtered", func() (int, error) {
			ds, err := facade.Collect(c.ListDomains(ctx, dnsimple.DomainListOptions{NameLike: "zone1", PerPage: 30}))
			return len(ds), err
		}, 100, 4},
		{"primaries per page 30", func() (int, error) {
			ps, err := facade.Collect(c.ListPrimaryServers(ctx, dnsimple.ListOptions{PerPage: 30}))
			return len(ps), err
		}, 65, 3},
		{"neutral ListZones", func() (int, error) {
			zs, err := facade.Collect(c.ListZones(ctx))
			return len(zs), err
		}, 125, 3 + 1}, // 3 zone pages of 100, 1 primaries page of 100
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.Stats().Requests
			n, err := tt.list()
			require.NoError(t, err)
			assert.Equal(t, tt.want, n)
			assert.Equal(t, tt.requests, f.Stats().Requests-before, "requests")
		})
	}

	t.Run("break stops fetching", func(t *testing.T) {
		before := f.Stats().Requests
		n := 0
		for _, err := range c.ListAccountZones(ctx, dnsimple.ZoneListOptions{PerPage: 10}) {
			require.NoError(t, err)
			if n++; n == 10 {
				break
			}
		}
		assert.Equal(t, 1, f.Stats().Requests-before)
	})
}

func TestSecondaryDNSLifecycle(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	// A pre-existing server at ip1:53 is reused, not duplicated.
	existing := f.AddPrimaryServer("mine", "192.0.2.1", 53)
	_, err := f.AddZone("primary.example", false)
	require.NoError(t, err)

	z, err := c.CreateZone(ctx, "Example.COM.", []facade.Primary{{Addr: ip1}, {Addr: ip2, Port: 5353}},
		facade.WithWaitUntilAvailable(), facade.WithDescription("ignored"))
	require.NoError(t, err)
	assert.Equal(t, facade.ProviderDNSimple, z.Provider)
	assert.Equal(t, "example.com", z.Name)
	assert.NotEmpty(t, z.ID)
	want := []facade.Primary{{Addr: ip1, Port: 53}, {Addr: ip2, Port: 5353}}
	assert.Equal(t, want, z.Primaries)

	servers := f.PrimaryServers()
	require.Len(t, servers, 2)
	assert.Equal(t, existing.ID, servers[0].ID)
	assert.Equal(t, []string{"example.com"}, servers[0].LinkedSecondaryZones)
	assert.Equal(t, "secondarydns [2001:db8::1]:5353", servers[1].Name)
	assert.Equal(t, 5353, servers[1].Port)

	g, err := c.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, z.ID, g.ID)
	assert.ElementsMatch(t, want, g.Primaries)
	assert.False(t, g.LastTransfer.IsZero(), "the fake transfers on link from a reachable primary")

	zones, err := facade.Collect(c.ListZones(ctx))
	require.NoError(t, err)
	require.Len(t, zones, 1, "primary zones are skipped")
	assert.Equal(t, "example.com", zones[0].Name)
	assert.ElementsMatch(t, want, zones[0].Primaries)

	// Replace ip2:5353 by ip3; ip1 stays linked.
	s, err := c.SetPrimaries(ctx, "example.com", []facade.Primary{{Addr: ip1}, {Addr: ip3}})
	require.NoError(t, err)
	want = []facade.Primary{{Addr: ip1, Port: 53}, {Addr: ip3, Port: 53}}
	assert.Equal(t, want, s.Primaries)
	g, err = c.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.ElementsMatch(t, want, g.Primaries)
	servers = f.PrimaryServers()
	require.Len(t, servers, 3, "unlinked servers are kept")
	assert.Empty(t, servers[1].LinkedSecondaryZones)

	ts, err := c.TransferStatus(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", ts.Zone)
	assert.Equal(t, g.LastTransfer, ts.LastTransfer)
	assert.ElementsMatch(t, []facade.PrimaryStatus{{Primary: want[0]}, {Primary: want[1]}}, ts.Primaries)

	// A primary zone is not a secondary zone.
	for _, tt := range []struct {
		op   string
		call func() error
	}{
		{"GetZone", func() error { _, err := c.GetZone(ctx, "primary.example"); return err }},
		{"DeleteZone", func() error { return c.DeleteZone(ctx, "primary.example") }},
		{"SetPrimaries", func() error { _, err := c.SetPrimaries(ctx, "primary.example", want); return err }},
		{"TransferStatus", func() error { _, err := c.TransferStatus(ctx, "primary.example"); return err }},
		{"GetZone", func() error { _, err := c.GetZone(ctx, "absent.example"); return err }},
	} {
		requireKind(t, tt.call(), facade.ErrNotFound, tt.op)
	}

	require.NoError(t, c.DeleteZone(ctx, "example.com"))
	_, err = c.GetZone(ctx, "example.com")
	requireKind(t, err, facade.ErrNotFound, "GetZone")
	require.NoError(t, c.DeleteDomain(ctx, "primary.example"))
	assert.Empty(t, f.Zones())
	for _, ps := range f.PrimaryServers() {
		assert.Empty(t, ps.LinkedSecondaryZones)
	}
}

func TestCreateZoneRollback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	primaries := []facade.Primary{{Addr: ip1}, {Addr: ip2}, {Addr: ip3}}
	// Requests of CreateZone with one reused and two new servers:
	// 1 list primaries, 2-3 create servers, 4 create zone, 5-7 link.
	unavailable := func(n int) fakes.Faults { return fakes.Faults{Unavailable: fakes.Trigger{Nth: n}} }
	lost := func(n int) fakes.Faults { return fakes.Faults{DropAfter: fakes.Trigger{Nth: n}} }
	tests := []struct {
		name   string
		faults fakes.Faults
		kind   error
	}{
		{"create server fails", unavailable(3), facade.ErrServer},
		{"create zone fails", unavailable(4), facade.ErrServer},
		{"first link fails", unavailable(5), facade.ErrServer},
		{"last link fails", unavailable(7), facade.ErrServer},
		{"server created, response lost", lost(3), facade.ErrTransport},
		{"zone created, response lost", lost(4), facade.ErrTransport},
		{"link made, response lost", lost(6), facade.ErrTransport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := start(t)
			existing := f.AddPrimaryServer("mine", "192.0.2.1", 0)
			_, err := f.AddZone("other.example", true)
			require.NoError(t, err)
			f.SetFaults(tt.faults)

			_, err = c.CreateZone(ctx, "example.com", primaries)
			requireKind(t, err, tt.kind, "CreateZone")

			f.SetFaults(fakes.Faults{})
			servers := f.PrimaryServers()
			require.Len(t, servers, 1, "servers created by the call are deleted")
			assert.Equal(t, existing.ID, servers[0].ID)
			assert.Empty(t, servers[0].LinkedSecondaryZones, "links made by the call are removed")
			zones := f.Zones()
			require.Len(t, zones, 1, "the zone created by the call is deleted")
			assert.Equal(t, "other.example", zones[0].Name)
		})
	}

	t.Run("conflict keeps the existing zone's links", func(t *testing.T) {
		t.Parallel()
		f, c := start(t)
		_, err := f.AddZone("example.com", true)
		require.NoError(t, err)
		p := f.AddPrimaryServer("mine", "192.0.2.1", 53)
		_, err = c.LinkPrimaryServer(ctx, int64(p.ID), "example.com")
		require.NoError(t, err)

		_, err = c.CreateZone(ctx, "example.com", primaries)
		requireKind(t, err, facade.ErrConflict, "CreateZone")
		servers := f.PrimaryServers()
		require.Len(t, servers, 1)
		assert.Equal(t, []string{"example.com"}, servers[0].LinkedSecondaryZones)
		require.Len(t, f.Zones(), 1)
	})

	t.Run("cancelled context still rolls back", func(t *testing.T) {
		t.Parallel()
		f, _ := start(t)
		cctx, cancel := context.WithCancel(ctx)
		// Cancel once the zone exists: wrap the transport to watch requests.
		c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()),
			facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1}),
			facade.WithHTTPClient(cancelAfter(f, 4, cancel)))
		require.NoError(t, err)
		_, err = c.CreateZone(cctx, "example.com", primaries)
		requireKind(t, err, context.Canceled, "CreateZone")
		assert.Empty(t, f.PrimaryServers())
		assert.Empty(t, f.Zones())
	})
}

func TestConcurrentGetZone(t *testing.T) {
	t.Parallel()
	f, c := start(t)
	ctx := context.Background()
	names := []string{"a.example", "b.example", "c.example", "d.example"}
	for _, n := range names {
		_, err := c.CreateZone(ctx, n, []facade.Primary{{Addr: ip1}})
		require.NoError(t, err)
	}
	require.Len(t, f.PrimaryServers(), 1, "the server is shared")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Go(func() {
			n := names[i%len(names)]
			z, err := c.GetZone(ctx, n)
			if err == nil && (z.Name != n || len(z.Primaries) != 1) {
				err = fmt.Errorf("got %+v for %s", z, n)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestTransientFaultsAreRetried(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t, fakes.WithFaults(fakes.Faults{
		RateLimit: fakes.Trigger{Every: 2}, RetryAfter: -1,
	}))
	c, err := dnsimple.New(f.Token(), int64(f.AccountID()), facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(facade.RetryPolicy{
		MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: time.Second,
	}))
	require.NoError(t, err)
	ctx := context.Background()
	// POSTs are retried on 429 too, so the whole multi-step create succeeds.
	z, err := c.CreateZone(ctx, "example.com", []facade.Primary{{Addr: ip1}, {Addr: ip2}})
	require.NoError(t, err)
	g, err := c.GetZone(ctx, "example.com")
	require.NoError(t, err)
	assert.ElementsMatch(t, z.Primaries, g.Primaries)
	assert.Positive(t, c.Stats().Retries)
	assert.Positive(t, f.Stats().RateLimited)
	assert.Empty(t, f.InvalidRequests())
}
