package fakes_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

func TestDNSimpleSecondaryLifecycle(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakes.StartDNSimple(t, fakes.WithClock(clock.Now), fakes.WithAccountID("531"))
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	require.Equal(t, 531, acc)

	zr, err := c.CreateSecondaryZoneWithResponse(ctx, acc, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "Secondary.Example."})
	require.NoError(t, err)
	require.Equal(t, 201, zr.StatusCode(), string(zr.Body))
	z := zr.JSON201.Data
	assert.Equal(t, "secondary.example", z.Name)
	assert.True(t, z.Secondary)
	assert.Nil(t, z.LastTransferredAt)
	assert.Equal(t, 531, z.AccountID)
	for _, h := range []string{"X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		assert.NotEmpty(t, zr.HTTPResponse.Header.Get(h), h)
	}
	assert.Equal(t, "2400", zr.HTTPResponse.Header.Get("X-RateLimit-Limit"))

	// Visible as a domain too, by name and by ID.
	dr, err := c.GetDomainWithResponse(ctx, acc, "secondary.example")
	require.NoError(t, err)
	require.Equal(t, 200, dr.StatusCode())
	dr2, err := c.GetDomainWithResponse(ctx, acc, strconv.Itoa(dr.JSON200.Data.ID))
	require.NoError(t, err)
	require.Equal(t, 200, dr2.StatusCode())
	assert.Equal(t, "secondary.example", dr2.JSON200.Data.Name)

	pr, err := c.CreatePrimaryServerWithResponse(ctx, acc, dnsimpleapi.CreatePrimaryServerJSONRequestBody{Name: "ns1", IP: "192.0.2.53"})
	require.NoError(t, err)
	require.Equal(t, 201, pr.StatusCode(), string(pr.Body))
	p := pr.JSON201.Data
	assert.Equal(t, 53, p.Port)
	assert.Empty(t, p.LinkedSecondaryZones)

	clock.Advance(time.Minute)
	lr, err := c.LinkPrimaryServerWithResponse(ctx, acc, p.ID, dnsimpleapi.PrimaryServerZone{Zone: "secondary.example"})
	require.NoError(t, err)
	require.Equal(t, 200, lr.StatusCode(), string(lr.Body))
	assert.Equal(t, []string{"secondary.example"}, lr.JSON200.Data.LinkedSecondaryZones)

	gz, err := c.GetZoneWithResponse(ctx, acc, "secondary.example")
	require.NoError(t, err)
	require.Equal(t, 200, gz.StatusCode())
	require.NotNil(t, gz.JSON200.Data.LastTransferredAt)
	assert.Equal(t, clock.Now(), *gz.JSON200.Data.LastTransferredAt)

	gp, err := c.GetPrimaryServerWithResponse(ctx, acc, p.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"secondary.example"}, gp.JSON200.Data.LinkedSecondaryZones)

	ur, err := c.UnlinkPrimaryServerWithResponse(ctx, acc, p.ID, dnsimpleapi.PrimaryServerZone{Zone: "secondary.example"})
	require.NoError(t, err)
	require.Equal(t, 200, ur.StatusCode())
	assert.Empty(t, ur.JSON200.Data.LinkedSecondaryZones)

	// Relink, then delete the domain: the zone goes and is unlinked.
	_, err = c.LinkPrimaryServerWithResponse(ctx, acc, p.ID, dnsimpleapi.PrimaryServerZone{Zone: "secondary.example"})
	require.NoError(t, err)
	del, err := c.DeleteDomainWithResponse(ctx, acc, "secondary.example")
	require.NoError(t, err)
	require.Equal(t, 204, del.StatusCode())
	assert.Empty(t, f.Zones())
	assert.Empty(t, f.Domains())
	require.Len(t, f.PrimaryServers(), 1)
	assert.Empty(t, f.PrimaryServers()[0].LinkedSecondaryZones)
	gz, err = c.GetZoneWithResponse(ctx, acc, "secondary.example")
	require.NoError(t, err)
	assert.Equal(t, 404, gz.StatusCode())
	assert.Equal(t, "Zone `secondary.example` not found", gz.JSON404.Message)

	dp, err := c.DeletePrimaryServerWithResponse(ctx, acc, p.ID)
	require.NoError(t, err)
	require.Equal(t, 204, dp.StatusCode())
	assert.Empty(t, f.PrimaryServers())
	clean(t, f.Server)
}

func TestDNSimpleUnreachablePrimary(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	_, err := f.AddZone("sec.example", true)
	require.NoError(t, err)
	p := f.AddPrimaryServer("down", "198.51.100.1", 0)
	r, err := c.LinkPrimaryServerWithResponse(ctx, f.AccountID(), p.ID, dnsimpleapi.PrimaryServerZone{Zone: "sec.example"})
	require.NoError(t, err)
	require.Equal(t, 200, r.StatusCode())
	assert.Nil(t, f.Zones()[0].LastTransferredAt)
	clean(t, f.Server)
}

func TestDNSimpleDomains(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	cr, err := c.CreateDomainWithResponse(ctx, acc, dnsimpleapi.CreateDomainJSONRequestBody{Name: "primary.example"})
	require.NoError(t, err)
	require.Equal(t, 201, cr.StatusCode(), string(cr.Body))
	assert.Equal(t, "hosted", string(cr.JSON201.Data.State))
	assert.Nil(t, cr.JSON201.Data.RegistrantID)

	zs, err := c.ListZonesWithResponse(ctx, acc, nil)
	require.NoError(t, err)
	require.Len(t, zs.JSON200.Data, 1)
	assert.False(t, zs.JSON200.Data[0].Secondary)

	// Linking a primary (non-secondary) zone fails.
	p := f.AddPrimaryServer("p", "192.0.2.1", 5353)
	lr, err := c.LinkPrimaryServerWithResponse(ctx, acc, p.ID, dnsimpleapi.PrimaryServerZone{Zone: "primary.example"})
	require.NoError(t, err)
	assert.Equal(t, 400, lr.StatusCode())
	assert.Contains(t, lr.JSON400.Message, "not a secondary zone")
	clean(t, f.Server)
}

func TestDNSimpleErrors(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	_, err := f.AddZone("taken.example", true)
	require.NoError(t, err)
	p := f.AddPrimaryServer("p", "192.0.2.1", 0)

	type result struct {
		status  int
		message string
		fields  map[string][]string
	}
	n400 := func(s int, b *dnsimpleapi.N400) result {
		r := result{status: s}
		if b != nil {
			r.message = b.Message
			if b.Errors != nil {
				r.fields = *b.Errors
			}
		}
		return r
	}
	tests := []struct {
		name string
		do   func() (result, error)
		want result
	}{
		{"duplicate secondary zone", func() (result, error) {
			r, err := c.CreateSecondaryZoneWithResponse(ctx, acc, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "TAKEN.example"})
			return n400(r.StatusCode(), r.JSON400), err
		}, result{400, "Validation failed", map[string][]string{"name": {"has already been taken"}}}},
		{"duplicate domain", func() (result, error) {
			r, err := c.CreateDomainWithResponse(ctx, acc, dnsimpleapi.CreateDomainJSONRequestBody{Name: "taken.example"})
			return n400(r.StatusCode(), r.JSON400), err
		}, result{400, "Validation failed", map[string][]string{"name": {"has already been taken"}}}},
		{"blank zone name", func() (result, error) {
			r, err := c.CreateSecondaryZoneWithResponse(ctx, acc, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: ""})
			return n400(r.StatusCode(), r.JSON400), err
		}, result{400, "Validation failed", map[string][]string{"name": {"can't be blank"}}}},
		{"invalid ip", func() (result, error) {
			r, err := c.CreatePrimaryServerWithResponse(ctx, acc, dnsimpleapi.CreatePrimaryServerJSONRequestBody{Name: "x", IP: "1.2.3"})
			return n400(r.StatusCode(), r.JSON400), err
		}, result{400, "Validation failed", map[string][]string{"ip": {"is not a valid IP address"}}}},
		{"link unknown zone", func() (result, error) {
			r, err := c.LinkPrimaryServerWithResponse(ctx, acc, p.ID, dnsimpleapi.PrimaryServerZone{Zone: "nope.example"})
			return n400(r.StatusCode(), r.JSON400), err
		}, result{400, "Zone `nope.example` not found", nil}},
		{"link unknown primary", func() (result, error) {
			r, err := c.LinkPrimaryServerWithResponse(ctx, acc, 999, dnsimpleapi.PrimaryServerZone{Zone: "taken.example"})
			return result{status: r.StatusCode(), message: r.JSON404.Message}, err
		}, result{404, "Primary server `999` not found", nil}},
		{"get unknown primary", func() (result, error) {
			r, err := c.GetPrimaryServerWithResponse(ctx, acc, 999)
			return result{status: r.StatusCode(), message: r.JSON404.Message}, err
		}, result{404, "Primary server `999` not found", nil}},
		{"delete unknown primary", func() (result, error) {
			r, err := c.DeletePrimaryServerWithResponse(ctx, acc, 999)
			return result{status: r.StatusCode(), message: r.JSON404.Message}, err
		}, result{404, "Primary server `999` not found", nil}},
		{"get unknown domain", func() (result, error) {
			r, err := c.GetDomainWithResponse(ctx, acc, "nope.example")
			return result{status: r.StatusCode(), message: r.JSON404.Message}, err
		}, result{404, "Domain `nope.example` not found", nil}},
		{"delete unknown domain", func() (result, error) {
			r, err := c.DeleteDomainWithResponse(ctx, acc, "nope.example")
			return result{status: r.StatusCode(), message: r.JSON404.Message}, err
		}, result{404, "Domain `nope.example` not found", nil}},
		{"wrong account", func() (result, error) {
			r, err := c.ListZonesWithResponse(ctx, acc+1, nil)
			return result{status: r.StatusCode(), message: r.JSON401.Message}, err
		}, result{401, "Authentication failed", nil}},
		{"wrong token", func() (result, error) {
			r, err := dnsimpleClient(t, f, "bad").ListZonesWithResponse(ctx, acc, nil)
			return result{status: r.StatusCode(), message: r.JSON401.Message}, err
		}, result{401, "Authentication failed", nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.do()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Len(t, f.Zones(), 1)
	clean(t, f.Server)
}

func TestDNSimpleInvalidRequests(t *testing.T) {
	t.Parallel()
	f := fakes.NewDNSimple(fakes.WithValidateResponses(true))
	defer f.Close()
	ctx := context.Background()
	tests := []struct{ name, method, path, body, want string }{
		{"link without zone", "PUT", "/1010/secondary_dns/primaries/1/link", `{}`, "zone"},
		{"primary without ip", "POST", "/1010/secondary_dns/primaries", `{"name":"x"}`, "ip"},
		{"port out of range", "POST", "/1010/secondary_dns/primaries", `{"name":"x","ip":"192.0.2.1","port":70000}`, "port"},
		{"account not integer", "GET", "/abc/zones", ``, "account"},
		{"bad sort", "GET", "/1010/zones?sort=size:asc", ``, "sort"},
	}
	for _, tt := range tests {
		var body *strings.Reader
		req, err := http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, nil)
		if tt.body != "" {
			body = strings.NewReader(tt.body)
			req, err = http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, body)
			req.Header.Set("Content-Type", "application/json")
		}
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+f.Token())
		rsp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		rsp.Body.Close()
		assert.Equal(t, 400, rsp.StatusCode, tt.name)
		assert.NotEmpty(t, rsp.Header.Get("X-Request-Id"))
	}
	errs := f.InvalidRequests()
	require.Len(t, errs, len(tests))
	for i, tt := range tests {
		assert.Contains(t, errs[i].Error(), tt.want, tt.name)
	}
	assert.Empty(t, f.InvalidResponses())
	assert.Empty(t, f.PrimaryServers())
}

func TestDNSimplePagination(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()
	for i := range 75 {
		_, err := f.AddZone(fmt.Sprintf("z%02d.example", 74-i), i%3 == 0)
		require.NoError(t, err)
	}
	// Default page size 30: 3 pages, sorted by name.
	var names []string
	for page := 1; ; page++ {
		r, err := c.ListZonesWithResponse(ctx, acc, &dnsimpleapi.ListZonesParams{Page: ptr(page)})
		require.NoError(t, err)
		require.Equal(t, 200, r.StatusCode())
		pg := r.JSON200.Pagination
		assert.Equal(t, dnsimpleapi.Pagination{CurrentPage: page, PerPage: 30, TotalEntries: 75, TotalPages: 3}, pg)
		for _, z := range r.JSON200.Data {
			names = append(names, z.Name)
		}
		if page >= pg.TotalPages {
			break
		}
	}
	require.Len(t, names, 75)
	assert.Equal(t, "z00.example", names[0])
	assert.Equal(t, "z74.example", names[74])

	// per_page is clamped to 100; sort and name_like.
	r, err := c.ListZonesWithResponse(ctx, acc, &dnsimpleapi.ListZonesParams{PerPage: ptr(500), Sort: ptr(dnsimpleapi.ListZonesParamsSortNameDesc), NameLike: ptr("Z7")})
	require.NoError(t, err)
	assert.Equal(t, 100, r.JSON200.Pagination.PerPage)
	require.Len(t, r.JSON200.Data, 5)
	assert.Equal(t, "z74.example", r.JSON200.Data[0].Name)

	d, err := c.ListDomainsWithResponse(ctx, acc, &dnsimpleapi.ListDomainsParams{PerPage: ptr(10), Page: ptr(8), Sort: ptr(dnsimpleapi.ListDomainsParamsSortIDDesc)})
	require.NoError(t, err)
	assert.Equal(t, dnsimpleapi.Pagination{CurrentPage: 8, PerPage: 10, TotalEntries: 75, TotalPages: 8}, d.JSON200.Pagination)
	require.Len(t, d.JSON200.Data, 5)
	assert.Equal(t, "z74.example", d.JSON200.Data[4].Name) // first created, lowest ID

	d, err = c.ListDomainsWithResponse(ctx, acc, &dnsimpleapi.ListDomainsParams{RegistrantID: ptr(7)})
	require.NoError(t, err)
	assert.Empty(t, d.JSON200.Data)

	for i := range 3 {
		f.AddPrimaryServer(fmt.Sprintf("p%d", 2-i), "192.0.2.1", 0)
	}
	ps, err := c.ListPrimaryServersWithResponse(ctx, acc, &dnsimpleapi.ListPrimaryServersParams{PerPage: ptr(2), Page: ptr(2)})
	require.NoError(t, err)
	require.Len(t, ps.JSON200.Data, 1)
	assert.Equal(t, "p0", ps.JSON200.Data[0].Name)
	ps, err = c.ListPrimaryServersWithResponse(ctx, acc, &dnsimpleapi.ListPrimaryServersParams{Sort: ptr(dnsimpleapi.ListPrimaryServersParamsSortNameAsc)})
	require.NoError(t, err)
	assert.Equal(t, "p0", ps.JSON200.Data[0].Name)
	clean(t, f.Server)
}

func TestDNSimpleConcurrentCreate(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t)
	c := dnsimpleClient(t, f, f.Token())
	oneCreateWins(t, 201, 400, func() (int, error) {
		body := dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "race.example"}
		r, err := c.CreateSecondaryZoneWithResponse(context.Background(), f.AccountID(), body)
		if err != nil {
			return 0, err
		}
		return r.StatusCode(), nil
	})
	assert.Len(t, f.Zones(), 1)
	clean(t, f.Server)
}
