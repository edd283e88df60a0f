package fakes_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

func ionosBody(name string, ips ...string) ionosapi.SecondaryZoneCreate {
	return ionosapi.SecondaryZoneCreate{Properties: ionosapi.SecondaryZone{ZoneName: name, PrimaryIps: ips}}
}

func TestIONOSLifecycle(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakes.StartIONOS(t, fakes.WithClock(clock.Now), fakes.WithProvisioningReads(2))
	c := ionosClient(t, f, f.Token())
	ctx := context.Background()

	cr, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("Example.COM.", "192.0.2.1", "2001:db8::1"))
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, cr.StatusCode(), string(cr.Body))
	z := cr.JSON202
	assert.Equal(t, "example.com", z.Properties.ZoneName)
	assert.Equal(t, ionosapi.ProvisioningState("PROVISIONING"), z.Metadata.State)
	assert.Equal(t, f.ServerURL()+"/secondaryzones/"+z.ID.String(), *z.Href)
	assert.Equal(t, clock.Now(), *z.Metadata.CreatedDate)
	assert.Len(t, z.Metadata.Nameservers, 4)

	// Two reads show PROVISIONING, the third AVAILABLE.
	for i, want := range []string{"PROVISIONING", "PROVISIONING", "AVAILABLE", "AVAILABLE"} {
		g, err := c.GetSecondaryZoneWithResponse(ctx, z.ID)
		require.NoError(t, err)
		require.Equal(t, 200, g.StatusCode())
		assert.Equal(t, want, string(g.JSON200.Metadata.State), "read %d", i+1)
	}

	// Transfer status: both primaries reachable.
	ax, err := c.GetZoneTransferStatusWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Equal(t, 202, ax.StatusCode())
	require.Len(t, ax.JSON202.Items, 2)
	assert.Equal(t, fakes.IONOSTransferOK, ax.JSON202.Items[0].Status)

	// PUT back to PROVISIONING, with an unreachable primary.
	clock.Advance(time.Minute)
	up, err := c.UpdateSecondaryZoneWithResponse(ctx, z.ID, ionosapi.SecondaryZoneEnsure{Properties: ionosapi.SecondaryZone{
		ZoneName: "example.com", PrimaryIps: []string{"198.51.100.7"}, Description: ptr("moved"),
	}})
	require.NoError(t, err)
	require.Equal(t, 202, up.StatusCode(), string(up.Body))
	assert.Equal(t, "PROVISIONING", string(up.JSON202.Metadata.State))
	assert.Equal(t, clock.Now(), *up.JSON202.Metadata.LastModifiedDate)

	st, err := c.StartZoneTransferWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Equal(t, 202, st.StatusCode())
	ax, err = c.GetZoneTransferStatusWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Len(t, ax.JSON202.Items, 1)
	assert.Equal(t, fakes.IONOSTransferFailed, ax.JSON202.Items[0].Status)
	assert.Equal(t, fakes.IONOSUnreachableMessage, *ax.JSON202.Items[0].ErrorMessage)

	snap := f.Zones()
	require.Len(t, snap, 1)
	assert.Equal(t, "moved", snap[0].Description)
	assert.Equal(t, []string{"198.51.100.7"}, snap[0].PrimaryIPs)

	del, err := c.DeleteSecondaryZoneWithResponse(ctx, z.ID)
	require.NoError(t, err)
	require.Equal(t, 202, del.StatusCode())
	assert.Empty(t, f.Zones())
	clean(t, f.Server)
}

func TestIONOSErrors(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t)
	c := ionosClient(t, f, f.Token())
	ctx := context.Background()
	cr, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("taken.example", "192.0.2.1"))
	require.NoError(t, err)
	require.Equal(t, 202, cr.StatusCode())
	unknown := uuid.MustParse("e74d0d15-f567-4b7b-9069-26ee1f93bae3")

	tests := []struct {
		name    string
		do      func() (int, *ionosapi.Error, error)
		status  int
		message string
	}{
		{"get unknown", func() (int, *ionosapi.Error, error) {
			r, err := c.GetSecondaryZoneWithResponse(ctx, unknown)
			return r.StatusCode(), r.JSON404, err
		}, 404, "not found"},
		{"delete unknown", func() (int, *ionosapi.Error, error) {
			r, err := c.DeleteSecondaryZoneWithResponse(ctx, unknown)
			return r.StatusCode(), r.JSON404, err
		}, 404, "not found"},
		{"axfr status unknown", func() (int, *ionosapi.Error, error) {
			r, err := c.GetZoneTransferStatusWithResponse(ctx, unknown)
			return r.StatusCode(), r.JSON404, err
		}, 404, "not found"},
		{"start transfer unknown", func() (int, *ionosapi.Error, error) {
			r, err := c.StartZoneTransferWithResponse(ctx, unknown)
			return r.StatusCode(), r.JSON404, err
		}, 404, "not found"},
		{"duplicate", func() (int, *ionosapi.Error, error) {
			r, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("TAKEN.example.", "192.0.2.2"))
			return r.StatusCode(), r.JSON409, err
		}, 409, "already exists"},
		{"loopback primary", func() (int, *ionosapi.Error, error) {
			r, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("new.example", "127.0.0.1"))
			return r.StatusCode(), r.JSON422, err
		}, 422, "not a public address"},
		{"bad zone name", func() (int, *ionosapi.Error, error) {
			r, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("not a zone", "192.0.2.1"))
			return r.StatusCode(), r.JSON422, err
		}, 422, "not a valid domain"},
		{"rename via put", func() (int, *ionosapi.Error, error) {
			r, err := c.UpdateSecondaryZoneWithResponse(ctx, cr.JSON202.ID, ionosapi.SecondaryZoneEnsure{Properties: ionosapi.SecondaryZone{ZoneName: "other.example", PrimaryIps: []string{"192.0.2.1"}}})
			return r.StatusCode(), r.JSON422, err
		}, 422, "cannot be changed"},
		{"wrong token", func() (int, *ionosapi.Error, error) {
			r, err := ionosClient(t, f, "nope").ListSecondaryZonesWithResponse(ctx, nil)
			return r.StatusCode(), r.JSON401, err
		}, 401, "Authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := tt.do()
			require.NoError(t, err)
			assert.Equal(t, tt.status, status)
			require.NotNil(t, body)
			assert.Equal(t, tt.status, *body.HTTPStatus)
			require.NotEmpty(t, *body.Messages)
			assert.Contains(t, *(*body.Messages)[0].Message, tt.message)
			assert.Equal(t, fmt.Sprintf("dns-%d", tt.status), *(*body.Messages)[0].ErrorCode)
		})
	}
	clean(t, f.Server)
	assert.Equal(t, 1, f.Stats().Unauthorized)
}

// TestIONOSPutCreates: PUT on an unknown ID creates the zone ("Updates or
// creates").
func TestIONOSPutCreates(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t)
	c := ionosClient(t, f, f.Token())
	id := uuid.MustParse("e74d0d15-f567-4b7b-9069-26ee1f93bae3")
	r, err := c.UpdateSecondaryZoneWithResponse(context.Background(), id, ionosapi.SecondaryZoneEnsure{Properties: ionosapi.SecondaryZone{ZoneName: "put.example", PrimaryIps: []string{"192.0.2.1"}}})
	require.NoError(t, err)
	require.Equal(t, 202, r.StatusCode())
	z, ok := f.Zone(id.String())
	require.True(t, ok)
	assert.Equal(t, "put.example", z.ZoneName)
	clean(t, f.Server)
}

func TestIONOSInvalidRequests(t *testing.T) {
	t.Parallel()
	f := fakes.NewIONOS(fakes.WithValidateResponses(true))
	defer f.Close()
	ctx := context.Background()
	c := ionosClient(t, f, f.Token())

	tests := []struct {
		name, method, path, body, want string
	}{
		{"bad ip", "POST", "/secondaryzones", `{"properties":{"zoneName":"a.example","primaryIps":["300.1.1.1"]}}`, "primaryIps"},
		{"no primaries", "POST", "/secondaryzones", `{"properties":{"zoneName":"a.example","primaryIps":[]}}`, "primaryIps"},
		{"missing zone name", "POST", "/secondaryzones", `{"properties":{"primaryIps":["192.0.2.1"]}}`, "zoneName"},
		{"limit too large", "GET", "/secondaryzones?limit=1001", ``, "limit"},
		{"bad uuid", "GET", "/secondaryzones/nope", ``, "secondaryZoneId"},
	}
	for _, tt := range tests {
		var body *strings.Reader
		if tt.body != "" {
			body = strings.NewReader(tt.body)
		}
		var req *http.Request
		var err error
		if body != nil {
			req, err = http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, body)
			req.Header.Set("Content-Type", "application/json")
		} else {
			req, err = http.NewRequestWithContext(ctx, tt.method, f.URL()+tt.path, nil)
		}
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+f.Token())
		rsp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		rsp.Body.Close()
		assert.Equal(t, 400, rsp.StatusCode, tt.name)
	}
	// The generated client can send an invalid IP too.
	r, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("b.example", "999.0.0.1"))
	require.NoError(t, err)
	assert.Equal(t, 400, r.StatusCode())
	require.NotNil(t, r.JSON400)

	errs := f.InvalidRequests()
	require.Len(t, errs, len(tests)+1)
	for i, tt := range tests {
		assert.Contains(t, errs[i].Error(), tt.want, tt.name)
	}
	assert.Empty(t, f.InvalidResponses())
	assert.Empty(t, f.Zones())
	assert.Equal(t, len(tests)+1, f.Stats().InvalidRequests)
	f.ResetInvalid()
	assert.Empty(t, f.InvalidRequests())
}

func TestIONOSPagination(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t, fakes.WithProvisioningReads(0))
	c := ionosClient(t, f, f.Token())
	ctx := context.Background()
	for i := range 7 {
		name := fmt.Sprintf("z%d.example", i)
		if i%2 == 1 {
			name = fmt.Sprintf("z%d.other", i)
		}
		_, err := f.AddZone(fakes.IONOSZone{ZoneName: name, PrimaryIPs: []string{"192.0.2.1"}})
		require.NoError(t, err)
	}

	var names []string
	params := &ionosapi.ListSecondaryZonesParams{Limit: ptr(int32(3))}
	pages := 0
	for {
		r, err := c.ListSecondaryZonesWithResponse(ctx, params)
		require.NoError(t, err)
		require.Equal(t, 200, r.StatusCode(), string(r.Body))
		pages++
		l := r.JSON200
		assert.Equal(t, float32(3), *l.Limit)
		assert.Equal(t, float32(ptrOr(params.Offset, 0)), *l.Offset)
		assert.Equal(t, pages > 1, l.UnderscoreLinks.Prev != nil)
		require.NotNil(t, l.UnderscoreLinks.Self)
		assert.True(t, strings.HasPrefix(*l.UnderscoreLinks.Self, f.ServerURL()+"/secondaryzones?"))
		for _, z := range l.Items {
			names = append(names, z.Properties.ZoneName)
		}
		if l.UnderscoreLinks.Next == nil {
			break
		}
		assert.Contains(t, *l.UnderscoreLinks.Next, fmt.Sprintf("offset=%d", pages*3))
		params.Offset = ptr(int32(pages * 3))
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, []string{"z0.example", "z1.other", "z2.example", "z3.other", "z4.example", "z5.other", "z6.example"}, names)

	// Filters.
	r, err := c.ListSecondaryZonesWithResponse(ctx, &ionosapi.ListSecondaryZonesParams{FilterZoneName: ptr("OTHER")})
	require.NoError(t, err)
	assert.Len(t, r.JSON200.Items, 3)
	assert.Nil(t, r.JSON200.UnderscoreLinks.Next)
	assert.Equal(t, float32(100), *r.JSON200.Limit)

	_, err = c.CreateSecondaryZoneWithResponse(ctx, ionosBody("fresh.example", "192.0.2.9"))
	require.NoError(t, err)
	r, err = c.ListSecondaryZonesWithResponse(ctx, &ionosapi.ListSecondaryZonesParams{FilterState: ptr(ionosapi.ProvisioningState("PROVISIONING"))})
	require.NoError(t, err)
	require.Len(t, r.JSON200.Items, 1)
	// With 0 provisioning reads, the list read itself shows it AVAILABLE.
	assert.Equal(t, "AVAILABLE", string(r.JSON200.Items[0].Metadata.State))
	clean(t, f.Server)
}

func ptrOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func TestIONOSProvisioningDelay(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakes.StartIONOS(t, fakes.WithClock(clock.Now), fakes.WithProvisioningDelay(30*time.Second))
	c := ionosClient(t, f, f.Token())
	ctx := context.Background()
	cr, err := c.CreateSecondaryZoneWithResponse(ctx, ionosBody("slow.example", "192.0.2.1"))
	require.NoError(t, err)
	for range 3 {
		g, err := c.GetSecondaryZoneWithResponse(ctx, cr.JSON202.ID)
		require.NoError(t, err)
		assert.Equal(t, "PROVISIONING", string(g.JSON200.Metadata.State))
	}
	clock.Advance(30 * time.Second)
	g, err := c.GetSecondaryZoneWithResponse(ctx, cr.JSON202.ID)
	require.NoError(t, err)
	assert.Equal(t, "AVAILABLE", string(g.JSON200.Metadata.State))
	clean(t, f.Server)
}

func TestIONOSConcurrentCreate(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t)
	c := ionosClient(t, f, f.Token())
	oneCreateWins(t, 202, 409, func() (int, error) {
		r, err := c.CreateSecondaryZoneWithResponse(context.Background(), ionosBody("race.example", "192.0.2.1"))
		if err != nil {
			return 0, err
		}
		return r.StatusCode(), nil
	})
	assert.Len(t, f.Zones(), 1)
	clean(t, f.Server)
}
