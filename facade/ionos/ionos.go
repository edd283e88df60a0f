package ionos

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
)

// DefaultBaseURL is the IONOS Cloud DNS API endpoint used unless
// [facade.WithBaseURL] overrides it.
const DefaultBaseURL = "https://dns.de-fra.ionos.com"

// Provisioning states of a secondary zone, as reported in
// [SecondaryZone.State] and accepted by [ListOptions.State].
const (
	// StateProvisioning: the zone is being created or updated.
	StateProvisioning = "PROVISIONING"
	// StateAvailable: the zone exists and is healthy.
	StateAvailable = "AVAILABLE"
	// StateDestroying: the zone is being deleted.
	StateDestroying = "DESTROYING"
	// StateFailed: creating or updating the zone failed.
	StateFailed = "FAILED"
)

// Page sizes accepted by [ListOptions.PageSize].
const (
	// DefaultPageSize is the page size used when ListOptions.PageSize is 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size the API accepts.
	MaxPageSize = 1000
)

// Client is an IONOS Cloud DNS client for secondary zones. It implements
// [facade.SecondaryDNS]. A Client is safe for concurrent use.
type Client struct {
	core *core.Core
	api  *ionosapi.ClientWithResponses
	ns   neutralState // the neutral layer's caches (secondarydns.go)
}

var _ facade.SecondaryDNS = (*Client)(nil)

// New returns a client authenticating with the IONOS API token (sent as a
// bearer token) and configured by opts (see [facade.Option]: WithBaseURL,
// WithHTTPClient, WithUserAgent, WithRetryPolicy, WithLogger,
// WithMaxBodyBytes, WithPrivatePrimaries, WithListLimits). An empty token or an invalid option yields a
// *[facade.Error] of kind [facade.ErrInvalidInput] with Operation "New".
func New(token string, opts ...facade.Option) (*Client, error) {
	cc, err := core.NewCore(provider(), token, DefaultBaseURL, opts...)
	if err != nil {
		return nil, facade.Invalid("New", err)
	}
	api, err := ionosapi.NewClientWithResponses(cc.BaseURL(), ionosapi.WithHTTPClient(cc))
	if err != nil {
		return nil, cc.Invalid("New", err)
	}
	return &Client{core: cc, api: api}, nil
}

// provider is what the core needs to know about IONOS: its name, where its
// answers carry a request ID.
func provider() core.Provider {
	return core.Provider{Name: facade.ProviderIONOS, RequestIDHeaders: []string{"X-Request-Id", "X-Correlation-Id"}}
}

// Provider returns [facade.ProviderIONOS].
func (c *Client) Provider() string { return facade.ProviderIONOS }

// Capabilities reports what IONOS secondary zones support
// ([facade.SecondaryDNS]): transfer triggers, descriptions and per-primary
// transfer status; neither TSIG, nor primary ports other than 53, nor the
// serial or time of the last transfer.
func (c *Client) Capabilities() facade.Capabilities {
	return facade.Capabilities{Transfer: true, Description: true, PrimaryStatus: true}
}

// String describes the client without its token.
func (c *Client) String() string { return c.core.String() }

// Stats returns the HTTP attempt counters of the client's transport.
func (c *Client) Stats() facade.Stats { return c.core.Stats() }

// SecondaryZone is an IONOS secondary zone.
type SecondaryZone struct {
	// ID is the zone's UUID.
	ID string
	// Name is the normalised zone name (lower-case A-labels, no trailing
	// dot).
	Name string
	// Description is the zone's free-text description, if any.
	Description string
	// PrimaryIPs are the primary name servers the zone transfers from (on
	// port 53).
	PrimaryIPs []netip.Addr
	// State is the provisioning state: one of [StateProvisioning],
	// [StateAvailable], [StateDestroying] and [StateFailed].
	State string
	// Nameservers are the IONOS name servers serving the zone.
	Nameservers []string
	// CreatedAt is when the zone was created, zero if not reported.
	CreatedAt time.Time
	// ModifiedAt is when the zone was last modified, zero if not reported.
	ModifiedAt time.Time
}

// SecondaryZoneInput describes a secondary zone to create or the complete
// new state of one to update.
type SecondaryZoneInput struct {
	// Name is the zone name; it is normalised with
	// [facade.NormalizeZoneName].
	Name string
	// Description is an optional free-text description.
	Description string
	// PrimaryIPs are the primary name servers (at least one, no duplicates).
	PrimaryIPs []netip.Addr
}

// ListOptions filters and pages [Client.ListSecondaryZones]. The zero
// value lists every secondary zone, 100 per request.
type ListOptions struct {
	// State, if set, lists only zones in that state (one of the State*
	// constants; case-insensitive).
	State string
	// ZoneName, if set, lists only zones whose name contains it.
	ZoneName string
	// PageSize is the number of zones fetched per request, 1–1000; 0 means
	// [DefaultPageSize].
	PageSize int
}

// PrimaryTransferStatus is the zone transfer status of one primary name
// server.
type PrimaryTransferStatus struct {
	// IP is the primary's address.
	IP netip.Addr
	// Status is the provider's human-readable status, e.g. "ok".
	Status string
	// Error is the provider's explanation when the status is not ok.
	Error string
}

// ListSecondaryZones iterates over the account's secondary zones matching
// opts, fetching pages of opts.PageSize lazily (offset/limit paging). Invalid
// options are yielded as an [facade.ErrInvalidInput] error without any
// request; any error is yielded once, last.
func (c *Client) ListSecondaryZones(ctx context.Context, opts ListOptions) iter.Seq2[SecondaryZone, error] {
	return c.listSecondaryZones(ctx, "ListSecondaryZones", opts)
}

func (c *Client) listSecondaryZones(ctx context.Context, op string, opts ListOptions) iter.Seq2[SecondaryZone, error] {
	params, err := c.listParams(op, opts)
	if err != nil {
		return func(yield func(SecondaryZone, error) bool) { yield(SecondaryZone{}, err) }
	}
	return core.PaginateUnique(ctx, c.core, op, func(z SecondaryZone) string { return z.ID }, func(ctx context.Context, cursor string) ([]SecondaryZone, string, error) {
		p := *params
		offset := 0
		if cursor != "" {
			offset, _ = strconv.Atoi(cursor) // cursors are ours
			o := ionosapi.PaginationOffset(offset)
			p.Offset = &o
		}
		rsp, err := c.api.ListSecondaryZonesWithResponse(ctx, &p)
		got, err := core.Call(c.core, op, rsp, err, (*ionosapi.ListSecondaryZonesResponse).GetJSON200)
		if err != nil {
			return nil, "", err
		}
		if got.Items == nil {
			return nil, "", c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of zones (\"items\" missing)")
		}
		zones := make([]SecondaryZone, 0, len(got.Items))
		for i := range got.Items {
			z, err := c.convertZone(op, rsp.HTTPResponse, rsp.Body, &got.Items[i])
			if err != nil {
				return nil, "", err
			}
			zones = append(zones, z)
		}
		next := ""
		if got.UnderscoreLinks.Next != nil && len(zones) > 0 {
			next = strconv.Itoa(offset + len(zones))
		}
		return zones, next, nil
	})
}

func (c *Client) listParams(op string, opts ListOptions) (*ionosapi.ListSecondaryZonesParams, error) {
	var p ionosapi.ListSecondaryZonesParams
	if opts.State != "" {
		s := ionosapi.ProvisioningState(strings.ToUpper(opts.State))
		if !s.Valid() {
			return nil, c.core.Invalid(op, fmt.Errorf("state %q: must be one of PROVISIONING, AVAILABLE, DESTROYING, FAILED", opts.State))
		}
		p.FilterState = &s
	}
	if opts.ZoneName != "" {
		if strings.ContainsFunc(opts.ZoneName, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return nil, c.core.Invalid(op, fmt.Errorf("zone name filter %q: must not contain whitespace or control characters", opts.ZoneName))
		}
		zn := strings.ToLower(opts.ZoneName)
		p.FilterZoneName = &zn
	}
	size := opts.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	if size < 1 || size > MaxPageSize {
		return nil, c.core.Invalid(op, fmt.Errorf("page size %d: must be between 1 and %d", opts.PageSize, MaxPageSize))
	}
	l := ionosapi.PaginationLimit(size)
	p.Limit = &l
	return &p, nil
}

// CreateSecondaryZone creates a secondary zone. The zone starts in
// [StateProvisioning]; see [Client.WaitUntilAvailable]. A zone of the same
// name fails with [facade.ErrConflict].
func (c *Client) CreateSecondaryZone(ctx context.Context, in SecondaryZoneInput) (SecondaryZone, error) {
	return c.createSecondaryZone(ctx, "CreateSecondaryZone", in)
}

func (c *Client) createSecondaryZone(ctx context.Context, op string, in SecondaryZoneInput) (SecondaryZone, error) {
	body, err := c.zoneBody(op, in)
	if err != nil {
		return SecondaryZone{}, err
	}
	rsp, err := c.api.CreateSecondaryZoneWithResponse(ctx, ionosapi.SecondaryZoneCreate{Properties: body})
	got, err := core.Call(c.core, op, rsp, err, (*ionosapi.CreateSecondaryZoneResponse).GetJSON202)
	if err != nil {
		return SecondaryZone{}, err
	}
	return c.sameZone(op, rsp.HTTPResponse, rsp.Body, got, uuid.Nil, body.ZoneName)
}

func (c *Client) zoneBody(op string, in SecondaryZoneInput) (ionosapi.SecondaryZone, error) {
	name, err := facade.NormalizeZoneName(in.Name)
	if err != nil {
		return ionosapi.SecondaryZone{}, c.core.Invalid(op, err)
	}
	ps := make([]facade.Primary, len(in.PrimaryIPs))
	for i, ip := range in.PrimaryIPs {
		ps[i] = facade.Primary{Addr: ip}
	}
	ps, err = c.core.ValidatePrimaries(op, ps)
	if err != nil {
		return ionosapi.SecondaryZone{}, err
	}
	body := ionosapi.SecondaryZone{ZoneName: name, PrimaryIps: make([]string, len(ps))}
	for i, p := range ps {
		body.PrimaryIps[i] = p.Addr.String()
	}
	if in.Description != "" {
		d := in.Description
		body.Description = &d
	}
	return body, nil
}

// GetSecondaryZone returns the secondary zone with the UUID id, or an
// error matching [facade.ErrNotFound].
func (c *Client) GetSecondaryZone(ctx context.Context, id string) (SecondaryZone, error) {
	return c.getSecondaryZone(ctx, "GetSecondaryZone", id)
}

func (c *Client) getSecondaryZone(ctx context.Context, op, id string) (SecondaryZone, error) {
	uid, err := c.parseID(op, id)
	if err != nil {
		return SecondaryZone{}, err
	}
	rsp, err := c.api.GetSecondaryZoneWithResponse(ctx, uid)
	got, err := core.Call(c.core, op, rsp, err, (*ionosapi.GetSecondaryZoneResponse).GetJSON200)
	if err != nil {
		return SecondaryZone{}, err
	}
	return c.sameZone(op, rsp.HTTPResponse, rsp.Body, got, uid, "")
}

// UpdateSecondaryZone replaces the zone with the UUID id by in (name,
// description and primaries; an empty description removes it). The zone
// goes back to [StateProvisioning] until IONOS has applied the change.
func (c *Client) UpdateSecondaryZone(ctx context.Context, id string, in SecondaryZoneInput) (SecondaryZone, error) {
	return c.updateSecondaryZone(ctx, "UpdateSecondaryZone", id, in)
}

func (c *Client) updateSecondaryZone(ctx context.Context, op, id string, in SecondaryZoneInput) (SecondaryZone, error) {
	uid, err := c.parseID(op, id)
	if err != nil {
		return SecondaryZone{}, err
	}
	body, err := c.zoneBody(op, in)
	if err != nil {
		return SecondaryZone{}, err
	}
	rsp, err := c.api.UpdateSecondaryZoneWithResponse(ctx, uid, ionosapi.SecondaryZoneEnsure{Properties: body})
	got, err := core.Call(c.core, op, rsp, err, (*ionosapi.UpdateSecondaryZoneResponse).GetJSON202)
	if err != nil {
		return SecondaryZone{}, err
	}
	return c.sameZone(op, rsp.HTTPResponse, rsp.Body, got, uid, body.ZoneName)
}

// DeleteSecondaryZone deletes the zone with the UUID id. IONOS deletes
// asynchronously: the zone may be listed in [StateDestroying] for a while.
func (c *Client) DeleteSecondaryZone(ctx context.Context, id string) error {
	return c.deleteSecondaryZone(ctx, "DeleteSecondaryZone", id)
}

func (c *Client) deleteSecondaryZone(ctx context.Context, op, id string) error {
	uid, err := c.parseID(op, id)
	if err != nil {
		return err
	}
	rsp, err := c.api.DeleteSecondaryZoneWithResponse(ctx, uid)
	_, err = core.Call(c.core, op, rsp, err, (*ionosapi.DeleteSecondaryZoneResponse).GetJSON202)
	return err
}

// GetZoneTransferStatus returns the transfer status of the zone with the
// UUID id, one entry per primary.
func (c *Client) GetZoneTransferStatus(ctx context.Context, id string) ([]PrimaryTransferStatus, error) {
	return c.getZoneTransferStatus(ctx, "GetZoneTransferStatus", id)
}

func (c *Client) getZoneTransferStatus(ctx context.Context, op, id string) ([]PrimaryTransferStatus, error) {
	uid, err := c.parseID(op, id)
	if err != nil {
		return nil, err
	}
	rsp, err := c.api.GetZoneTransferStatusWithResponse(ctx, uid)
	got, err := core.Call(c.core, op, rsp, err, (*ionosapi.GetZoneTransferStatusResponse).GetJSON202)
	if err != nil {
		return nil, err
	}
	if got.Items == nil {
		return nil, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no transfer status (\"items\" missing)")
	}
	out := make([]PrimaryTransferStatus, 0, len(got.Items))
	for _, it := range got.Items {
		ip, err := c.parseAddr(op, rsp.HTTPResponse, rsp.Body, it.PrimaryIP)
		if err != nil {
			return nil, err
		}
		s := PrimaryTransferStatus{IP: ip, Status: it.Status}
		if it.ErrorMessage != nil {
			s.Error = *it.ErrorMessage
		}
		out = append(out, s)
	}
	return out, nil
}

// StartZoneTransfer asks IONOS to transfer the zone with the UUID id from
// its primaries now. It returns once the request is accepted.
func (c *Client) StartZoneTransfer(ctx context.Context, id string) error {
	return c.startZoneTransfer(ctx, "StartZoneTransfer", id)
}

func (c *Client) startZoneTransfer(ctx context.Context, op, id string) error {
	uid, err := c.parseID(op, id)
	if err != nil {
		return err
	}
	rsp, err := c.api.StartZoneTransferWithResponse(ctx, uid)
	_, err = core.Call(c.core, op, rsp, err, (*ionosapi.StartZoneTransferResponse).GetJSON202)
	return err
}

// WaitUntilAvailable polls the zone with the UUID id until it is
// [StateAvailable] and returns it. It reads the zone at once, then as
// [facade.WithPolling] paces it (by default after 250ms, doubling the pause
// up to 5s), and stops when ctx ends (an error
// matching context.Canceled or context.DeadlineExceeded and
// [facade.ErrTransport]). A zone in [StateFailed] yields an error matching
// [facade.ErrServer], one in [StateDestroying] an error matching
// [facade.ErrConflict]; the zone last read is returned with any error.
func (c *Client) WaitUntilAvailable(ctx context.Context, id string) (SecondaryZone, error) {
	return c.waitUntilAvailable(ctx, "WaitUntilAvailable", id)
}

func (c *Client) waitUntilAvailable(ctx context.Context, op, id string) (SecondaryZone, error) {
	var z SecondaryZone
	err := c.core.Poll(ctx, op, func(ctx context.Context) (bool, error) {
		got, err := c.getSecondaryZone(ctx, op, id)
		if err != nil {
			return false, err // z keeps the last state seen
		}
		z = got
		switch z.State {
		case StateAvailable:
			return true, nil
		case StateFailed:
			return false, c.core.Errorf(op, facade.ErrServer, "zone %s (%s) is in state FAILED", z.Name, z.ID)
		case StateDestroying:
			return false, c.core.Errorf(op, facade.ErrConflict, "zone %s (%s) is being deleted", z.Name, z.ID)
		}
		return false, nil
	})
	return z, err
}

// parseID validates a zone UUID before it is put into a URL.
func (c *Client) parseID(op, id string) (uuid.UUID, error) {
	if err := core.RequireID("zone id", id); err != nil {
		return uuid.UUID{}, c.core.Invalid(op, err)
	}
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return uuid.UUID{}, c.core.Invalid(op, fmt.Errorf("zone id %q: not a UUID", id))
	}
	return u, nil
}

// parseAddr parses an address reported by the API in response hr.
func (c *Client) parseAddr(op string, hr *http.Response, body []byte, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, c.core.Unexpected(op, hr, body, "response holds an invalid IP address %q", s)
	}
	return a.Unmap(), nil
}

// sameZone converts the zone of an answer about the zone with the UUID id
// (unless it is uuid.Nil) called name (unless it is "") and checks that it
// is that zone.
func (c *Client) sameZone(op string, hr *http.Response, body []byte, r *ionosapi.SecondaryZoneRead, id uuid.UUID, name string) (SecondaryZone, error) {
	z, err := c.convertZone(op, hr, body, r)
	switch {
	case err != nil:
		return SecondaryZone{}, err
	case id != uuid.Nil && z.ID != id.String():
		return SecondaryZone{}, c.core.Unexpected(op, hr, body, "asked for zone %s, the server answered with zone %s", id, z.ID)
	case name != "":
		if err := c.core.CheckName(op, hr, body, name, z.Name); err != nil {
			return SecondaryZone{}, err
		}
	}
	return z, nil
}

// convertZone converts a zone of a 2xx answer; one without id or name (an
// empty object, null, another resource) is facade.ErrUnexpectedResponse.
func (c *Client) convertZone(op string, hr *http.Response, body []byte, r *ionosapi.SecondaryZoneRead) (SecondaryZone, error) {
	if r == nil || r.ID == uuid.Nil || r.Properties.ZoneName == "" {
		return SecondaryZone{}, c.core.Unexpected(op, hr, body, "response holds no zone (id or zoneName missing)")
	}
	z := SecondaryZone{
		ID:          r.ID.String(),
		Name:        core.NormalizeReportedName(r.Properties.ZoneName),
		State:       strings.ToUpper(string(r.Metadata.State)),
		Nameservers: r.Metadata.Nameservers, // the decoded response is ours alone
		PrimaryIPs:  make([]netip.Addr, 0, len(r.Properties.PrimaryIps)),
	}
	if r.Properties.Description != nil {
		z.Description = *r.Properties.Description
	}
	if r.Metadata.CreatedDate != nil {
		z.CreatedAt = *r.Metadata.CreatedDate
	}
	if r.Metadata.LastModifiedDate != nil {
		z.ModifiedAt = *r.Metadata.LastModifiedDate
	}
	for _, s := range r.Properties.PrimaryIps {
		a, err := c.parseAddr(op, hr, body, s)
		if err != nil {
			return SecondaryZone{}, err
		}
		z.PrimaryIPs = append(z.PrimaryIPs, a)
	}
	return z, nil
}
