package cloudflare

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// ZoneType is a Cloudflare zone type.
type ZoneType string

// Zone types. Secondary DNS uses [ZoneTypeSecondary].
const (
	// ZoneTypeFull is a zone whose DNS is hosted by Cloudflare.
	ZoneTypeFull ZoneType = "full"
	// ZoneTypePartial is a partner-hosted or CNAME-setup zone.
	ZoneTypePartial ZoneType = "partial"
	// ZoneTypeSecondary is a secondary zone, transferred from primaries.
	ZoneTypeSecondary ZoneType = "secondary"
)

// Zone statuses accepted by [ZoneListOptions].Status.
const (
	// StatusInitializing is a zone being set up.
	StatusInitializing = "initializing"
	// StatusPending is a zone not yet active (for a secondary zone: no
	// incoming configuration yet).
	StatusPending = "pending"
	// StatusActive is a zone being served.
	StatusActive = "active"
	// StatusMoved is a zone moved to another account or provider.
	StatusMoved = "moved"
)

// Zone is a Cloudflare zone.
type Zone struct {
	// ID is the zone identifier (32 lower-case hex digits).
	ID string
	// Name is the zone's domain name, lower case, without trailing dot.
	Name string
	// Type is the zone type; empty if the API did not report it.
	Type ZoneType
	// Status is the zone status, e.g. "pending" or "active"; empty if not
	// reported.
	Status string
	// AccountID is the account owning the zone.
	AccountID string
	// NameServers are the Cloudflare name servers assigned to the zone.
	NameServers []string
	// CreatedOn, ModifiedOn and ActivatedOn are the zone's timestamps; zero
	// if not reported.
	CreatedOn, ModifiedOn, ActivatedOn time.Time
}

// ZoneListOptions filters [Client.ListAccountZones].
type ZoneListOptions struct {
	// Name, if set, selects the zone of exactly this name (normalised with
	// [facade.NormalizeZoneName]).
	Name string
	// Status, if set, is one of StatusInitializing, StatusPending,
	// StatusActive and StatusMoved.
	Status string
	// Type, if set, keeps only zones of this type. The API has no type
	// filter, so this one is applied to the returned pages.
	Type ZoneType
	// PerPage is the page size, 5–50; 0 means 50.
	PerPage int
}

// maxPerPage is the largest page size GET /zones accepts.
const maxPerPage = 50

// convertZone converts a zone result. Names are normalised with
// [core.NormalizeReportedName]; type and status are lower-cased.
func convertZone(z *cloudflareapi.ZonesZone) Zone {
	return Zone{
		ID:          z.ID,
		Name:        core.NormalizeReportedName(z.Name),
		Type:        ZoneType(strings.ToLower(string(deref(z.Type)))),
		Status:      strings.ToLower(deref(z.Status)),
		AccountID:   deref(z.Account.ID),
		NameServers: append([]string(nil), deref(z.NameServers)...),
		CreatedOn:   deref(z.CreatedOn),
		ModifiedOn:  deref(z.ModifiedOn),
		ActivatedOn: deref(z.ActivatedOn),
	}
}

// zoneResult converts the "result" zone of a successful zone response; a
// response without one (or without its id or name) is
// [facade.ErrUnexpectedResponse], and so is a zone other than the one asked
// for: want is the expected ID (if id is true) or normalised name.
func (c *Client) zoneResult(op string, z *cloudflareapi.ZonesZone, hr *http.Response, body []byte, want string, id bool) (Zone, error) {
	if z == nil || z.ID == "" || z.Name == "" {
		return Zone{}, c.core.Unexpected(op, hr, body, "response holds no zone (id or name missing)")
	}
	out := convertZone(z)
	if id && out.ID != want {
		return Zone{}, c.core.Unexpected(op, hr, body, "asked for zone ID %s, the server answered with %s", want, clip(out.ID, 64))
	}
	if !id {
		if err := c.core.CheckName(op, hr, body, want, out.Name); err != nil {
			return Zone{}, err
		}
	}
	return out, nil
}

// checkZoneName normalises a zone name and applies the API's own rule that
// the last label has 2–20 characters.
func checkZoneName(name string) (string, error) {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return "", err
	}
	tld := n[strings.LastIndexByte(n, '.')+1:]
	if len(tld) < 2 || len(tld) > 20 {
		return "", fmt.Errorf("zone name %q: Cloudflare requires a last label of 2 to 20 characters", n)
	}
	return n, nil
}

func (o ZoneListOptions) params(accountID string) (*cloudflareapi.ListZonesParams, error) {
	p := &cloudflareapi.ListZonesParams{AccountID: &accountID}
	if o.Name != "" {
		n, err := facade.NormalizeZoneName(o.Name)
		if err != nil {
			return nil, err
		}
		p.Name = &n
	}
	if o.Status != "" {
		s := cloudflareapi.ListZonesParamsStatus(o.Status)
		if !s.Valid() {
			return nil, fmt.Errorf("status %q: must be one of initializing, pending, active, moved", clip(o.Status, 32))
		}
		p.Status = &s
	}
	switch o.Type {
	case "", ZoneTypeFull, ZoneTypePartial, ZoneTypeSecondary:
	default:
		return nil, fmt.Errorf("zone type %q: must be full, partial or secondary", clip(string(o.Type), 32))
	}
	per := o.PerPage
	if per == 0 {
		per = maxPerPage
	}
	if per < 5 || per > maxPerPage {
		return nil, fmt.Errorf("per page %d: must be between 5 and %d", o.PerPage, maxPerPage)
	}
	p.PerPage = &per
	return p, nil
}

// ListAccountZones iterates over the account's zones (GET
// /zones?account.id=…), page by page (page/per_page, stopping after the
// last page reported by result_info), filtered by opts. It is the typed
// form of the ListZones operation; [Client.ListZones] is the
// [facade.SecondaryDNS] method listing secondary zones only.
//
// Invalid options yield a single [facade.ErrInvalidInput] error and send
// nothing.
func (c *Client) ListAccountZones(ctx context.Context, opts ZoneListOptions) iter.Seq2[Zone, error] {
	return c.listZones(ctx, "ListAccountZones", opts)
}

func (c *Client) listZones(ctx context.Context, op string, opts ZoneListOptions) iter.Seq2[Zone, error] {
	base, err := opts.params(c.accountID)
	if err != nil {
		return func(yield func(Zone, error) bool) { yield(Zone{}, c.invalid(op, err)) }
	}
	seq := core.PaginateUnique(ctx, c.core, op, func(z Zone) string { return z.ID }, func(ctx context.Context, cursor string) ([]Zone, string, error) {
		page := 1
		if cursor != "" {
			page, _ = strconv.Atoi(cursor)
		}
		p := *base
		p.Page = &page
		rsp, err := c.api.ListZonesWithResponse(ctx, &p)
		env, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.ListZonesResponse).GetJSON200)
		if err != nil {
			return nil, "", err
		}
		if env.Result == nil {
			return nil, "", c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no \"result\"")
		}
		result := *env.Result
		zones := make([]Zone, 0, len(result))
		for i := range result {
			if result[i].ID == "" || result[i].Name == "" {
				return nil, "", c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "zone list item %d has no id or name", i)
			}
			zones = append(zones, convertZone(&result[i]))
		}
		return zones, nextPage(page, *base.PerPage, len(result), env.ResultInfo), nil
	})
	if opts.Type == "" {
		return seq
	}
	// The type filter is applied after pagination, which judges progress by
	// every zone of a page.
	return func(yield func(Zone, error) bool) {
		for z, err := range seq {
			if err == nil && z.Type != opts.Type {
				continue
			}
			if !yield(z, err) {
				return
			}
		}
	}
}

// nextPage returns the next page cursor, or "" after the last page: the
// page is the last one if result_info says so (total_pages, or count and
// total_count), or, without result_info, if it was not full.
func nextPage(page, perPage, got int, ri *cloudflareapi.ZonesResultInfo) string {
	last := got < perPage || got == 0
	if ri != nil {
		switch {
		case ri.TotalPages != nil:
			last = page >= *ri.TotalPages
		case ri.TotalCount != nil:
			pp := perPage
			if ri.PerPage != nil && *ri.PerPage > 0 {
				pp = *ri.PerPage
			}
			last = page*pp >= *ri.TotalCount
		}
	}
	if last || got == 0 {
		return ""
	}
	return strconv.Itoa(page + 1)
}

// CreateAccountZone creates a zone of type typ (usually
// [ZoneTypeSecondary]) named name in the account (POST /zones). A zone of
// that name that already exists yields [facade.ErrConflict]. It is the
// typed form of the CreateZone operation; [Client.CreateZone] creates a
// complete secondary zone.
func (c *Client) CreateAccountZone(ctx context.Context, name string, typ ZoneType) (Zone, error) {
	return c.createZone(ctx, "CreateAccountZone", name, typ)
}

func (c *Client) createZone(ctx context.Context, op, name string, typ ZoneType) (Zone, error) {
	n, err := checkZoneName(name)
	if err != nil {
		return Zone{}, c.invalid(op, err)
	}
	t := cloudflareapi.ZonesType(typ)
	if !t.Valid() {
		return Zone{}, c.invalidf(op, "zone type %q: must be full, partial or secondary", clip(string(typ), 32))
	}
	body := cloudflareapi.CreateZoneJSONRequestBody{Name: n, Type: &t}
	body.Account.ID = &c.accountID
	rsp, err := c.api.CreateZoneWithResponse(ctx, body)
	env, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.CreateZoneResponse).GetJSON200)
	if err != nil {
		return Zone{}, err
	}
	return c.zoneResult(op, env.Result, rsp.HTTPResponse, rsp.Body, n, false)
}

// GetZoneByID returns the zone with the given ID (GET /zones/{id}). An
// unknown ID yields [facade.ErrNotFound]. It is the typed form of the
// GetZone operation; [Client.GetZone] looks a secondary zone up by name.
func (c *Client) GetZoneByID(ctx context.Context, id string) (Zone, error) {
	return c.getZoneByID(ctx, "GetZoneByID", id)
}

func (c *Client) getZoneByID(ctx context.Context, op, id string) (Zone, error) {
	if err := checkHexID("zone ID", id); err != nil {
		return Zone{}, c.invalid(op, err)
	}
	rsp, err := c.api.GetZoneWithResponse(ctx, id)
	env, err := core.Call(c.core, op, rsp, err, (*cloudflareapi.GetZoneResponse).GetJSON200)
	if err != nil {
		return Zone{}, err
	}
	return c.zoneResult(op, env.Result, rsp.HTTPResponse, rsp.Body, id, true)
}

// DeleteZoneByID deletes the zone with the given ID (DELETE /zones/{id}),
// including its secondary DNS configuration. An unknown ID yields
// [facade.ErrNotFound]. It is the typed form of the DeleteZone operation;
// [Client.DeleteZone] deletes a secondary zone by name.
func (c *Client) DeleteZoneByID(ctx context.Context, id string) error {
	return c.deleteZoneByID(ctx, "DeleteZoneByID", id)
}

func (c *Client) deleteZoneByID(ctx context.Context, op, id string) error {
	if err := checkHexID("zone ID", id); err != nil {
		return c.invalid(op, err)
	}
	_, err := envelope(c, op, (*cloudflareapi.DeleteZoneResponse).GetJSON200)(c.api.DeleteZoneWithResponse(ctx, id))
	return err
}
