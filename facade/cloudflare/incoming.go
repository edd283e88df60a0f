package cloudflare

import (
	"context"
	"math"
	"time"

	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// DefaultAutoRefresh is the auto-refresh interval used when
// [IncomingInput].AutoRefresh is 0: a secondary zone is refreshed daily even
// without a DNS NOTIFY.
const DefaultAutoRefresh = 24 * time.Hour

// Incoming is a zone's secondary DNS configuration for incoming zone
// transfers.
type Incoming struct {
	// ID is the configuration's identifier (the zone ID).
	ID string
	// Name is the zone name as stored by Cloudflare (often with a trailing
	// dot).
	Name string
	// Peers are the IDs of the peers (primaries) the zone transfers from.
	Peers []string
	// AutoRefresh is how often the zone is refreshed regardless of NOTIFY.
	AutoRefresh time.Duration
	// SOASerial is the serial of the last transferred zone version, 0 if
	// unknown.
	SOASerial uint32
	// CheckedTime is when Cloudflare last checked the primaries.
	CheckedTime time.Time
	// CreatedTime and ModifiedTime are when the configuration was created
	// and last changed.
	CreatedTime, ModifiedTime time.Time
}

// IncomingInput is the writable part of an [Incoming] configuration.
type IncomingInput struct {
	// Name is the zone name; it is normalised and sent with a trailing dot.
	Name string
	// Peers are the peer IDs to transfer from; at least one.
	Peers []string
	// AutoRefresh is the refresh interval in whole seconds; 0 means
	// [DefaultAutoRefresh].
	AutoRefresh time.Duration
}

func (in IncomingInput) body() (cloudflareapi.SecondaryDNSIncomingInput, error) {
	name, err := checkZoneName(in.Name)
	if err != nil {
		return cloudflareapi.SecondaryDNSIncomingInput{}, err
	}
	if len(in.Peers) == 0 {
		return cloudflareapi.SecondaryDNSIncomingInput{}, errorf("peers: at least one peer ID is required")
	}
	seen := map[string]bool{}
	for i, p := range in.Peers {
		if err := checkHexID("peers["+itoa(i)+"]", p); err != nil {
			return cloudflareapi.SecondaryDNSIncomingInput{}, err
		}
		if seen[p] {
			return cloudflareapi.SecondaryDNSIncomingInput{}, errorf("peers[%d]: duplicate peer ID %s", i, p)
		}
		seen[p] = true
	}
	ar := in.AutoRefresh
	if ar == 0 {
		ar = DefaultAutoRefresh
	}
	if ar < time.Second || ar%time.Second != 0 {
		return cloudflareapi.SecondaryDNSIncomingInput{}, errorf("auto refresh %s: must be a positive whole number of seconds", in.AutoRefresh)
	}
	return cloudflareapi.SecondaryDNSIncomingInput{
		Name:               name + ".",
		Peers:              append([]string(nil), in.Peers...),
		AutoRefreshSeconds: int64(ar / time.Second),
	}, nil
}

// incomingResult picks an incoming answer whose envelope holds a result
// (its type has no name to pick the result itself by).
func incomingResult(r *cloudflareapi.SecondaryDNSSingleResponseIncoming) *cloudflareapi.SecondaryDNSSingleResponseIncoming {
	if r.Result == nil {
		return nil
	}
	return r
}

// convertIncoming converts the generated single-incoming result.
func convertIncoming(r *cloudflareapi.SecondaryDNSSingleResponseIncoming) Incoming {
	var out Incoming
	if r == nil || r.Result == nil {
		return out
	}
	res := r.Result
	out.ID = deref(res.ID)
	out.Name = deref(res.Name)
	if res.Peers != nil {
		out.Peers = append([]string(nil), (*res.Peers)...)
	}
	if res.AutoRefreshSeconds != nil && *res.AutoRefreshSeconds > 0 && *res.AutoRefreshSeconds < math.MaxInt64/int64(time.Second) {
		out.AutoRefresh = time.Duration(*res.AutoRefreshSeconds) * time.Second
	}
	if res.SoaSerial != nil && *res.SoaSerial >= 0 && *res.SoaSerial <= math.MaxUint32 {
		out.SOASerial = uint32(*res.SoaSerial)
	}
	out.CheckedTime = parseTime(res.CheckedTime)
	out.CreatedTime = parseTime(res.CreatedTime)
	out.ModifiedTime = parseTime(res.ModifiedTime)
	return out
}

// parseTime parses an RFC 3339 timestamp; anything else is the zero time.
func parseTime(s *string) time.Time {
	if s == nil || *s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// GetIncoming returns the zone's secondary configuration (GET
// /zones/{zone_id}/secondary_dns/incoming). A zone without one, or an
// unknown zone, yields [facade.ErrNotFound].
func (c *Client) GetIncoming(ctx context.Context, zoneID string) (Incoming, error) {
	return c.getIncoming(ctx, "GetIncoming", zoneID)
}

func (c *Client) getIncoming(ctx context.Context, op, zoneID string) (Incoming, error) {
	if err := checkHexID("zone ID", zoneID); err != nil {
		return Incoming{}, c.invalid(op, err)
	}
	r, err := result(c, op, (*cloudflareapi.GetIncomingResponse).GetJSON200, incomingResult, func(r *cloudflareapi.SecondaryDNSSingleResponseIncoming) string {
		if deref(r.Result.ID) == "" {
			return "response holds no incoming configuration (its id is missing)"
		}
		return ""
	})(c.api.GetIncomingWithResponse(ctx, zoneID))
	if err != nil {
		return Incoming{}, err
	}
	return convertIncoming(r), nil
}

// CreateIncoming creates the zone's secondary configuration (POST
// /zones/{zone_id}/secondary_dns/incoming): the zone transfers from the
// given peers and refreshes every in.AutoRefresh.
func (c *Client) CreateIncoming(ctx context.Context, zoneID string, in IncomingInput) (Incoming, error) {
	return c.createIncoming(ctx, "CreateIncoming", zoneID, in)
}

func (c *Client) createIncoming(ctx context.Context, op, zoneID string, in IncomingInput) (Incoming, error) {
	if err := checkHexID("zone ID", zoneID); err != nil {
		return Incoming{}, c.invalid(op, err)
	}
	body, err := in.body()
	if err != nil {
		return Incoming{}, c.invalid(op, err)
	}
	r, err := result(c, op, (*cloudflareapi.CreateIncomingResponse).GetJSON200, incomingResult)(c.api.CreateIncomingWithResponse(ctx, zoneID, body))
	if err != nil {
		return Incoming{}, err
	}
	return convertIncoming(r), nil
}

// UpdateIncoming replaces the zone's secondary configuration (PUT
// /zones/{zone_id}/secondary_dns/incoming).
func (c *Client) UpdateIncoming(ctx context.Context, zoneID string, in IncomingInput) (Incoming, error) {
	return c.updateIncoming(ctx, "UpdateIncoming", zoneID, in)
}

func (c *Client) updateIncoming(ctx context.Context, op, zoneID string, in IncomingInput) (Incoming, error) {
	if err := checkHexID("zone ID", zoneID); err != nil {
		return Incoming{}, c.invalid(op, err)
	}
	body, err := in.body()
	if err != nil {
		return Incoming{}, c.invalid(op, err)
	}
	r, err := result(c, op, (*cloudflareapi.UpdateIncomingResponse).GetJSON200, incomingResult)(c.api.UpdateIncomingWithResponse(ctx, zoneID, body))
	if err != nil {
		return Incoming{}, err
	}
	return convertIncoming(r), nil
}

// DeleteIncoming removes the zone's secondary configuration (DELETE
// /zones/{zone_id}/secondary_dns/incoming); the zone itself stays.
func (c *Client) DeleteIncoming(ctx context.Context, zoneID string) error {
	const op = "DeleteIncoming"
	if err := checkHexID("zone ID", zoneID); err != nil {
		return c.invalid(op, err)
	}
	_, err := envelope(c, op, (*cloudflareapi.DeleteIncomingResponse).GetJSON200)(c.api.DeleteIncomingWithResponse(ctx, zoneID))
	return err
}

// ForceAXFR asks Cloudflare to transfer the zone from its primaries now
// (POST /zones/{zone_id}/secondary_dns/force_axfr). It returns once the
// request is accepted, not when the transfer finished.
func (c *Client) ForceAXFR(ctx context.Context, zoneID string) error {
	return c.forceAXFR(ctx, "ForceAXFR", zoneID)
}

func (c *Client) forceAXFR(ctx context.Context, op, zoneID string) error {
	if err := checkHexID("zone ID", zoneID); err != nil {
		return c.invalid(op, err)
	}
	_, err := envelope(c, op, (*cloudflareapi.ForceAXFRResponse).GetJSON200)(c.api.ForceAXFRWithResponse(ctx, zoneID))
	return err
}
