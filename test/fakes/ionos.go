package fakes

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// IONOS transfer statuses reported per primary IP by GET .../axfr.
const (
	// IONOSTransferOK is the status of a primary the transfer succeeded from.
	IONOSTransferOK = "OK"
	// IONOSTransferFailed is the status of an unreachable primary (one in
	// [UnreachableNet]).
	IONOSTransferFailed = "FAILED"
	// IONOSUnreachableMessage is the errorMessage of a failed transfer.
	IONOSUnreachableMessage = "Connection with primary nameserver could not be established"
)

// UnreachableNet is the network whose primaries every fake treats as
// unreachable: TEST-NET-2, 198.51.100.0/24. Transfers from them fail (IONOS
// reports FAILED, DNSimple leaves last_transferred_at null, Cloudflare
// keeps soa_serial unchanged).
const UnreachableNet = "198.51.100.0/24"

// Unreachable reports whether the fakes treat ip as an unreachable primary.
func Unreachable(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && netip.MustParsePrefix(UnreachableNet).Contains(a.Unmap())
}

// ionosNameservers returns the secondary-zone nameservers IONOS reports.
func ionosNameservers() []string {
	return []string{"nscs.ui-dns.com", "nscs.ui-dns.de", "nscs.ui-dns.org", "nscs.ui-dns.biz"}
}

// IONOSZone is a snapshot of a secondary zone held by the IONOS fake.
type IONOSZone struct {
	// ID is the zone's UUID.
	ID string
	// ZoneName is the zone name (lower case, no trailing dot).
	ZoneName string
	// Description is the free-text description, possibly empty.
	Description string
	// PrimaryIPs are the primaries, in request order.
	PrimaryIPs []string
	// State is the provisioning state as the next read would see it before
	// counting that read: "PROVISIONING", "AVAILABLE", ...
	State string
	// Created and Modified are the timestamps from the fake's clock.
	Created, Modified time.Time
	// Transfers is the zone transfer status per primary IP.
	Transfers []IONOSTransfer
}

// IONOSTransfer is the zone transfer status of one primary IP.
type IONOSTransfer struct {
	// PrimaryIP is the primary's address.
	PrimaryIP string
	// Status is [IONOSTransferOK] or [IONOSTransferFailed].
	Status string
	// ErrorMessage is set when Status is [IONOSTransferFailed].
	ErrorMessage string
}

type ionosZone struct {
	IONOSZone
	reads   int       // reads seen while provisioning
	changed time.Time // start of the current provisioning
}

// IONOS is a fake IONOS Cloud DNS API (the SecondaryZones operations).
//
// Semantics: zone names are unique (409 on a duplicate); a zoneName that is
// not a valid domain name, or a primary IP that is not a public unicast address
// (loopback and private ones only with [WithPrivatePrimaries]), gets 422; malformed IPs, a missing
// zoneName or primaryIps, an empty primaryIps, a non-UUID ID or a limit
// above 1000 are spec violations (400, recorded). GET/DELETE/axfr of an
// unknown ID gets 404; PUT of an unknown ID creates the zone with that ID
// ("Updates or creates", as documented), and PUT cannot rename a zone (422).
// New and updated zones are PROVISIONING until [WithProvisioningReads] /
// [WithProvisioningDelay] say otherwise. Zones are listed in creation order.
type IONOS struct {
	*Server
	zones []*ionosZone
}

// NewIONOS starts a fake IONOS server. Close it when done.
func NewIONOS(opts ...Option) *IONOS {
	f := &IONOS{Server: newServer("ionos", newConfig(opts))}
	f.start(f)
	return f
}

// StartIONOS starts a fake IONOS server for a test, with response
// validation on. At cleanup it reports every recorded invalid request or
// response with t.Errorf and closes the server.
func StartIONOS(t TB, opts ...Option) *IONOS {
	t.Helper()
	f := NewIONOS(startOpts(opts)...)
	f.checkAtCleanup(t)
	return f
}

func (z *ionosZone) snapshot() IONOSZone {
	c := z.IONOSZone
	c.PrimaryIPs = slices.Clone(z.PrimaryIPs)
	c.Transfers = slices.Clone(z.Transfers)
	return c
}

// Zones returns snapshots of all zones, in creation order. Taking a
// snapshot does not count as a read.
func (f *IONOS) Zones() []IONOSZone {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]IONOSZone, 0, len(f.zones))
	for _, z := range f.zones {
		f.tick(z)
		out = append(out, z.snapshot())
	}
	return out
}

// Zone returns a snapshot of the zone with the given ID.
func (f *IONOS) Zone(id string) (IONOSZone, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.byID(id)
	if z == nil {
		return IONOSZone{}, false
	}
	f.tick(z)
	return z.snapshot(), true
}

// AddZone seeds a zone. Zero fields get defaults: a new ID, State
// "AVAILABLE", timestamps from the clock, and transfer statuses computed
// from the primaries. It fails on a duplicate ID or name or a missing name.
func (f *IONOS) AddZone(z IONOSZone) (IONOSZone, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	z.ZoneName = normName(z.ZoneName)
	if z.ZoneName == "" {
		return IONOSZone{}, fmt.Errorf("fakes: AddZone: no zone name")
	}
	if f.byName(z.ZoneName) != nil {
		return IONOSZone{}, fmt.Errorf("fakes: AddZone: zone %q exists", z.ZoneName)
	}
	if z.ID == "" {
		z.ID = f.newUUID()
	} else if f.byID(z.ID) != nil {
		return IONOSZone{}, fmt.Errorf("fakes: AddZone: ID %q exists", z.ID)
	}
	now := f.now()
	if z.State == "" {
		z.State = "AVAILABLE"
	}
	if z.Created.IsZero() {
		z.Created = now
	}
	if z.Modified.IsZero() {
		z.Modified = z.Created
	}
	z.PrimaryIPs = slices.Clone(z.PrimaryIPs)
	if z.Transfers == nil {
		z.Transfers = ionosTransfers(z.PrimaryIPs)
	}
	iz := &ionosZone{IONOSZone: z, changed: now}
	f.zones = append(f.zones, iz)
	return iz.snapshot(), nil
}

func (f *IONOS) byID(id string) *ionosZone {
	for _, z := range f.zones {
		if strings.EqualFold(z.ID, id) {
			return z
		}
	}
	return nil
}

func (f *IONOS) byName(name string) *ionosZone {
	for _, z := range f.zones {
		if z.ZoneName == name {
			return z
		}
	}
	return nil
}

// tick applies a time-based provisioning transition.
func (f *IONOS) tick(z *ionosZone) {
	if z.State == "PROVISIONING" && f.cfg.provisioningDelay > 0 && !f.now().Before(z.changed.Add(f.cfg.provisioningDelay)) {
		z.State = "AVAILABLE"
	}
}

// read counts a read of z and returns the state it shows.
func (f *IONOS) read(z *ionosZone) {
	f.tick(z)
	if z.State != "PROVISIONING" {
		return
	}
	if n := f.cfg.provisioningReads; n >= 0 && z.reads >= n {
		z.State = "AVAILABLE"
		return
	}
	z.reads++
}

func ionosTransfers(ips []string) []IONOSTransfer {
	out := make([]IONOSTransfer, 0, len(ips))
	for _, ip := range ips {
		t := IONOSTransfer{PrimaryIP: ip, Status: IONOSTransferOK}
		if Unreachable(ip) {
			t.Status, t.ErrorMessage = IONOSTransferFailed, IONOSUnreachableMessage
		}
		out = append(out, t)
	}
	return out
}

func (f *IONOS) errorReply(status int, _ errKind, msg string) reply {
	return ionosError(status, msg)
}

func ionosError(status int, msg string) reply {
	return reply{status: status, body: map[string]any{
		"httpStatus": status,
		"messages":   []map[string]string{{"errorCode": "dns-" + strconv.Itoa(status), "message": msg}},
	}}
}

func (f *IONOS) decorate(h http.Header, _ bool, _ time.Duration) {
	h.Set("X-Request-Id", f.newUUID())
}

func (f *IONOS) zoneJSON(z *ionosZone) map[string]any {
	props := map[string]any{"zoneName": z.ZoneName, "primaryIps": z.PrimaryIPs}
	if z.Description != "" {
		props["description"] = z.Description
	}
	user := "a2b4c6d8-0000-4000-8000-000000000001"
	return map[string]any{
		"id":   z.ID,
		"type": "zone",
		"href": f.root + "/secondaryzones/" + z.ID,
		"metadata": map[string]any{
			"createdDate":          z.Created.Format(time.RFC3339),
			"createdBy":            "ionos:iam:cloud:31960002:users/" + user,
			"createdByUserId":      user,
			"lastModifiedDate":     z.Modified.Format(time.RFC3339),
			"lastModifiedBy":       "ionos:iam:cloud:31960002:users/" + user,
			"lastModifiedByUserId": user,
			"resourceURN":          "ionos:dns:de-fra:31960002:secondaryzones/" + z.ID,
			"state":                z.State,
			"nameservers":          ionosNameservers(),
		},
		"properties": props,
	}
}

type ionosZoneBody struct {
	Properties struct {
		ZoneName    string   `json:"zoneName"`
		Description string   `json:"description"`
		PrimaryIPs  []string `json:"primaryIps"`
	} `json:"properties"`
}

// check validates what the spec does not: the name and the IPs' kind.
func (b *ionosZoneBody) check(cfg *config) (string, string) {
	name := normName(b.Properties.ZoneName)
	if !validDomain(name) {
		return "", fmt.Sprintf("zoneName %q is not a valid domain name", b.Properties.ZoneName)
	}
	for _, ip := range b.Properties.PrimaryIPs {
		if why := cfg.refusedPrimary(ip); why != "" {
			return "", fmt.Sprintf("primaryIps: %q %s", ip, why)
		}
	}
	return name, ""
}

func (f *IONOS) handle(ex *spectest.Exchange, r *http.Request, body []byte) reply {
	id := ex.PathParams["secondaryZoneId"]
	switch ex.OperationID {
	case "ListSecondaryZones":
		return f.list(r)
	case "CreateSecondaryZone":
		b, name, bad := zoneBody(&f.cfg, body)
		if bad != nil {
			return *bad
		}
		if f.byName(name) != nil {
			return ionosError(409, fmt.Sprintf("zone %s already exists", name))
		}
		return reply{status: 202, body: f.zoneJSON(f.create(f.newUUID(), name, b))}
	case "GetSecondaryZone":
		z := f.byID(id)
		if z == nil {
			return f.notFound(id)
		}
		f.read(z)
		return reply{status: 200, body: f.zoneJSON(z)}
	case "UpdateSecondaryZone":
		b, name, bad := zoneBody(&f.cfg, body)
		if bad != nil {
			return *bad
		}
		z := f.byID(id)
		if z == nil {
			if f.byName(name) != nil {
				return ionosError(409, fmt.Sprintf("zone %s already exists", name))
			}
			return reply{status: 202, body: f.zoneJSON(f.create(strings.ToLower(id), name, b))}
		}
		if name != z.ZoneName {
			return ionosError(422, fmt.Sprintf("zoneName cannot be changed from %s to %s", z.ZoneName, name))
		}
		now := f.now()
		z.Description = b.Properties.Description
		z.PrimaryIPs = slices.Clone(b.Properties.PrimaryIPs)
		z.Transfers = ionosTransfers(z.PrimaryIPs)
		z.Modified, z.changed, z.reads, z.State = now, now, 0, "PROVISIONING"
		f.dnsTrack(z)
		return reply{status: 202, body: f.zoneJSON(z)}
	case "DeleteSecondaryZone":
		z := f.byID(id)
		if z == nil {
			return f.notFound(id)
		}
		f.zones = slices.DeleteFunc(f.zones, func(x *ionosZone) bool { return x == z })
		f.dnsUntrack(z.ZoneName)
		return reply{status: 202, body: map[string]any{}}
	case "GetZoneTransferStatus":
		z := f.byID(id)
		if z == nil {
			return f.notFound(id)
		}
		items := make([]map[string]any, 0, len(z.Transfers))
		for _, t := range f.dnsTransfers(z) {
			it := map[string]any{"primaryIp": t.PrimaryIP, "status": t.Status}
			if t.ErrorMessage != "" {
				it["errorMessage"] = t.ErrorMessage
			}
			items = append(items, it)
		}
		return reply{status: 202, body: map[string]any{"type": "collection", "items": items}}
	case "StartZoneTransfer":
		z := f.byID(id)
		if z == nil {
			return f.notFound(id)
		}
		z.Transfers = ionosTransfers(z.PrimaryIPs)
		f.dnsRefresh(z.ZoneName)
		return reply{status: 202, body: map[string]any{}}
	}
	return ionosError(404, "operation not implemented: "+ex.OperationID)
}

func (f *IONOS) notFound(id string) reply {
	return ionosError(404, fmt.Sprintf("secondary zone %s not found", id))
}

func (f *IONOS) create(id, name string, b *ionosZoneBody) *ionosZone {
	now := f.now()
	z := &ionosZone{IONOSZone: IONOSZone{
		ID:          id,
		ZoneName:    name,
		Description: b.Properties.Description,
		PrimaryIPs:  slices.Clone(b.Properties.PrimaryIPs),
		State:       "PROVISIONING",
		Created:     now,
		Modified:    now,
	}, changed: now}
	z.Transfers = ionosTransfers(z.PrimaryIPs)
	f.zones = append(f.zones, z)
	f.dnsTrack(z)
	return z
}

func (f *IONOS) list(r *http.Request) reply {
	q := r.URL.Query()
	state := q.Get("filter.state")
	nameSub := strings.ToLower(strings.TrimSuffix(q.Get("filter.zoneName"), "."))
	offset := max(queryInt(r, "offset", 0), 0)
	limit := queryInt(r, "limit", 100)
	limit = min(max(limit, 1), 1000)

	var match []*ionosZone
	for _, z := range f.zones {
		f.tick(z)
		if state != "" && z.State != state {
			continue
		}
		if nameSub != "" && !strings.Contains(z.ZoneName, nameSub) {
			continue
		}
		match = append(match, z)
	}
	lo, hi := bounds(len(match), offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, z := range match[lo:hi] {
		f.read(z)
		items = append(items, f.zoneJSON(z))
	}
	link := func(off int) string {
		v := url.Values{}
		if state != "" {
			v.Set("filter.state", state)
		}
		if q.Has("filter.zoneName") {
			v.Set("filter.zoneName", q.Get("filter.zoneName"))
		}
		v.Set("offset", strconv.Itoa(off))
		v.Set("limit", strconv.Itoa(limit))
		return f.root + "/secondaryzones?" + v.Encode()
	}
	links := map[string]any{"self": link(offset)}
	if offset > 0 {
		links["prev"] = link(max(offset-limit, 0))
	}
	if offset+limit < len(match) {
		links["next"] = link(offset + limit)
	}
	return reply{status: 200, body: map[string]any{
		"id":     f.newUUID(),
		"type":   "collection",
		"href":   f.root + "/secondaryzones",
		"offset": offset,
		"limit":  limit,
		"_links": links,
		"items":  items,
	}}
}

// normName lower-cases a zone name and drops a trailing dot.
func normName(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

// validDomain reports whether s (normalised) is a plausible domain name:
// at least two labels of letters, digits and inner hyphens (underscores
// allowed), each at most 63 bytes, 253 in all.
func validDomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// zoneBody decodes and checks a create or update body: a body that does not
// decode is a 400, one whose content IONOS refuses a 422.
func zoneBody(cfg *config, body []byte) (*ionosZoneBody, string, *reply) {
	var b ionosZoneBody
	if err := decodeJSON(body, &b); err != nil {
		r := ionosError(400, err.Error())
		return nil, "", &r
	}
	name, msg := b.check(cfg)
	if msg != "" {
		r := ionosError(422, msg)
		return nil, "", &r
	}
	return &b, name, nil
}
