package fakes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cf "github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func cfCreateZone(t *testing.T, c *cf.ClientWithResponses, acc, name string, typ cf.ZonesType) cf.ZonesZone {
	t.Helper()
	b := cf.CreateZoneJSONRequestBody{Name: name, Type: &typ}
	b.Account.ID = &acc
	r, err := c.CreateZoneWithResponse(context.Background(), b)
	require.NoError(t, err)
	require.Equal(t, 200, r.StatusCode(), string(r.Body))
	return *r.JSON200.Result
}

// zoneStatus reads the "status" field, which the generated model omits.
func zoneStatus(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		Result struct {
			Status string `json:"status"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(body, &v))
	return v.Result.Status
}

func TestCloudflareSecondaryLifecycle(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakes.StartCloudflare(t, fakes.WithClock(clock.Now))
	c := cloudflareClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	assert.Regexp(t, hex32, acc)

	z := cfCreateZone(t, c, acc, "secondary.example", cf.Secondary)
	assert.Regexp(t, hex32, z.ID)
	assert.Equal(t, acc, *z.Account.ID)
	assert.Nil(t, z.ActivatedOn)

	tr, err := c.CreateTSIGWithResponse(ctx, acc, cf.SecondaryDNSTsigInput{Name: "tsig.example.", Algo: "hmac-sha256.", Secret: "c2VjcmV0"})
	require.NoError(t, err)
	require.Equal(t, 200, tr.StatusCode(), string(tr.Body))
	tsigID := *tr.JSON200.Result.ID

	pr, err := c.CreatePeerWithResponse(ctx, acc, cf.SecondaryDNSPeerInput{Name: "ns1", IP: ptr("192.0.2.53"), TsigID: &tsigID})
	require.NoError(t, err)
	require.Equal(t, 200, pr.StatusCode(), string(pr.Body))
	peer := *pr.JSON200.Result
	assert.Equal(t, int64(53), *peer.Port)

	in := cf.SecondaryDNSIncomingInput{Name: "secondary.example", Peers: []string{*peer.ID}, AutoRefreshSeconds: 86400}
	ir, err := c.CreateIncomingWithResponse(ctx, z.ID, in)
	require.NoError(t, err)
	require.Equal(t, 200, ir.StatusCode(), string(ir.Body))
	assert.Equal(t, int64(2026112201), *ir.JSON200.Result.SoaSerial)

	g, err := c.GetZoneWithResponse(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, "active", zoneStatus(t, g.Body))
	require.NotNil(t, g.JSON200.Result.ActivatedOn)

	clock.Advance(time.Hour)
	for i, want := range []int64{2026112202, 2026112203} {
		fr, err := c.ForceAXFRWithResponse(ctx, z.ID)
		require.NoError(t, err)
		require.Equal(t, 200, fr.StatusCode())
		assert.Equal(t, "OK", *fr.JSON200.Result)
		gi, err := c.GetIncomingWithResponse(ctx, z.ID)
		require.NoError(t, err)
		assert.Equal(t, want, *gi.JSON200.Result.SoaSerial, "force %d", i+1)
		assert.Equal(t, clock.Now().Format(time.RFC3339), *gi.JSON200.Result.CheckedTime)
	}
	snap, ok := f.Incoming(z.ID)
	require.True(t, ok)
	assert.Equal(t, uint32(2026112203), snap.SOASerial)

	// Update to an unreachable peer: the serial stays.
	down := f.AddPeer(fakes.CloudflarePeer{Name: "down", IP: "198.51.100.1"})
	in.Peers = []string{down.ID}
	in.AutoRefreshSeconds = 3600
	ur, err := c.UpdateIncomingWithResponse(ctx, z.ID, in)
	require.NoError(t, err)
	require.Equal(t, 200, ur.StatusCode(), string(ur.Body))
	_, err = c.ForceAXFRWithResponse(ctx, z.ID)
	require.NoError(t, err)
	snap, _ = f.Incoming(z.ID)
	assert.Equal(t, uint32(2026112203), snap.SOASerial)
	assert.Equal(t, int64(3600), snap.AutoRefreshSeconds)

	// Peer and TSIG updates; in-use protection.
	up, err := c.UpdatePeerWithResponse(ctx, acc, *peer.ID, cf.SecondaryDNSPeerInput{Name: "ns1b", IP: ptr("2001:db8::53"), Port: ptr(int64(5353)), IxfrEnable: ptr(true)})
	require.NoError(t, err)
	require.Equal(t, 200, up.StatusCode(), string(up.Body))
	assert.Nil(t, up.JSON200.Result.TsigID)
	dt, err := c.DeleteTSIGWithResponse(ctx, acc, tsigID)
	require.NoError(t, err)
	require.Equal(t, 200, dt.StatusCode(), string(dt.Body))
	dp, err := c.DeletePeerWithResponse(ctx, acc, down.ID)
	require.NoError(t, err)
	assert.Equal(t, 400, dp.StatusCode())
	assert.Contains(t, dp.JSON4XX.Errors[0].Message, "in use")

	di, err := c.DeleteIncomingWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Equal(t, 200, di.StatusCode())
	g, err = c.GetZoneWithResponse(ctx, z.ID)
	require.NoError(t, err)
	assert.Equal(t, "pending", zoneStatus(t, g.Body))

	_, err = c.CreateIncomingWithResponse(ctx, z.ID, in)
	require.NoError(t, err)
	dz, err := c.DeleteZoneWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Equal(t, 200, dz.StatusCode())
	assert.Equal(t, z.ID, dz.JSON200.Result.ID)
	_, ok = f.Incoming(z.ID)
	assert.False(t, ok)
	assert.Empty(t, f.Zones())
	assert.Len(t, f.Peers(), 2)
	assert.Empty(t, f.TSIGs())
	clean(t, f.Server)
}

func TestCloudflareAccountResources(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	c := cloudflareClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()

	ar, err := c.CreateACLWithResponse(ctx, acc, cf.SecondaryDNSACLInput{Name: "office", IPRange: "192.0.2.0/24"})
	require.NoError(t, err)
	require.Equal(t, 200, ar.StatusCode(), string(ar.Body))
	aclID := *ar.JSON200.Result.ID
	ga, err := c.GetACLWithResponse(ctx, acc, aclID)
	require.NoError(t, err)
	assert.Equal(t, "192.0.2.0/24", ga.JSON200.Result.IPRange)
	ua, err := c.UpdateACLWithResponse(ctx, acc, aclID, cf.SecondaryDNSACLInput{Name: "v6", IPRange: "2001:db8::/64"})
	require.NoError(t, err)
	require.Equal(t, 200, ua.StatusCode())
	la, err := c.ListACLsWithResponse(ctx, acc)
	require.NoError(t, err)
	require.Len(t, *la.JSON200.Result, 1)
	assert.Equal(t, "v6", (*la.JSON200.Result)[0].Name)

	tr, err := c.CreateTSIGWithResponse(ctx, acc, cf.SecondaryDNSTsigInput{Name: "k", Algo: "hmac-sha512", Secret: "abc"})
	require.NoError(t, err)
	tid := *tr.JSON200.Result.ID
	ut, err := c.UpdateTSIGWithResponse(ctx, acc, tid, cf.SecondaryDNSTsigInput{Name: "k2", Algo: "hmac-md5.sig-alg.reg.int.", Secret: "def"})
	require.NoError(t, err)
	require.Equal(t, 200, ut.StatusCode(), string(ut.Body))
	gt, err := c.GetTSIGWithResponse(ctx, acc, tid)
	require.NoError(t, err)
	assert.Equal(t, "k2", gt.JSON200.Result.Name)
	lt, err := c.ListTSIGsWithResponse(ctx, acc)
	require.NoError(t, err)
	assert.Len(t, *lt.JSON200.Result, 1)

	pr, err := c.CreatePeerWithResponse(ctx, acc, cf.SecondaryDNSPeerInput{Name: "p", TsigID: &tid})
	require.NoError(t, err)
	pid := *pr.JSON200.Result.ID
	gp, err := c.GetPeerWithResponse(ctx, acc, pid)
	require.NoError(t, err)
	assert.Equal(t, tid, *gp.JSON200.Result.TsigID)
	lp, err := c.ListPeersWithResponse(ctx, acc)
	require.NoError(t, err)
	assert.Len(t, *lp.JSON200.Result, 1)
	dt, err := c.DeleteTSIGWithResponse(ctx, acc, tid)
	require.NoError(t, err)
	assert.Equal(t, 400, dt.StatusCode(), "TSIG in use")

	for _, del := range []func() (int, error){
		func() (int, error) { r, err := c.DeletePeerWithResponse(ctx, acc, pid); return r.StatusCode(), err },
		func() (int, error) { r, err := c.DeleteTSIGWithResponse(ctx, acc, tid); return r.StatusCode(), err },
		func() (int, error) { r, err := c.DeleteACLWithResponse(ctx, acc, aclID); return r.StatusCode(), err },
	} {
		s, err := del()
		require.NoError(t, err)
		assert.Equal(t, 200, s)
	}
	assert.Empty(t, f.Peers())
	assert.Empty(t, f.TSIGs())
	assert.Empty(t, f.ACLs())
	clean(t, f.Server)
}

func TestCloudflareErrors(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	c := cloudflareClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	full := cfCreateZone(t, c, acc, "full.example", cf.Full)
	sec := cfCreateZone(t, c, acc, "sec.example", cf.Secondary)
	peer := f.AddPeer(fakes.CloudflarePeer{Name: "p", IP: "192.0.2.1"})
	unknown := strings.Repeat("ab", 16)

	type res struct{ status, code int }
	fail := func(s int, b *cf.SecondaryDNSAPIResponseCommonFailure) res {
		if b == nil || len(b.Errors) == 0 {
			return res{s, 0}
		}
		assert.False(t, bool(b.Success))
		assert.Nil(t, b.Result)
		return res{s, b.Errors[0].Code}
	}
	zfail := func(s int, b *cf.ZonesAPIResponseCommonFailure) res {
		if b == nil || len(b.Errors) == 0 {
			return res{s, 0}
		}
		return res{s, b.Errors[0].Code}
	}
	otherAcc := strings.Repeat("cd", 16)
	tests := []struct {
		name string
		do   func() (res, error)
		want res
	}{
		{"duplicate zone", func() (res, error) {
			b := cf.CreateZoneJSONRequestBody{Name: "FULL.example"}
			b.Account.ID = &acc
			r, err := c.CreateZoneWithResponse(ctx, b)
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeAlreadyExists}},
		{"zone for another account", func() (res, error) {
			b := cf.CreateZoneJSONRequestBody{Name: "new.example"}
			b.Account.ID = &otherAcc
			r, err := c.CreateZoneWithResponse(ctx, b)
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{403, fakes.CloudflareCodeAuth}},
		{"zone without account id", func() (res, error) {
			r, err := c.CreateZoneWithResponse(ctx, cf.CreateZoneJSONRequestBody{Name: "new.example"})
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"get unknown zone", func() (res, error) {
			r, err := c.GetZoneWithResponse(ctx, unknown)
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeInvalidZone}},
		{"delete unknown zone", func() (res, error) {
			r, err := c.DeleteZoneWithResponse(ctx, unknown)
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeInvalidZone}},
		{"incoming on full zone", func() (res, error) {
			r, err := c.CreateIncomingWithResponse(ctx, full.ID, cf.SecondaryDNSIncomingInput{Name: "full.example", Peers: []string{peer.ID}, AutoRefreshSeconds: 1})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"incoming with unknown peer", func() (res, error) {
			r, err := c.CreateIncomingWithResponse(ctx, sec.ID, cf.SecondaryDNSIncomingInput{Name: "sec.example", Peers: []string{unknown}, AutoRefreshSeconds: 1})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"incoming with wrong name", func() (res, error) {
			r, err := c.CreateIncomingWithResponse(ctx, sec.ID, cf.SecondaryDNSIncomingInput{Name: "other.example", Peers: []string{peer.ID}, AutoRefreshSeconds: 1})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"incoming on unknown zone", func() (res, error) {
			r, err := c.GetIncomingWithResponse(ctx, unknown)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeInvalidZone}},
		{"no incoming yet", func() (res, error) {
			r, err := c.GetIncomingWithResponse(ctx, sec.ID)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeNotFound}},
		{"update missing incoming", func() (res, error) {
			r, err := c.UpdateIncomingWithResponse(ctx, sec.ID, cf.SecondaryDNSIncomingInput{Name: "sec.example", Peers: []string{peer.ID}, AutoRefreshSeconds: 1})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeNotFound}},
		{"force axfr without incoming", func() (res, error) {
			r, err := c.ForceAXFRWithResponse(ctx, sec.ID)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"peer with bad ip", func() (res, error) {
			r, err := c.CreatePeerWithResponse(ctx, acc, cf.SecondaryDNSPeerInput{Name: "x", IP: ptr("300.1.1.1")})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"peer with unknown tsig", func() (res, error) {
			r, err := c.CreatePeerWithResponse(ctx, acc, cf.SecondaryDNSPeerInput{Name: "x", TsigID: ptr(unknown)})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"get unknown peer", func() (res, error) {
			r, err := c.GetPeerWithResponse(ctx, acc, unknown)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeNotFound}},
		{"tsig with bad algo", func() (res, error) {
			r, err := c.CreateTSIGWithResponse(ctx, acc, cf.SecondaryDNSTsigInput{Name: "k", Algo: "rot13", Secret: "x"})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"acl too wide", func() (res, error) {
			r, err := c.CreateACLWithResponse(ctx, acc, cf.SecondaryDNSACLInput{Name: "a", IPRange: "10.0.0.0/8"})
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{400, fakes.CloudflareCodeValidation}},
		{"get unknown acl", func() (res, error) {
			r, err := c.GetACLWithResponse(ctx, acc, unknown)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{404, fakes.CloudflareCodeNotFound}},
		{"other account's peers", func() (res, error) {
			r, err := c.ListPeersWithResponse(ctx, otherAcc)
			return fail(r.StatusCode(), r.JSON4XX), err
		}, res{403, fakes.CloudflareCodeAuth}},
		{"wrong token", func() (res, error) {
			r, err := cloudflareClient(t, f, "bad").ListZonesWithResponse(ctx, nil)
			return zfail(r.StatusCode(), r.JSON4XX), err
		}, res{401, fakes.CloudflareCodeAuth}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.do()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Len(t, f.Zones(), 2)
	clean(t, f.Server)
}

func TestCloudflareInvalidRequests(t *testing.T) {
	t.Parallel()
	f := fakes.NewCloudflare(fakes.WithValidateResponses(true))
	defer f.Close()
	ctx := context.Background()
	acc := f.AccountID()
	tests := []struct{ name, method, path, body, want string }{
		{"peer without name", "POST", "/accounts/" + acc + "/secondary_dns/peers", `{"ip":"192.0.2.1"}`, "name"},
		{"tsig without secret", "POST", "/accounts/" + acc + "/secondary_dns/tsigs", `{"name":"k","algo":"hmac-sha256"}`, "secret"},
		{"zone with bad name", "POST", "/zones", `{"name":"not a domain","account":{"id":"` + acc + `"}}`, "name"},
		{"per_page too small", "GET", "/zones?per_page=2", ``, "per_page"},
		{"incoming without peers", "POST", "/zones/" + strings.Repeat("a", 32) + "/secondary_dns/incoming", `{"name":"x.example","auto_refresh_seconds":1}`, "peers"},
	}
	for _, tt := range tests {
		req, err := http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, nil)
		if tt.body != "" {
			req, err = http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
		}
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+f.Token())
		rsp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body struct {
			Success bool
			Errors  []struct{ Code int }
		}
		require.NoError(t, json.NewDecoder(rsp.Body).Decode(&body))
		rsp.Body.Close()
		assert.Equal(t, 400, rsp.StatusCode, tt.name)
		assert.False(t, body.Success)
		require.Len(t, body.Errors, 1)
		assert.Equal(t, fakes.CloudflareCodeValidation, body.Errors[0].Code)
	}
	// An unknown path is recorded too, with 404.
	req, _ := http.NewRequestWithContext(ctx, "GET", f.URL()+"/nothing", nil)
	req.Header.Set("Authorization", "Bearer "+f.Token())
	rsp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	rsp.Body.Close()
	assert.Equal(t, 404, rsp.StatusCode)

	errs := f.InvalidRequests()
	require.Len(t, errs, len(tests)+1)
	for i, tt := range tests {
		assert.Contains(t, errs[i].Error(), tt.want, tt.name)
	}
	assert.Empty(t, f.InvalidResponses())
	assert.Empty(t, f.Zones())
	assert.Empty(t, f.Peers())
}

func TestCloudflarePaginationAndFilters(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	c := cloudflareClient(t, f, f.Token())
	ctx := context.Background()
	for i := range 12 {
		typ := "full"
		if i%3 == 0 {
			typ = "secondary"
		}
		tld := "example"
		if i%2 == 1 {
			tld = "org"
		}
		_, err := f.AddZone(fmt.Sprintf("z%02d.%s", 11-i, tld), typ)
		require.NoError(t, err)
	}
	var names []string
	for page := 1; ; page++ {
		r, err := c.ListZonesWithResponse(ctx, &cf.ListZonesParams{Page: ptr(page), PerPage: ptr(5)})
		require.NoError(t, err)
		require.Equal(t, 200, r.StatusCode(), string(r.Body))
		ri := r.JSON200.ResultInfo
		assert.Equal(t, page, *ri.Page)
		assert.Equal(t, 5, *ri.PerPage)
		assert.Equal(t, 12, *ri.TotalCount)
		assert.Equal(t, len(*r.JSON200.Result), *ri.Count)
		for _, z := range *r.JSON200.Result {
			names = append(names, z.Name)
		}
		if *ri.Count < 5 {
			break
		}
	}
	require.Len(t, names, 12)
	assert.Equal(t, "z00.org", names[0])
	assert.Equal(t, "z11.example", names[11])

	cases := []struct {
		name   string
		params cf.ListZonesParams
		want   []string
	}{
		{"exact", cf.ListZonesParams{Name: ptr("Z03.EXAMPLE")}, []string{"z03.example"}},
		{"contains", cf.ListZonesParams{Name: ptr("contains:0"), Direction: ptr(cf.Desc)}, []string{"z10.org", "z09.example", "z08.org", "z07.example", "z06.org", "z05.example", "z04.org", "z03.example", "z02.org", "z01.example", "z00.org"}},
		{"starts_with", cf.ListZonesParams{Name: ptr("starts_with:z1")}, []string{"z10.org", "z11.example"}},
		{"ends_with and account", cf.ListZonesParams{Name: ptr("ends_with:.org"), AccountID: ptr(f.AccountID()), PerPage: ptr(50)}, []string{"z00.org", "z02.org", "z04.org", "z06.org", "z08.org", "z10.org"}},
		{"status", cf.ListZonesParams{Status: ptr(cf.Active)}, []string{}},
		{"match any", cf.ListZonesParams{Name: ptr("z00.org"), Status: ptr(cf.Active), Match: ptr(cf.Any)}, []string{"z00.org"}},
	}
	for _, tc := range cases {
		r, err := c.ListZonesWithResponse(ctx, &tc.params)
		require.NoError(t, err)
		require.Equal(t, 200, r.StatusCode(), tc.name)
		got := []string{}
		for _, z := range *r.JSON200.Result {
			got = append(got, z.Name)
		}
		assert.Equal(t, tc.want, got, tc.name)
	}
	clean(t, f.Server)
}

func TestCloudflareConcurrentCreate(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t)
	c := cloudflareClient(t, f, f.Token())
	acc := f.AccountID()
	oneCreateWins(t, 200, 400, func() (int, error) {
		b := cf.CreateZoneJSONRequestBody{Name: "race.example"}
		b.Account.ID = &acc
		r, err := c.CreateZoneWithResponse(context.Background(), b)
		if err != nil {
			return 0, err
		}
		return r.StatusCode(), nil
	})
	assert.Len(t, f.Zones(), 1)
	clean(t, f.Server)
}
